import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../core/util/canonical-json.js';
import { ConfirmationRepository, type SaveRequest } from '../../../renderer/confirmations/confirmation-repository.js';
import { StationDb } from '../../../renderer/db/station-db.js';
import { migratePlaintextData } from '../../../renderer/db/plaintext-migration.js';
import { RosterRepository } from '../../../renderer/roster/roster-repository.js';
import { LIN, sampleEntry, sampleRoster } from '../../support/sample-roster.js';
import { testDataKey } from './data-key.js';
import { AuditLog } from '../../../renderer/audit/audit-log.js';

let n = 0;
const opened: Dexie[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.delete();
});

function openRepo(name = `conf-${++n}`) {
  const db = new StationDb(name, { dataKey: testDataKey });
  opened.push(db);
  let id = 0;
  const repo = new ConfirmationRepository(db, {
    now: () => new Date('2026-11-23T09:30:00+08:00'),
    newId: () => `00000000-0000-4000-8000-${String(++id).padStart(12, '0')}`,
  });
  return { db, repo };
}

const lin = sampleEntry(LIN);
const request = (blobs: SaveRequest['blobs'] = []): SaveRequest => ({
  content: {
    candidate: { citizenId: lin.citizenId, registrationNo: lin.registrationNo, name: lin.name },
    identification: { source: 'chip', cardType: 'resident' },
    outcome: 'confirmed',
    reasons: [],
    decidedAt: '2026-11-23T09:29:58+08:00',
  },
  blobs,
});
const photo = { role: 'standard-photo', mime: 'image/jpeg', bytes: new Uint8Array(60 * 1024).fill(7) };

describe('station database migrations', () => {
  it('upgrades a version 1 database (roster only) to the current version without losing the roster', async () => {
    const name = `migrate-${++n}`;
    const v1 = new Dexie(name);
    v1.version(1).stores({ roster: 'citizenId, idLast6, registrationNo', meta: 'key' });
    await v1.table('roster').bulkPut(sampleRoster.entries.map((e) => ({ ...e, idLast6: e.citizenId.slice(-6) })));
    await v1.table('meta').put({ key: 'roster', pointCode: 'ZZ-JS-01', count: 40 });
    v1.close();

    const db = new StationDb(name, { dataKey: testDataKey });
    opened.push(db);
    await db.open();
    expect(db.verno).toBe(7);
    // The startup step moves the plaintext rows into the sealed table.
    expect(await migratePlaintextData(db, testDataKey)).toMatchObject({ roster: 40, rosterDropped: 0 });
    expect(await db.sealedRoster.count()).toBe(40);
    expect(await db.legacyRoster.count()).toBe(0);
    expect(await new RosterRepository(db).findByLast6(LIN.slice(-6))).toMatchObject([{ name: '林晓雨' }]);
    expect(await db.meta.get('roster')).toMatchObject({ count: 40 });
    expect(await db.sealedConfirmations.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });
});

describe('ConfirmationRepository', () => {
  it('saves the record, its blobs, its outbox entry and an audit line together', async () => {
    const { db, repo } = openRepo();
    const row = await repo.save(request([photo]));
    expect(row).toMatchObject({ version: 1, citizenId: LIN, savedAt: '2026-11-23T01:30:00.000Z' });
    expect(row.content.blobs).toEqual([{ role: 'standard-photo', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(row.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await db.vault.get(row.content.blobs[0]!.sha256)).toEqual({ sha256: row.content.blobs[0]!.sha256, mime: 'image/jpeg', bytes: photo.bytes });
    expect(await db.blobs.get(row.content.blobs[0]!.sha256)).not.toHaveProperty('bytes');
    expect(await db.outbox.get(row.id)).toEqual({ confirmationId: row.id, state: 'pending', attempts: 0, nextAttemptAt: 0 });
    expect(await db.audit.toArray()).toEqual([{ seq: 1, at: row.savedAt, kind: 'confirmation-saved', confirmationId: row.id, prevHash: '0'.repeat(64), hash: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(await new AuditLog(db).verify()).toMatchObject({ ok: true, count: 1 });
    expect(await repo.pendingCount()).toBe(1);
  });

  it('writes nothing at all when any part of the save fails', async () => {
    const { db, repo } = openRepo();
    // An outbox entry already holding the id the next save will use makes its last-but-one write fail.
    await db.outbox.add({ confirmationId: '00000000-0000-4000-8000-000000000001', state: 'pending', attempts: 0, nextAttemptAt: 0 });
    await expect(repo.save(request([photo]))).rejects.toThrow();
    expect(await db.sealedConfirmations.count()).toBe(0);
    expect(await db.blobs.count()).toBe(0);
    expect(await db.audit.count()).toBe(0);
  });

  it('refuses content that fails its schema before touching the database', async () => {
    const { db, repo } = openRepo();
    const bad = request();
    await expect(repo.save({ ...bad, content: { ...bad.content, outcome: 'maybe' as 'confirmed' } })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await db.sealedConfirmations.count()).toBe(0);
  });

  it('keeps saved records frozen; a correction is a new version that points at the old one', async () => {
    const { db, repo } = openRepo();
    const first = await repo.save(request([photo]));
    await expect(db.sealedConfirmations.update(first.id, { citizenHash: 'x' })).rejects.toThrow();
    expect(await repo.get(first.id)).toEqual(first);

    const corrected = await repo.save({ ...request([photo]), content: { ...request().content, outcome: 'rejected', reasons: ['材料不全'] }, supersedes: first.id });
    expect(corrected).toMatchObject({ version: 2, supersedes: first.id });
    expect((await repo.history(LIN)).map((r) => r.version)).toEqual([1, 2]);
    // The photo is stored once, referenced by both.
    expect(await db.blobs.count()).toBe(1);
    expect(await repo.pendingCount()).toBe(2);
    await expect(repo.save({ ...request(), supersedes: 'no-such-record' })).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('hashes content canonically: key order never changes the hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null }, u: undefined })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
  });
});

describe('培训模式 records', () => {
  it('stay out of the outbox and are purged with their own blobs; real records and their blobs stay', async () => {
    const { db, repo } = openRepo();
    const real = await repo.save(request([photo]));
    const trainingPhoto = { ...photo, bytes: new Uint8Array(1024).fill(9) };
    const base = request([photo, trainingPhoto]);
    const training = await repo.save({ ...base, content: { ...base.content, training: true } });
    expect(training.content.training).toBe(true);
    expect(await db.outbox.get(training.id)).toBeUndefined();
    expect(await repo.pendingCount()).toBe(1);

    expect(await repo.purgeTraining()).toBe(1);
    expect(await repo.get(training.id)).toBeUndefined();
    expect(await repo.get(real.id)).toBeDefined();
    // The photo both records share belongs to the real one and stays; the training-only blob is gone.
    expect(await db.vault.get(real.content.blobs[0]!.sha256)).toBeDefined();
    const onlyTraining = training.content.blobs.find((b) => b.sha256 !== real.content.blobs[0]!.sha256)!;
    expect(await db.blobs.get(onlyTraining.sha256)).toBeUndefined();
    expect((await db.audit.toArray()).at(-1)).toMatchObject({ kind: 'training-purged', count: 1 });
    expect(await repo.purgeTraining()).toBe(0);
  });
});
