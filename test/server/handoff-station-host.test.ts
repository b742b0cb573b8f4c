import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { HandoffBuildResult } from '../../core/contract/station-api.js';
import { DayCloseResult } from '../../core/contract/day-close.js';
import { silentLogger } from '../../core/logging/logger.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { parseStationConfig } from '../../host/config/station-config.js';
import { createStationHost, type StationHost } from '../../host/station-host.js';
import { runAdminCommand } from '../../server/admin/commands.js';
import { DownloadShelf } from '../../host/services/file-sink.js';
import { hashPassword } from '../../core/crypto/password-hash.js';
import { countRows, describeEachDatabase } from './support/databases.js';
import { createPoint, issueCode, startServer } from './support/harness.js';

const LIN = '410105200203140223';
const ZHANG = '410302200109270111';
const supervisor = { accountId: 'sup01', name: '王主管', role: 'supervisor' as const };
const SUPERVISOR_PASSWORD = 'pass-2026';
/** The station config's supervisor (the offline fallback account), at a test-cheap scrypt cost. */
const supervisorHash = hashPassword(SUPERVISOR_PASSWORD, { cost: 1024 });

let dir: string;
let host: StationHost | undefined;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'handoff-host-'));
});
afterEach(async () => {
  await host?.close();
  host = undefined;
  await rm(dir, { recursive: true, force: true });
});

let shelf: DownloadShelf;
/** A station host; the supervisor signs in unless `signedIn` is false (离线移交 and 日结 are a supervisor's). */
async function openHost(dataDir: string, signedIn = true): Promise<StationHost> {
  shelf = new DownloadShelf();
  const opened = await createStationHost({
    files: shelf,
    hostKind: 'browser',
    appVersion: 'test',
    config: parseStationConfig({ simulators: 'on', simulatorTiming: 'instant', supervisors: [{ id: supervisor.accountId, name: supervisor.name, pinHash: await supervisorHash }] }, 't'),
    defaultRosterSeedFile: path.resolve('assets/roster/sample-roster.json'),
    deviceSlots: [],
    dataDir,
    logger: silentLogger,
  });
  if (signedIn) expect(await opened.dispatch('staff', 'staff.signIn', { accountId: supervisor.accountId, password: SUPERVISOR_PASSWORD })).toMatchObject({ ok: true });
  return opened;
}

