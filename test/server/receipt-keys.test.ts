import { randomUUID, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { POINT_KEYS_PATH, PointKeysReply } from '../../core/contract/central-api.js';
import { RECEIPT_VERIFY_PATH, ReceiptVerifyReply, encodeReceiptQr, receiptSigningText } from '../../core/contract/receipt.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { verifyReceiptOffline } from '../../host/central/point-keys.js';
import { TokenBuckets } from '../../server/http/rate-limit.js';
import { describeEachDatabase } from './support/databases.js';
import { type TestStation, adminRequest, createPoint, enrollStation, expectApiError, json, signedRequest, startServer } from './support/harness.js';

function receiptBy(station: TestStation): string {
  const payload = { id: randomUUID(), h: 'c'.repeat(64), s: station.id, t: '2026-11-24T09:05:00.000+08:00' };
  return encodeReceiptQr(payload, new Uint8Array(sign(null, Buffer.from(receiptSigningText(payload), 'utf8'), station.privateKey)));
}

describeEachDatabase('point keys for offline receipt checks', (handle) => {
  it("hands a station the keys of its own point's stations only, revoked ones flagged, and they verify its receipts offline", async () => {
    const server = startServer(handle.db);
    await createPoint(server.app, 'ZZ-JS-01', '郑州市金水区现场确认点');
    await createPoint(server.app, 'ZZ-EQ-02', '郑州市二七区现场确认点');
    const desk1 = await enrollStation(server.app, 'ZZ-JS-01', '1号工位');
    const desk2 = await enrollStation(server.app, 'ZZ-JS-01', '2号工位');
    const elsewhere = await enrollStation(server.app, 'ZZ-EQ-02', '1号工位');
    expect((await adminRequest(server.app, 'POST', `/api/v1/admin/stations/${desk2.id}/revoke`)).statusCode).toBe(200);

    const response = await signedRequest(server, desk1, { method: 'GET', url: POINT_KEYS_PATH });
    expect(response.statusCode, response.body).toBe(200);
    const reply = PointKeysReply.parse(json(response));
    expect(reply.pointCode).toBe('ZZ-JS-01');
    expect(reply.pointName).toBe('郑州市金水区现场确认点');
    expect(reply.stations.map((s) => s.stationId).sort()).toEqual([desk1.id, desk2.id].sort());
    expect(reply.stations.find((s) => s.stationId === desk1.id)).toEqual({ stationId: desk1.id, name: '1号工位', publicKey: Buffer.from(desk1.publicKeyRaw).toString('base64') });
    expect(reply.stations.find((s) => s.stationId === desk2.id)?.revokedAt).toBeDefined();

    const stored = { version: 1 as const, ...reply, downloadedAt: new Date(server.clock.ms).toISOString() };
    expect(verifyReceiptOffline(receiptBy(desk2), stored)).toMatchObject({ status: 'verified-signature', station: { id: desk2.id, revoked: true } });
    expect(verifyReceiptOffline(receiptBy(desk1), stored)).toMatchObject({ status: 'verified-signature', station: { id: desk1.id, name: '1号工位', revoked: false } });
    // Another point's station is not among the keys: offline, that receipt cannot be told.
    expect(verifyReceiptOffline(receiptBy(elsewhere), stored).status).toBe('unknown-station');
  });

  it('is a station route: unsigned or revoked callers get no keys', async () => {
    const server = startServer(handle.db);
    await createPoint(server.app, 'ZZ-JS-01');
    const desk = await enrollStation(server.app, 'ZZ-JS-01');
    expectApiError(await server.app.inject({ method: 'GET', url: POINT_KEYS_PATH }), 401, 'UNAUTHORIZED');
    await adminRequest(server.app, 'POST', `/api/v1/admin/stations/${desk.id}/revoke`);
    expectApiError(await signedRequest(server, desk, { method: 'GET', url: POINT_KEYS_PATH }), 403, 'STATION_REVOKED');
  });
});

describeEachDatabase('public receipt verification rate limit', (handle) => {
  it('answers 429 RATE_LIMITED in Chinese with Retry-After past the per-address bucket, per address, and refills with time', async () => {
    const server = startServer(handle.db, { receiptVerifyLimit: { perMinute: 3 } });
    await createPoint(server.app, 'ZZ-JS-01');
    const desk = await enrollStation(server.app, 'ZZ-JS-01');
    const qr = receiptBy(desk);
    const ask = (remoteAddress = '203.0.113.7') => server.app.inject({ method: 'POST', url: RECEIPT_VERIFY_PATH, payload: { qr }, remoteAddress });

    for (let i = 0; i < 3; i++) {
      const ok = await ask();
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ReceiptVerifyReply.parse(json(ok)).status).toBe('not-yet-received');
    }
    const refused = await ask();
    const error = expectApiError(refused, 429, 'RATE_LIMITED');
    expect(error.message).toBe(zhCN.receipts.rateLimited(20));
    expect(error.retryAfterSeconds).toBe(20);
    expect(refused.headers['retry-after']).toBe('20');
    // Malformed requests spend tokens too (the bucket is checked before the body).
    expectApiError(await server.app.inject({ method: 'POST', url: RECEIPT_VERIFY_PATH, payload: { qr: 'x' }, remoteAddress: '203.0.113.7' }), 429, 'RATE_LIMITED');

    // Another address has its own bucket.
    expect((await ask('198.51.100.9')).statusCode).toBe(200);
    // 20 s later one token is back, and only one.
    server.clock.advance(20_000);
    expect((await ask()).statusCode).toBe(200);
    expect((await ask()).statusCode).toBe(429);
  });
});

describe('TokenBuckets', () => {
  it('allows a burst of perMinute, then one per 60/perMinute seconds; a clock moved back refills nothing', () => {
    let ms = 1_000_000;
    const buckets = new TokenBuckets({ perMinute: 30 }, () => new Date(ms));
    for (let i = 0; i < 30; i++) buckets.take('a');
    expect(() => buckets.take('a')).toThrow(expect.objectContaining({ reason: 'RATE_LIMITED', status: 429 }));
    ms += 1_999;
    expect(() => buckets.take('a')).toThrow();
    ms += 1;
    buckets.take('a');
    ms -= 60_000;
    expect(() => buckets.take('a')).toThrow();
    expect(() => new TokenBuckets({ perMinute: 0 }, () => new Date())).toThrow(RangeError);
  });
});
