import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { HealthReply, RosterDeltaReply } from '../../core/contract/central-api.js';
import { CentralLink } from '../../host/central/central-link.js';
import { StationIdentity, type SecretStore } from '../../host/central/station-identity.js';
import { describeEachDatabase } from './support/databases.js';
import { adminRequest, createPoint, issueCode, startServer } from './support/harness.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'station-identity-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describeEachDatabase('the station host talking to the central server', (handle) => {
  /** The server on a real loopback port, as a station reaches it. */
  async function listen() {
    const server = startServer(handle.db);
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = server.app.server.address() as AddressInfo;
    return { ...server, url: `http://127.0.0.1:${port}`, close: () => server.app.close() };
  }

  it('creates a key once, enrolls with a one-time code, and signs every later request', async () => {
    const server = await listen();
    try {
      await createPoint(server.app, 'ZZ-JS-01', '郑州市金水区现场确认点');
      const code = await issueCode(server.app, 'ZZ-JS-01');
      const identity = await StationIdentity.load(dir);
      const link = new CentralLink(identity, { now: () => server.clock.ms });
      expect(link.enrolled).toBe(false);
      const reply = await link.enroll({ serverUrl: server.url, code, pointCode: 'ZZ-JS-01', stationName: '3号工位' });
      expect(reply).toMatchObject({ pointCode: 'ZZ-JS-01', pointName: '郑州市金水区现场确认点' });

      // The identity survives a restart: same key, same enrollment; the file is private to this user.
      const reloaded = await StationIdentity.load(dir);
      expect(reloaded.publicKey).toBe(identity.publicKey);
      expect(reloaded.enrollment?.stationId).toBe(reply.stationId);
      expect((await stat(path.join(dir, 'station-identity.json'))).mode & 0o077).toBe(0);

      const signed = new CentralLink(reloaded, { now: () => server.clock.ms });
      const delta = await signed.request('GET', '/api/v1/roster?limit=10', RosterDeltaReply);
      expect(delta).toMatchObject({ entries: [], done: true });
      await expect(signed.request('GET', '/api/v1/health', HealthReply)).resolves.toMatchObject({ status: 'ok' });
    } finally {
      await server.close();
    }
  });

  it('corrects a station clock that is hours off from the server time and carries on', async () => {
    const server = await listen();
    try {
      await createPoint(server.app, 'ZZ-JS-01');
      const identity = await StationIdentity.load(dir);
      const skewed = new CentralLink(identity, { now: () => server.clock.ms - 5 * 3600_000 });
      await skewed.enroll({ serverUrl: server.url, code: await issueCode(server.app, 'ZZ-JS-01'), pointCode: 'ZZ-JS-01', stationName: '1号工位' });
      await expect(skewed.request('GET', '/api/v1/roster?limit=5', RosterDeltaReply)).resolves.toMatchObject({ done: true });
    } finally {
      await server.close();
    }
  });

  it('refuses a revoked station as a permanent error, and an unreachable server as a transient one', async () => {
    const server = await listen();
    try {
      await createPoint(server.app, 'ZZ-JS-01');
      const identity = await StationIdentity.load(dir);
      const link = new CentralLink(identity, { now: () => server.clock.ms });
      const { stationId } = await link.enroll({ serverUrl: server.url, code: await issueCode(server.app, 'ZZ-JS-01'), pointCode: 'ZZ-JS-01', stationName: '2号工位' });
      const revoked = await adminRequest(server.app, 'POST', `/api/v1/admin/stations/${stationId}/revoke`);
      expect(revoked.statusCode, revoked.body).toBe(200);
      await expect(link.request('GET', '/api/v1/roster', RosterDeltaReply)).rejects.toMatchObject({
        reason: 'STATION_REVOKED',
        retryable: false,
        userMessage: '此工作站已被停用，无法与中心服务器同步，请联系主管。',
      });
    } finally {
      await server.close();
    }
    // The server is gone now.
    const identity = await StationIdentity.load(dir);
    await expect(new CentralLink(identity, { timeoutMs: 2000 }).request('GET', '/api/v1/roster', RosterDeltaReply)).rejects.toMatchObject({
      reason: 'UNREACHABLE',
      retryable: true,
    });
  });

  it('keeps the private key sealed by the configured secret store, and refuses a mismatched or damaged file', async () => {
    const reversed: SecretStore = {
      kind: 'test-reversal',
      seal: async (plain) => [...plain].reverse().join(''),
      open: async (sealed) => [...sealed].reverse().join(''),
    };
    const identity = await StationIdentity.load(dir, reversed);
    const text = await readFile(path.join(dir, 'station-identity.json'), 'utf8');
    expect(text).not.toContain('BEGIN PRIVATE KEY');
    expect((await StationIdentity.load(dir, reversed)).publicKey).toBe(identity.publicKey);
    await expect(StationIdentity.load(dir)).rejects.toMatchObject({ code: 'FILE_INVALID' });
  });
});
