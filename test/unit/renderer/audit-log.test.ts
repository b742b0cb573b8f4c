import 'fake-indexeddb/auto';
import type { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH, sealHash, verifyChain } from '../../../core/audit/audit-chain.js';
import { InvalidStateError, ValidationError } from '../../../core/errors/station-error.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { AuditLog, appendAudit, describeAuditBreak } from '../../../renderer/audit/audit-log.js';
import { auditServerBreakReasons } from '../../../core/contract/central-api.js';
import { StationDb, type AuditRow } from '../../../renderer/db/station-db.js';
import { testDataKey } from './data-key.js';

import { LIN } from '../../support/sample-roster.js';
let n = 0;
const opened: Dexie[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.delete();
});

const NOW = new Date('2026-11-24T01:00:00.000Z');
const actor = { accountId: 'op-01', name: '李操作员', role: 'operator' } as const;

/** Rows as stored: the legacy fields the table declares, plus a chained entry's own. */
const allRows = async (db: StationDb) => (await db.audit.toArray()) as Array<AuditRow & { hash?: string }>;

function open(name = `audit-${++n}-${Math.random().toString(36).slice(2)}`) {
  const db = new StationDb(name, { dataKey: testDataKey });
  opened.push(db);
  return { db, log: new AuditLog(db, () => NOW) };
}

describe('AuditLog: appends', () => {
  it('chains entries from genesis, with now as the default time', async () => {
    const { db, log } = open();
    const first = await log.append({ kind: 'sign-in', actor });
    const second = await log.append({ kind: 'card-read', actor, detail: 'chip' });
    expect(first).toMatchObject({ seq: 1, at: NOW.toISOString(), prevHash: GENESIS_HASH });
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
    expect(await db.audit.toArray()).toEqual([first, second]);
    expect(await log.verify()).toMatchObject({ ok: true, count: 2 });
    expect(await log.last()).toEqual(second);
  });

  it('keeps the chain intact when many callers append at once', async () => {
    const { db, log } = open();
    await Promise.all(Array.from({ length: 40 }, (_, i) => log.append({ kind: i % 2 ? 'lock' : 'unlock', actor, count: i })));
    const rows = await db.audit.toArray();
    expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(verifyChain(rows)).toMatchObject({ ok: true, count: 40 });
  });

  it('appends inside a caller\'s transaction, and the entry goes with it when that transaction aborts', async () => {
    const { db, log } = open();
    await log.append({ kind: 'sign-in', actor });
    await db.transaction('rw', [db.outbox, db.audit], async () => {
      await db.outbox.add({ confirmationId: '00000000-0000-4000-8000-000000000001', state: 'pending', attempts: 0, nextAttemptAt: 0 });
      await appendAudit(db, { kind: 'confirmation-saved', confirmationId: '00000000-0000-4000-8000-000000000001' });
    });
    await expect(
      db.transaction('rw', [db.outbox, db.audit], async () => {
        await appendAudit(db, { kind: 'approval', actor });
        throw new Error('the save failed after its audit line');
      }),
    ).rejects.toThrow('the save failed');
    expect((await db.audit.toArray()).map((row) => row.kind)).toEqual(['sign-in', 'confirmation-saved']);
    expect(await log.verify()).toMatchObject({ ok: true, count: 2 });
  });

  it('refuses to run outside a rw transaction that includes the audit table', async () => {
    const { db } = open();
    await expect(appendAudit(db, { kind: 'lock' })).rejects.toBeInstanceOf(InvalidStateError);
    await expect(db.transaction('rw', db.outbox, () => appendAudit(db, { kind: 'lock' }))).rejects.toThrow(/include/);
    await expect(db.transaction('r', db.audit, () => appendAudit(db, { kind: 'lock' }))).rejects.toThrow(/rw transaction/);
    expect(await db.audit.count()).toBe(0);
  });

  it('refuses personal values in a detail and writes nothing', async () => {
    const { db, log } = open();
    await expect(log.append({ kind: 'export', detail: `full numbers ${LIN}` })).rejects.toBeInstanceOf(ValidationError);
    await expect(log.append({ kind: 'export', detail: `full numbers ${LIN}` })).rejects.toMatchObject({ userMessage: zhCN.audit.detailRefused });
    await expect(log.append({ kind: 'export', confirmationId: 'not-a-uuid' })).rejects.toMatchObject({ code: 'VALIDATION', userMessage: zhCN.errors.validation });
    expect(await db.audit.count()).toBe(0);
  });
});

