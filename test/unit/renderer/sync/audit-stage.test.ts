import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditEntry, entryHash, verifyChain, type ChainAnchor } from '../../../../core/audit/audit-chain.js';
import type { AuditBatchReply, AuditBreak } from '../../../../core/contract/central-api.js';
import { AuditLog } from '../../../../renderer/audit/audit-log.js';
import { BACKOFF_CAP_MS } from '../../../../renderer/sync/backoff.js';
import { AuditStage, readAuditSyncStatus, type AuditLink, type ShippedEntry } from '../../../../renderer/sync/audit-stage.js';
import { SyncEngine } from '../../../../renderer/sync/sync-engine.js';
import { UploadStage } from '../../../../renderer/sync/upload-stage.js';
import { closeAll, FakeCentral, ManualClock, openDb, revoked, T0, transportDown } from './sync-fixtures.js';

afterEach(closeAll);

const actor = { accountId: 'op-01', name: '李操作员', role: 'operator' } as const;

/** The server's audit rules in memory: stored by seq, same hash a duplicate, each entry verified on from the one before. */
class FakeAuditServer implements AuditLink {
  readonly stored = new Map<number, string>();
  readonly batches: number[][] = [];
  /** Throw to fail the request before anything is stored. */
  before: (() => void) | undefined;
  /** Throw to lose the reply after storing. */
  after: (() => void) | undefined;

  async uploadAudit(entries: readonly ShippedEntry[]): Promise<AuditBatchReply> {
    this.batches.push(entries.map((entry) => entry.seq));
    this.before?.();
    let stored = 0;
    let duplicates = 0;
    const breaks: AuditBreak[] = [];
    for (const raw of entries) {
      const entry = AuditEntry.parse(raw);
      const existing = this.stored.get(entry.seq);
      if (existing !== undefined) {
        if (existing === entry.hash && entryHash(entry) === entry.hash) duplicates++;
        else breaks.push({ seq: entry.seq, reason: 'conflict', detectedAt: new Date(T0).toISOString() });
        continue;
      }
      const before = [...this.stored.keys()].filter((seq) => seq < entry.seq).sort((a, b) => b - a)[0];
      const from: ChainAnchor | undefined = before === undefined ? undefined : { seq: before, hash: this.stored.get(before)! };
      const verdict = verifyChain([entry], from ? { from } : {});
      if (!verdict.ok) breaks.push({ seq: verdict.brokenAt, reason: verdict.reason, detectedAt: new Date(T0).toISOString() });
      this.stored.set(entry.seq, entry.hash);
      stored++;
    }
    this.after?.();
    return { stored, duplicates, lastSeq: Math.max(0, ...this.stored.keys()), breaks };
  }
}

async function setup(count: number, batchSize = 3) {
  const db = openDb();
  const log = new AuditLog(db, () => new Date(T0));
  for (let i = 0; i < count; i++) await log.append({ kind: i % 2 ? 'card-read' : 'sign-in', actor });
  const server = new FakeAuditServer();
  const stage = new AuditStage(db, server, { batchSize, random: () => 0.5 });
  return { db, log, server, stage };
}

