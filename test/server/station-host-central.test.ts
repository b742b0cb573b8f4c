import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { parseStationConfig } from '../../host/config/station-config.js';
import { silentLogger } from '../../core/logging/logger.js';
import { createStationHost, type StationHost } from '../../host/station-host.js';
import { countRows, describeEachDatabase } from './support/databases.js';
import { adminRequest, createPoint, issueCode, startServer } from './support/harness.js';

const LIN = '410105200203140223';
let dir: string;
let host: StationHost | undefined;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'station-host-central-'));
});
afterEach(async () => {
  await host?.close();
  host = undefined;
  await rm(dir, { recursive: true, force: true });
});

describeEachDatabase('central.* calls through the station host', (handle) => {
  it('enrolls, uploads a blob and a batch exactly once, and reports a revoked station over the wire', async () => {
    const server = startServer(handle.db);
    // The server runs on a test clock hours away from this host's clock: the link corrects from the server time.
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
    try {
      await createPoint(server.app, 'ZZ-JS-01');
      host = await createStationHost({
        hostKind: 'browser',
        appVersion: 'test',
        config: parseStationConfig({ simulators: 'on', simulatorTiming: 'instant' }, 't'),
        defaultRosterSeedFile: path.resolve('assets/roster/sample-roster.json'),
        deviceSlots: [],
        dataDir: dir,
        logger: silentLogger,
      });
      const call = (method: string, payload: unknown) => host!.dispatch('staff', method, payload);
      expect(await call('central.status', {})).toEqual({ ok: true, value: { enrolled: false } });
      const code = await issueCode(server.app, 'ZZ-JS-01');
      const enrolled = await call('central.enroll', { serverUrl: url, code, pointCode: 'ZZ-JS-01', stationName: '5号工位' });
      expect(enrolled).toMatchObject({ ok: true, value: { enrolled: true, pointCode: 'ZZ-JS-01', serverUrl: url } });

      const bytes = Buffer.from('a standard photo');
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      expect(await call('central.uploadBlob', { sha256, mime: 'image/jpeg', base64: bytes.toString('base64') })).toMatchObject({
        ok: true,
        value: { sha256, created: true },
      });
      const item = {
        id: randomUUID(),
        citizenId: LIN,
        content: { outcome: 'confirmed', blobs: [{ role: 'standard-photo', sha256 }] },
        blobs: [sha256],
      };
      // The window sends the record unsigned; the host signs it with the station key (the server refuses unsigned ones).
      const first = await call('central.uploadBatch', { confirmations: [item] });
      expect(first).toMatchObject({ ok: true, value: { results: [{ id: item.id, status: 'accepted' }] } });
      const { rows } = await handle.db.query('SELECT octet_length(signature) AS n FROM confirmations WHERE id = $1', [item.id]);
      expect(rows).toEqual([{ n: 64 }]);
      const replay = await call('central.uploadBatch', { confirmations: [item] });
      expect(replay).toMatchObject({ ok: true, value: { results: [{ id: item.id, status: 'duplicate' }] } });
      expect(await countRows(handle.db, 'SELECT count(*) AS count FROM confirmations')).toBe(1);

      // The kiosk has no way to the server.
      expect(await host.dispatch('kiosk', 'central.status', {})).toMatchObject({ ok: false, error: { code: 'ACCESS_DENIED' } });

      const stationId = enrolled.ok ? (enrolled.value as { stationId: string }).stationId : '';
      await adminRequest(server.app, 'POST', `/api/v1/admin/stations/${stationId}/revoke`);
      expect(await call('central.rosterDelta', { limit: 10 })).toMatchObject({
        ok: false,
        error: { code: 'ACCESS_DENIED', reason: 'STATION_REVOKED', retryable: false, message: '此工作站已被停用，无法与中心服务器同步，请联系主管。' },
      });
    } finally {
      await server.app.close();
    }
  });

  it('says plainly when the server cannot be reached, marked retryable', async () => {
    host = await createStationHost({
      hostKind: 'browser',
      appVersion: 'test',
      config: parseStationConfig({ simulators: 'on' }, 't'),
      defaultRosterSeedFile: path.resolve('assets/roster/sample-roster.json'),
      deviceSlots: [],
      dataDir: dir,
      logger: silentLogger,
    });
    const reply = await host.dispatch('staff', 'central.enroll', { serverUrl: 'http://127.0.0.1:9', code: 'ABCD-EFGH-JKMN', pointCode: 'ZZ-JS-01', stationName: '5号工位' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'TRANSPORT', reason: 'UNREACHABLE', retryable: true, message: '无法连接中心服务器，数据已保存在本机，恢复连接后会自动同步。' } });
  });
});