describeEachDatabase('handoff through the station host', (handle) => {
  it('a day half online, half by bundle: the import stores each record once and both day closes as versions', async () => {
    const server = startServer(handle.db);
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
    try {
      await createPoint(server.app, 'ZZ-JS-01');
      host = await openHost(path.join(dir, 'station'), false);
      const call = (method: string, payload: unknown) => host!.dispatch('staff', method, payload);

      // 离线移交 is a supervisor's: nothing without a signed-in supervisor.
      expect(await call('handoff.build', { day: '2026-11-24', records: [], blobs: [], audit: [] })).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
      expect(await call('staff.signIn', { accountId: supervisor.accountId, password: SUPERVISOR_PASSWORD })).toMatchObject({ ok: true });
      const day = '2026-11-24';
      const notEnrolled = await call('handoff.build', { day, records: [], blobs: [], audit: [] });
      expect(notEnrolled).toMatchObject({ ok: false, error: { code: 'INVALID_STATE', message: zhCN.handoff.build.notEnrolled } });

      const code = await issueCode(server.app, 'ZZ-JS-01');
      expect(await call('central.enroll', { serverUrl: url, code, pointCode: 'ZZ-JS-01', stationName: '5号工位' })).toMatchObject({ ok: true });
      // The server's handoff key is kept with the enrollment.
      const identity = JSON.parse(await readFile(path.join(dir, 'station', 'station-identity.json'), 'utf8')) as { enrollment: { handoffKey?: unknown } };
      expect(identity.enrollment.handoffKey).toMatchObject({ keyId: expect.stringMatching(/^[0-9a-f]{32}$/) });

      const photo = Buffer.from('a standard photo of the second candidate');
      const sha256 = createHash('sha256').update(photo).digest('hex');
      const online = { id: randomUUID(), citizenId: LIN, content: { outcome: 'confirmed' }, blobs: [] };
      const offline = { id: randomUUID(), citizenId: ZHANG, content: { outcome: 'confirmed', blobs: [{ role: 'standard-photo', sha256 }] }, blobs: [sha256] };
      expect(await call('central.uploadBatch', { confirmations: [online] })).toMatchObject({ ok: true, value: { results: [{ status: 'accepted' }] } });

      // The rest of the day is handed off (as when the network goes): the day close goes into the bundle.
      const counts = { total: 2, confirmed: 2, rejected: 0, acknowledged: 1, handedOff: 1 };
      const draft = { day, closedBy: supervisor, counts, recordIds: [online.id, offline.id] };

      const built = await call('handoff.build', {
        day,
        records: [online, offline],
        blobs: [{ sha256, mime: 'image/jpeg', base64: photo.toString('base64') }],
        audit: [{ seq: 1, kind: 'day-close' }],
        dayClose: draft,
      });
      expect(built.ok, JSON.stringify(built)).toBe(true);
      const bundle = HandoffBuildResult.parse(built.ok ? built.value : undefined);
      expect(bundle.fileName).toMatch(/^离线移交-ZZ-JS-01-2026-11-24-[0-9a-f]{8}\.xqb$/);
      expect(bundle.counts).toEqual({ records: 2, blobs: 1, audit: 1 });
      const bytes = Buffer.from(shelf.take(bundle.downloadPath!)!.bytes);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(bundle.sha256);
      expect(bytes.includes(Buffer.from(ZHANG))).toBe(false);

      // The central office imports the file from the USB stick.
      const file = path.join(dir, bundle.fileName);
      await writeFile(file, bytes);
      const lines: string[] = [];
      const exit = await runAdminCommand(['import-bundle', '--file', file], { db: handle.db, now: server.clock.now, out: (line) => lines.push(line) });
      expect(exit, lines.join('\n')).toBe(0);
      expect(lines.join('\n')).toContain('新接收 accepted 1, 已存在 duplicate 1');
      expect(await countRows(handle.db, 'SELECT count(*) FROM confirmations')).toBe(2);
      // The host signed the bundle's record as it signs online uploads; the server kept both signatures.
      expect(await countRows(handle.db, 'SELECT count(*) FROM confirmations WHERE octet_length(signature) = 64')).toBe(2);
      expect(await countRows(handle.db, 'SELECT count(*) FROM day_closes WHERE version = 1')).toBe(1);

      // Online again, the sync engine's retry of the handed-off record is a success, and a re-close is version 2.
      expect(await call('central.uploadBatch', { confirmations: [offline] })).toMatchObject({ ok: true, value: { results: [{ status: 'duplicate' }] } });
      const closed = await call('central.dayClose', { ...draft, counts: { ...counts, acknowledged: 2, handedOff: 0 } });
      expect(closed.ok, JSON.stringify(closed)).toBe(true);
      expect(DayCloseResult.parse(closed.ok ? closed.value : undefined).reply).toMatchObject({ status: 'stored', version: 2 });
      expect(await countRows(handle.db, 'SELECT count(*) FROM confirmations')).toBe(2);
    } finally {
      await server.app.close();
    }
  });

  it('a station enrolled before the server had a handoff key asks for it once and keeps it', async () => {
    const server = startServer(handle.db);
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
    const dataDir = path.join(dir, 'station');
    try {
      await createPoint(server.app, 'ZZ-JS-01');
      host = await openHost(dataDir);
      const code = await issueCode(server.app, 'ZZ-JS-01');
      expect(await host.dispatch('staff', 'central.enroll', { serverUrl: url, code, pointCode: 'ZZ-JS-01', stationName: '6号工位' })).toMatchObject({ ok: true });
      await host.close();

      // The identity file as an older station wrote it: no handoff key.
      const file = path.join(dataDir, 'station-identity.json');
      const identity = JSON.parse(await readFile(file, 'utf8')) as { enrollment: Record<string, unknown> };
      const { handoffKey, ...olderEnrollment } = identity.enrollment;
      await writeFile(file, JSON.stringify({ ...identity, enrollment: olderEnrollment }));

      host = await openHost(dataDir);
      const built = await host.dispatch('staff', 'handoff.build', { day: '2026-11-24', records: [], blobs: [], audit: [] });
      expect(built.ok, JSON.stringify(built)).toBe(true);
      const kept = JSON.parse(await readFile(file, 'utf8')) as { enrollment: { handoffKey?: unknown } };
      expect(kept.enrollment.handoffKey).toEqual(handoffKey);
    } finally {
      await server.app.close();
    }
  });
});