describe('AuditStage', () => {
  it('ships unsent entries in seq order, in batches, and remembers the last acknowledged seq', async () => {
    const { db, log, server, stage } = await setup(7);
    expect(await stage.nextWakeAt(T0)).toBe(0);
    expect(await stage.runOnce(T0)).toMatchObject({ worked: true, sent: 7, breaks: 0 });
    expect(server.batches).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(await readAuditSyncStatus(db)).toEqual({ ackedSeq: 7, lastSuccessAt: T0, lastError: undefined, breaks: [] });
    expect(await stage.nextWakeAt(T0)).toBeUndefined();
    expect(await stage.runOnce(T0 + 1)).toMatchObject({ worked: false, sent: 0 });

    await log.append({ kind: 'sign-out', actor });
    await stage.runOnce(T0 + 2);
    expect(server.batches.at(-1)).toEqual([8]);
    expect(server.stored.size).toBe(8);
  });

  it('is idempotent on retry: a lost reply re-sends the batch, which the server answers as duplicates', async () => {
    const { db, server, stage } = await setup(4, 10);
    server.after = () => {
      server.after = undefined;
      throw transportDown();
    };
    expect(await stage.runOnce(T0)).toMatchObject({ worked: false, sent: 0 });
    const failed = await readAuditSyncStatus(db);
    expect(failed).toMatchObject({ ackedSeq: 0, lastError: { code: 'UNREACHABLE', transient: true } });
    // Backoff: not due again at once, unless forced (立即同步).
    expect(await stage.runOnce(T0 + 1)).toMatchObject({ sent: 0 });
    expect(await stage.runOnce(T0 + 1, { force: true })).toMatchObject({ sent: 4 });
    expect(server.batches).toEqual([[1, 2, 3, 4], [1, 2, 3, 4]]);
    expect(server.stored.size).toBe(4);
    expect(await readAuditSyncStatus(db)).toMatchObject({ ackedSeq: 4, lastError: undefined, breaks: [] });
  });

  it('waits out a failure: transient with backoff, a revoked station for the longest delay', async () => {
    const { db, server, stage } = await setup(2);
    server.before = () => {
      throw revoked();
    };
    await stage.runOnce(T0);
    expect(await stage.nextWakeAt(T0)).toBe(T0 + BACKOFF_CAP_MS);
    expect((await readAuditSyncStatus(db)).lastError).toMatchObject({ code: 'STATION_REVOKED', transient: false });
    server.before = undefined;
    await stage.runOnce(T0 + BACKOFF_CAP_MS);
    expect(server.stored.size).toBe(2);
  });

  it('keeps the breaks the server flagged, once each, for the station to show', async () => {
    const { db, log, server, stage } = await setup(3);
    await stage.runOnce(T0);
    // The station's entry 3 is rewritten after it was shipped, then a new entry is added and shipped.
    await db.table('audit').update(3, { count: 5 });
    await log.append({ kind: 'lock', actor });
    // Sent again from seq 3 (as after a lost acknowledgement), twice: the server flags it each time.
    for (const at of [T0 + 1, T0 + 2]) {
      await db.syncState.put({ key: 'audit.acked', value: { seq: 2 } });
      expect(await stage.runOnce(at, { force: true })).toMatchObject({ sent: 2, breaks: 1 });
    }
    expect(server.batches.slice(1)).toEqual([[3, 4], [3, 4]]);
    const { breaks, ackedSeq } = await readAuditSyncStatus(db);
    expect(ackedSeq).toBe(4);
    expect(breaks.map((b) => [b.seq, b.reason])).toEqual([[3, 'conflict']]);
  });

  it('ships only chained entries: rows from before the chain stay on the station', async () => {
    const db = openDb();
    await db.audit.bulkAdd([
      { at: new Date(T0).toISOString(), kind: 'confirmation-saved' },
      { at: new Date(T0).toISOString(), kind: 'training-purged', count: 1 },
    ]);
    await new AuditLog(db).append({ kind: 'sign-in', actor });
    const server = new FakeAuditServer();
    await new AuditStage(db, server).runOnce(T0);
    expect(server.batches).toEqual([[3, 4]]);
    expect(await readAuditSyncStatus(db)).toMatchObject({ ackedSeq: 4, breaks: [] });
  });

  it('runs in its own loop of the sync engine, and its status is part of the engine status', async () => {
    const { db, server } = await setup(2);
    const clock = new ManualClock();
    const engine = new SyncEngine({
      db,
      upload: new UploadStage(db, new FakeCentral(), { clock: () => clock.now() }),
      audit: new AuditStage(db, server),
      clock,
    });
    try {
      await engine.start();
      await engine.idle();
      expect(server.stored.size).toBe(2);
      expect((await engine.status()).audit).toMatchObject({ ackedSeq: 2, breaks: [] });
    } finally {
      await engine.stop();
    }
  });
});
