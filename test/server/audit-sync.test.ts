/**
 * The whole way of an audit entry: the station's AuditLog → AuditStage → the StationApi call
 * `central.uploadAudit` (validated by the host's dispatcher) → the host's signed CentralLink → the server's
 * route and service → the database; and a break found there back to the station's sync status.
 */
import 'fake-indexeddb/auto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { CallInput, CallResult } from '../../core/contract/station-api.js';
import { silentLogger } from '../../core/logging/logger.js';
import { parseStationConfig } from '../../host/config/station-config.js';
import { createStationHost, type StationHost } from '../../host/station-host.js';
import { AuditLog } from '../../renderer/audit/audit-log.js';
import { StationDb } from '../../renderer/db/station-db.js';
import { apiCentralLink, type SyncCall, type SyncCaller } from '../../renderer/sync/api-central-link.js';
import { AuditStage, readAuditSyncStatus } from '../../renderer/sync/audit-stage.js';
import { countRows, describeEachDatabase } from './support/databases.js';
import { createPoint, issueCode, startServer } from './support/harness.js';

let dir: string;
let host: StationHost | undefined;
let db: StationDb | undefined;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'audit-sync-'));
});
afterEach(async () => {
  await host?.close();
  host = undefined;
  if (db) await db.delete();
  db = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** The staff window's client as the sync worker relays it: the host's reply or its typed error. */
function hostCaller(station: StationHost): SyncCaller {
  return {
    async call<M extends SyncCall>(method: M, payload: CallInput<'staff', M>): Promise<CallResult<'staff', M>> {
      const reply = await station.dispatch('staff', method, payload);
      if (!reply.ok) throw Object.assign(new Error(reply.error.message), reply.error);
      return reply.value as CallResult<'staff', M>;
    },
  };
}

describeEachDatabase('audit chain from the station log to the server', (handle) => {
  it('ships the log through the host, stores it once, and brings a break back to the station', async () => {
    const server = startServer(handle.db);
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
      const code = await issueCode(server.app, 'ZZ-JS-01');
      expect(await host.dispatch('staff', 'central.enroll', { serverUrl: url, code, pointCode: 'ZZ-JS-01', stationName: '5号工位' })).toMatchObject({ ok: true });

      db = new StationDb(`audit-sync-${Math.random().toString(36).slice(2)}`);
      const log = new AuditLog(db);
      // A station upgraded from before the chain: one legacy row, sealed by the chain-start.
      await db.audit.add({ at: new Date().toISOString(), kind: 'confirmation-saved' });
      for (const kind of ['sign-in', 'card-read', 'approval', 'sign-out'] as const) {
        await log.append({ kind, actor: { accountId: 'op-01', name: '李操作员', role: 'operator' } });
      }
      const stage = new AuditStage(db, apiCentralLink(hostCaller(host)), { batchSize: 2 });
      expect(await stage.runOnce(Date.now())).toMatchObject({ worked: true, sent: 5, breaks: 0 });
      expect(await countRows(handle.db, 'SELECT count(*) FROM audit_entries')).toBe(5);
      expect(await readAuditSyncStatus(db)).toMatchObject({ ackedSeq: 6, breaks: [], lastError: undefined });

      // Sent again (as after a lost reply): stored once.
      await db.syncState.put({ key: 'audit.acked', value: { seq: 0 } });
      expect(await stage.runOnce(Date.now(), { force: true })).toMatchObject({ sent: 5, breaks: 0 });
      expect(await countRows(handle.db, 'SELECT count(*) FROM audit_entries')).toBe(5);

      // An entry changed on the station after it was shipped, then sent again: the server flags it.
      await db.table('audit').update(4, { kind: 'override' });
      await db.syncState.put({ key: 'audit.acked', value: { seq: 3 } });
      await stage.runOnce(Date.now(), { force: true });
      expect((await readAuditSyncStatus(db)).breaks).toMatchObject([{ seq: 4, reason: 'conflict' }]);
      expect(await countRows(handle.db, "SELECT count(*) FROM audit_breaks WHERE reason = 'conflict'")).toBe(1);
    } finally {
      await server.app.close();
    }
  });
});
