import { beforeEach, expect, it } from 'vitest';
import { ConfirmationBatchReply } from '../../core/contract/central-api.js';
import { MAX_CLOCK_SKEW_MS, stationHeaders } from '../../core/contract/request-signing.js';
import type { Logger } from '../../core/logging/logger.js';
import type { Database } from '../../server/db/database.js';
import { buildServer } from '../../server/http/app.js';
import { describeEachDatabase } from './support/databases.js';
import {
  type TestServer,
  type TestStation,
  adminRequest,
  createPoint,
  enrollStation,
  expectApiError,
  json,
  newKeyPair,
  rosterRows,
  signRecordAs,
  signedRequest,
  startServer,
} from './support/harness.js';

describeEachDatabase('station authentication', (handle) => {
  let server: TestServer;
  let station: TestStation;

  beforeEach(async () => {
    server = startServer(handle.db);
    await createPoint(server.app, 'P1', '一号确认点');
    station = await enrollStation(server.app, 'P1');
  });

  // The record signed like the station's host does, so a request that passes authentication is accepted.
  const record = () => signRecordAs(station, { id: '0b9e0f7e-3a61-4f6e-9a43-3c3d0f9d7a10', citizenId: rosterRows(1, 'x')[0]?.citizenId, content: { step: 'done' }, blobs: [] });
  const batch = () => ({ confirmations: [record()] });

  it('accept a correctly signed GET and POST', async () => {
    const get = await signedRequest(server, station, { method: 'GET', url: '/api/v1/roster?limit=10' });
    expect(get.statusCode, get.body).toBe(200);
    const post = await signedRequest(server, station, { method: 'POST', url: '/api/v1/confirmations/batch', body: batch() });
    expect(post.statusCode, post.body).toBe(200);
    expect(ConfirmationBatchReply.parse(json(post)).results.map((r) => r.status)).toEqual(['accepted']);
  });

  it('refuse a tampered body, a tampered query and a signature by another key with 401 BAD_SIGNATURE', async () => {
    const tampered = Buffer.from(JSON.stringify({ confirmations: [{ ...record(), content: { step: 'forged' } }] }));
    const body = await signedRequest(server, station, { method: 'POST', url: '/api/v1/confirmations/batch', body: batch(), sendInstead: tampered });
    expectApiError(body, 401, 'BAD_SIGNATURE');

    const query = await signedRequest(server, station, { method: 'GET', url: '/api/v1/roster?cursor=5', urlInstead: '/api/v1/roster?cursor=0' });
    expectApiError(query, 401, 'BAD_SIGNATURE');

    const otherKey = await signedRequest(server, station, { method: 'GET', url: '/api/v1/roster', signWith: newKeyPair().privateKey });
    expectApiError(otherKey, 401, 'BAD_SIGNATURE');

    const { rows } = await handle.db.query('SELECT count(*)::int AS n FROM confirmations');
    expect(rows[0]?.['n']).toBe(0);
  });

  it('refuse missing or malformed signature headers with 401 and unknown stations with 403 STATION_UNKNOWN', async () => {
    expectApiError(await server.app.inject({ method: 'GET', url: '/api/v1/roster' }), 401, 'UNAUTHORIZED');
    const garbled = await server.app.inject({
      method: 'GET',
      url: '/api/v1/roster',
      headers: { [stationHeaders.stationId]: station.id, [stationHeaders.timestamp]: 'soon', [stationHeaders.signature]: 'AAAA' },
    });
    expectApiError(garbled, 401, 'UNAUTHORIZED');
    const unknown = { ...station, id: '6f1d8a8e-2c4b-4d1e-8f00-0a1b2c3d4e5f' };
    expectApiError(await signedRequest(server, unknown, { method: 'GET', url: '/api/v1/roster' }), 403, 'STATION_UNKNOWN');
    expectApiError(await signedRequest(server, { ...station, id: 'not-a-uuid' }, { method: 'GET', url: '/api/v1/roster' }), 403, 'STATION_UNKNOWN');
  });

  it('refuse a revoked station with 403 STATION_REVOKED, but tell it only when the signature is its own', async () => {
    const revoke = await adminRequest(server.app, 'POST', `/api/v1/admin/stations/${station.id}/revoke`);
    expect(revoke.statusCode, revoke.body).toBe(200);
    expectApiError(await signedRequest(server, station, { method: 'GET', url: '/api/v1/roster' }), 403, 'STATION_REVOKED');
    expectApiError(await signedRequest(server, station, { method: 'POST', url: '/api/v1/confirmations/batch', body: batch() }), 403, 'STATION_REVOKED');
    const impostor = await signedRequest(server, station, { method: 'GET', url: '/api/v1/roster', signWith: newKeyPair().privateKey });
    expectApiError(impostor, 401, 'BAD_SIGNATURE');
    // Revoking again keeps the first time; an unknown station is 404.
    const again = await adminRequest(server.app, 'POST', `/api/v1/admin/stations/${station.id}/revoke`);
    expect((json(again) as { revokedAt: string }).revokedAt).toBe((json(revoke) as { revokedAt: string }).revokedAt);
    expectApiError(await adminRequest(server.app, 'POST', '/api/v1/admin/stations/6f1d8a8e-2c4b-4d1e-8f00-0a1b2c3d4e5f/revoke'), 404, 'NOT_FOUND');
  });

  it('refuse clocks more than 10 minutes off with 401 CLOCK_SKEW, the server time in the body and the Date header', async () => {
    for (const offset of [MAX_CLOCK_SKEW_MS + 1, -(MAX_CLOCK_SKEW_MS + 1), 3 * 60 * 60 * 1000]) {
      const response = await signedRequest(server, station, { method: 'GET', url: '/api/v1/roster', timestampMs: server.clock.ms + offset });
      const error = expectApiError(response, 401, 'CLOCK_SKEW');
      expect(error.serverTime).toBe(server.clock.ms);
      expect(Date.parse(String(response.headers['date']))).toBe(Math.floor(server.clock.ms / 1000) * 1000);
    }
    // Retrying with the server's time works; so does anything within the window.
    const retry = await signedRequest(server, station, { method: 'GET', url: '/api/v1/roster', timestampMs: server.clock.ms + MAX_CLOCK_SKEW_MS - 1 });
    expect(retry.statusCode, retry.body).toBe(200);
  });

  it('answer health without authentication and unknown routes with a typed 404', async () => {
    const health = await server.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(health.statusCode).toBe(200);
    expect(json(health)).toEqual({ status: 'ok', database: handle.db.kind, time: new Date(server.clock.ms).toISOString() });
    expect(health.headers['cache-control']).toBe('no-store');
    expectApiError(await server.app.inject({ method: 'GET', url: '/api/v1/nothing-here' }), 404, 'NOT_FOUND');
  });

  it('answer 503 from health and a detail-free 500 INTERNAL from routes when the database fails', async () => {
    const fail = () => Promise.reject(Object.assign(new Error('connection terminated 410105200303140223'), { code: '57P01' }));
    const failing: Database = { ...handle.db, query: fail, transaction: fail };
    const logged: string[] = [];
    const logger: Logger = { info() {}, warn() {}, error: (message, fields) => logged.push(JSON.stringify({ message, ...fields })) };
    const app = buildServer({ db: failing, now: server.clock.now, logger });
    expectApiError(await app.inject({ method: 'GET', url: '/api/v1/health' }), 503, 'INTERNAL');
    const enroll = await app.inject({
      method: 'POST',
      url: '/api/v1/enroll',
      payload: { code: 'AAAA-BBBB-CCCC', pointCode: 'P1', stationName: 'A', publicKey: Buffer.from(newKeyPair().publicKeyRaw).toString('base64') },
    });
    const error = expectApiError(enroll, 500, 'INTERNAL');
    expect(error.detail).toBeUndefined();
    expect(enroll.body).not.toContain('410105');
    // The log names the SQLSTATE, never the driver's message (which could quote data).
    expect(logged.join('\n')).toContain('57P01');
    expect(logged.join('\n')).not.toContain('410105');
  });
});