describe('AuditLog: rows written before the chain (upgraded stations)', () => {
  it('seals legacy rows in a chain-start after them and leaves the rows as they were', async () => {
    const { db, log } = open();
    // What the repository wrote before the chain existed: ++seq rows without a hash.
    await db.audit.add({ at: NOW.toISOString(), kind: 'confirmation-saved', confirmationId: '00000000-0000-4000-8000-000000000009' });
    await db.audit.add({ at: NOW.toISOString(), kind: 'training-purged', count: 3 });
    const legacy = await db.audit.toArray();
    expect(legacy.map((row) => row.seq)).toEqual([1, 2]);

    const entry = await log.append({ kind: 'sign-in', actor });
    const rows = await allRows(db);
    expect(rows.slice(0, 2)).toEqual(legacy);
    expect(rows[2]).toMatchObject({ seq: 3, kind: 'chain-start', prevHash: GENESIS_HASH, sealedCount: 2, sealedSha256: sealHash(legacy) });
    expect(entry).toMatchObject({ seq: 4, prevHash: rows[2]!.hash });
    expect(await log.verify()).toMatchObject({ ok: true, count: 2 });
    // Only chained entries ship, from the chain-start on.
    expect((await log.entriesAfter(0)).map((row) => row.seq)).toEqual([3, 4]);
  });

  it('seals unchained rows that appear after the chain began (code not yet on appendAudit) with a seal', async () => {
    const { db, log } = open();
    await log.append({ kind: 'sign-in', actor });
    await db.audit.add({ at: NOW.toISOString(), kind: 'confirmation-saved' });
    const next = await log.append({ kind: 'sign-out', actor });
    const rows = await allRows(db);
    expect(rows.map((row) => [row.seq, row.kind])).toEqual([
      [1, 'sign-in'],
      [2, 'confirmation-saved'],
      [3, 'seal'],
      [4, 'sign-out'],
    ]);
    expect(rows[2]).toMatchObject({ prevHash: rows[0]!.hash, sealedCount: 1, sealedSha256: sealHash([rows[1]]) });
    expect(next.prevHash).toBe(rows[2]!.hash);
    expect(await log.verify()).toMatchObject({ ok: true, count: 3 });
  });

  it('finds a sealed legacy row that was changed, removed or added afterwards', async () => {
    for (const tamper of ['change', 'remove', 'add'] as const) {
      const { db, log } = open();
      await db.audit.bulkAdd([
        { at: NOW.toISOString(), kind: 'confirmation-saved' },
        { at: NOW.toISOString(), kind: 'confirmation-saved' },
      ]);
      await log.append({ kind: 'sign-in', actor });
      if (tamper === 'change') await db.audit.update(1, { kind: 'training-purged' });
      if (tamper === 'remove') await db.audit.delete(2);
      if (tamper === 'add') await db.audit.put({ seq: 0.5, at: NOW.toISOString(), kind: 'confirmation-saved' });
      expect(await log.verify(), tamper).toMatchObject({ ok: false, brokenAt: 3, reason: 'changed' });
    }
  });

  it('finds a changed chained entry in the local log', async () => {
    const { db, log } = open();
    for (let i = 0; i < 5; i++) await log.append({ kind: 'card-read', actor, count: i });
    await db.audit.update(3, { count: 42 });
    expect(await log.verify()).toMatchObject({ ok: false, brokenAt: 3, reason: 'changed' });
    // A damaged last entry is never chained to: appends stop instead of forking the chain.
    await db.table('audit').update(5, { hash: 'nonsense' });
    await expect(log.append({ kind: 'lock' })).rejects.toBeInstanceOf(InvalidStateError);
  });
});

describe('describeAuditBreak', () => {
  it('names the seq and the reason in Chinese for every reason the server sends', () => {
    const texts = auditServerBreakReasons.map((reason) => describeAuditBreak({ seq: 17, reason }));
    for (const text of texts) expect(text).toMatch(/^中心服务器发现本机审计日志第 17 条[\u4e00-\u9fff]+/);
    expect(new Set(texts).size).toBe(auditServerBreakReasons.length);
  });
});
