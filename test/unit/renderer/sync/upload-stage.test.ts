import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { zhCN } from '../../../../core/i18n/zh-CN.js';
import type { EncryptedBlobRow, StationDb } from '../../../../renderer/db/station-db.js';
import { sha256Hex } from '../../../../core/crypto/sha256.js';
import { BACKOFF_CAP_MS } from '../../../../renderer/sync/backoff.js';
import { readAck, readLastError, readLastSuccessAt, syncKeys } from '../../../../renderer/sync/sync-state.js';
import { UploadStage } from '../../../../renderer/sync/upload-stage.js';
import { closeAll, FakeCentral, openDb, photo, revoked, saveRecords, T0, transportDown, uuidFor } from './sync-fixtures.js';
import { CentralError } from '../../../../core/errors/station-error.js';
import { canonicalJson } from '../../../../core/util/canonical-json.js';
import { ConfirmationRepository, sealConfirmation } from '../../../../renderer/confirmations/confirmation-repository.js';
import { stationLedger } from '../../../../renderer/supervisor/station-ledger.js';

afterEach(closeAll);

function setup(options: { random?: () => number; now?: number } = {}) {
  const db = openDb();
  const central = new FakeCentral();
  const clock = { current: options.now ?? T0 };
  const stage = new UploadStage(db, central, { random: options.random ?? (() => 0.5), clock: () => clock.current });
  return { db, central, stage, clock };
}

const states = async (db: StationDb) => (await db.outbox.toArray()).map((row) => row.state);

describe('UploadStage: acknowledged records leave the outbox, and only those', () => {
  it('uploads everything due, empties the outbox, keeps every record and notes each acknowledgement', async () => {
    const { db, central, stage } = setup();
    const ids = await saveRecords(db, 3, { blobs: (i) => [photo(i + 1)] });

    const result = await stage.runOnce(T0);

    expect(result).toMatchObject({ due: 3, batches: 1, acknowledged: 3, retrying: 0, needsAttention: 0, blobsUploaded: 3 });
    expect(result.failure).toBeUndefined();
    expect(await db.outbox.count()).toBe(0);
    expect(await db.sealedConfirmations.count()).toBe(3);
    expect(await db.blobs.count()).toBe(3);
    expect(central.records.size).toBe(3);
    // Encrypted at rest, plaintext to the server: it receives exactly the bytes that were saved.
    for (let i = 0; i < 3; i++) {
      const { bytes } = photo(i + 1);
      expect(central.blobs.get(sha256Hex(bytes))).toEqual(bytes);
    }
    for (const row of await db.blobs.toArray()) expect(row).not.toHaveProperty('bytes');
    for (const id of ids) expect(await readAck(db, id)).toEqual({ at: T0, outcome: 'accepted', crossStation: false });
    expect(await readLastSuccessAt(db)).toBe(T0);
  });

  it('sends in save order', async () => {
    const { db, central, stage } = setup();
    // Ids chosen so that id order and save order disagree.
    const later = await saveRecords(db, 1, { firstId: 1, startAt: T0 + 3600_000 });
    const earlier = await saveRecords(db, 2, { firstId: 2 });
    await stage.runOnce(T0);
    expect(central.batches).toEqual([[...earlier, ...later]]);
  });

  it('marks the batch in-flight before any request leaves', async () => {
    const { db, central, stage } = setup();
    await saveRecords(db, 2, { blobs: (i) => [photo(i + 1)] });
    const seen: string[][] = [];
    central.beforeBlob = async () => void seen.push(await states(db));
    central.beforeBatch = async () => void seen.push(await states(db));
    await stage.runOnce(T0);
    expect(seen).toEqual([
      ['in-flight', 'in-flight'],
      ['in-flight', 'in-flight'],
      ['in-flight', 'in-flight'],
    ]);
  });

  it('uploads each blob once, before the batch, and not again for later records with the same bytes', async () => {
    const { db, central, stage } = setup();
    const shared = photo(9);
    // Two records share one photo; the third has its own and a signature.
    await saveRecords(db, 3, { blobs: (i) => (i < 2 ? [shared] : [photo(3), { role: 'signature', mime: 'image/png', bytes: new Uint8Array([1, 2, 3]) }]) });
    await stage.runOnce(T0);
    expect(central.calls.map((call) => call.kind)).toEqual(['blob', 'blob', 'blob', 'batch']);
    expect(new Set(central.blobCalls).size).toBe(3);

    await saveRecords(db, 1, { firstId: 10, blobs: () => [shared] });
    const second = await stage.runOnce(T0 + 1);
    expect(second).toMatchObject({ acknowledged: 1, blobsUploaded: 0 });
    expect(central.calls.slice(4).map((call) => call.kind)).toEqual(['batch']);
  });

  it('counts duplicates as acknowledged (the server already had them)', async () => {
    const { db, central, stage } = setup();
    const ids = await saveRecords(db, 2, { blobs: (i) => [photo(i + 1)] });
    // The same records already reached the server once (e.g. from before a reinstall of the outbox).
    const first = new UploadStage(db, central, { clock: () => T0 });
    await first.runOnce(T0);
    await db.outbox.bulkPut(ids.map((id) => ({ confirmationId: id, state: 'pending' as const, attempts: 0, nextAttemptAt: 0 })));

    const result = await stage.runOnce(T0 + 5);
    expect(result).toMatchObject({ acknowledged: 2 });
    expect(await db.outbox.count()).toBe(0);
    expect(await readAck(db, ids[0]!)).toEqual({ at: T0, outcome: 'duplicate', crossStation: false });
    expect(central.records.size).toBe(2);
  });

  it('keeps the cross-station flag the server reports for supervisors', async () => {
    const { db, central, stage } = setup();
    const [id] = await saveRecords(db, 1);
    central.override = (itemId) => ({ id: itemId, status: 'accepted', crossStation: true });
    await stage.runOnce(T0);
    expect(await readAck(db, id!)).toMatchObject({ outcome: 'accepted', crossStation: true });
  });

  it('keeps the unknown-rules flag for supervisors, and still reads acks stored before the flag existed', async () => {
    const { db, central, stage } = setup();
    const [flagged, plain, older] = await saveRecords(db, 3);
    central.override = (itemId) => (itemId === flagged ? { id: itemId, status: 'accepted', unknownRules: true } : undefined);
    await stage.runOnce(T0);
    expect(await readAck(db, flagged!)).toEqual({ at: T0, outcome: 'accepted', crossStation: false, unknownRules: true });
    // Not flagged: the ack is exactly what it was before the field existed.
    expect(await readAck(db, plain!)).toEqual({ at: T0, outcome: 'accepted', crossStation: false });
    // An ack written by an older version of the station.
    await db.syncState.put({ key: syncKeys.ack(older!), value: { at: T0 - 1, outcome: 'duplicate', crossStation: true } });
    expect(await readAck(db, older!)).toEqual({ at: T0 - 1, outcome: 'duplicate', crossStation: true });

    const acks = await stationLedger(db, { all: async () => [] }).acks();
    expect(acks.get(flagged!)).toEqual({ crossStation: false, unknownRules: true });
    expect(acks.get(plain!)).toEqual({ crossStation: false });
    expect(acks.get(older!)).toEqual({ crossStation: true });
  });
});

describe('UploadStage: records the server refuses go to 需处理 with its reason', () => {
  it('conflict and invalid land in needs-attention with the server’s Chinese message; the rest are acknowledged', async () => {
    const { db, central, stage } = setup();
    const [conflicting, invalid, fine] = await saveRecords(db, 3);
    central.records.set(conflicting!, 'other content');
    central.override = (id) =>
      id === invalid ? { id, status: 'invalid', error: { code: 'VALIDATION', message: '确认记录缺少考生签名。' } } : undefined;

    const result = await stage.runOnce(T0);

    expect(result).toMatchObject({ acknowledged: 1, needsAttention: 2 });
    expect(await db.outbox.get(conflicting!)).toEqual({
      confirmationId: conflicting,
      state: 'needs-attention',
      attempts: 1,
      nextAttemptAt: 0,
      lastError: { code: 'CONFLICT', message: zhCN.central.confirmations.conflict },
    });
    expect(await db.outbox.get(invalid!)).toMatchObject({ state: 'needs-attention', lastError: { code: 'INVALID', message: '确认记录缺少考生签名。' } });
    expect(await db.outbox.get(fine!)).toBeUndefined();
    expect(await db.sealedConfirmations.count()).toBe(3);

    // 需处理 entries are not retried by later passes, forced or not.
    const again = await stage.runOnce(T0 + 60_000, { force: true });
    expect(again.due).toBe(0);
    expect(central.batches).toHaveLength(1);
  });

  it('missing blobs: the entry returns to pending at once and the next pass uploads the blob, then the record', async () => {
    const { db, central, stage } = setup();
    const [id] = await saveRecords(db, 1, { blobs: () => [photo(5)] });
    await stage.runOnce(T0);
    const sha256 = central.blobCalls[0]!;
    // The server lost the blob after acknowledging it (a restore from backup), and the record with it.
    central.blobs.clear();
    central.records.clear();
    await db.outbox.put({ confirmationId: id!, state: 'pending', attempts: 0, nextAttemptAt: 0 });

    const result = await stage.runOnce(T0 + 1000);
    expect(result).toMatchObject({ retrying: 1, blobsUploaded: 0 });
    expect(await db.outbox.get(id!)).toMatchObject({ state: 'pending', attempts: 1, nextAttemptAt: T0, lastError: { code: 'MISSING_BLOBS' } });
    expect(await db.syncState.get(syncKeys.blob(sha256))).toBeUndefined();
    expect(await stage.nextWakeAt(T0)).toBe(T0);

    const retry = await stage.runOnce(T0);
    expect(retry).toMatchObject({ acknowledged: 1, blobsUploaded: 1 });
    expect(central.calls.slice(-2)).toEqual([{ kind: 'blob', sha256 }, { kind: 'batch', ids: [id] }]);
    expect(await db.outbox.count()).toBe(0);
  });

  it('a server that keeps reporting a blob missing is retried with backoff after a few immediate tries', async () => {
    const { db, central, stage, clock } = setup();
    const [id] = await saveRecords(db, 1, { blobs: () => [photo(5)] });
    central.override = (itemId) => ({ id: itemId, status: 'missing-blobs', missingBlobs: [] });
    for (let i = 0; i < 3; i++) await stage.runOnce(T0);
    expect(await db.outbox.get(id!)).toMatchObject({ attempts: 3, nextAttemptAt: T0 });
    await stage.runOnce(T0);
    // Fourth failure: 0.5 × 2 s × 2³.
    expect(await db.outbox.get(id!)).toMatchObject({ state: 'pending', attempts: 4, nextAttemptAt: clock.current + 8000 });
  });

  it('a record whose blob is missing locally, or which fails the contract, is held back without blocking the others', async () => {
    const { db, central, stage } = setup();
    const [noBlob, broken, fine] = await saveRecords(db, 3, { blobs: (i) => (i === 0 ? [photo(1)] : []) });
    await db.blobs.clear();
    // A record that cannot pass its schema (written by an older version, say) must not poison the batch
    // envelope. Records are frozen against updates, so the test replaces the row with a sealed bad one.
    const record = (await new ConfirmationRepository(db).get(broken!))!;
    const content = { ...record.content, candidate: { ...record.content.candidate, citizenId: 'not-a-number' } };
    const bad = await sealConfirmation(db, { ...record, content, contentSha256: sha256Hex(canonicalJson(content)) });
    await db.transaction('rw', db.sealedConfirmations, async () => {
      await db.sealedConfirmations.delete(broken!);
      await db.sealedConfirmations.add(bad);
    });

    const result = await stage.runOnce(T0);
    expect(result).toMatchObject({ acknowledged: 1, needsAttention: 2 });
    expect(central.batches).toEqual([[fine]]);
    expect(await db.outbox.get(noBlob!)).toMatchObject({ state: 'needs-attention', lastError: { code: 'LOCAL_BLOB_MISSING', message: zhCN.sync.localBlobMissing } });
    expect(await db.outbox.get(broken!)).toMatchObject({ state: 'needs-attention', lastError: { code: 'LOCAL_RECORD_UNREADABLE', message: zhCN.storage.tampered } });
  });

  it('a blob that fails to decrypt holds back its record in 需处理 and is kept, not deleted', async () => {
    const { db, central, stage } = setup();
    const [tampered, fine] = await saveRecords(db, 2, { blobs: (i) => [photo(i + 1)] });
    const sha256 = (await new ConfirmationRepository(db).get(tampered!))!.content.blobs[0]!.sha256;
    const row = (await db.blobs.get(sha256)) as EncryptedBlobRow;
    await db.blobs.put({ ...row, cipher: row.cipher.slice(0, -1) });

    const result = await stage.runOnce(T0);
    expect(result).toMatchObject({ acknowledged: 1, needsAttention: 1 });
    expect(central.blobCalls).not.toContain(sha256);
    expect(central.batches).toEqual([[fine]]);
    expect(await db.outbox.get(tampered!)).toMatchObject({ state: 'needs-attention', lastError: { code: 'LOCAL_BLOB_UNREADABLE', message: zhCN.storage.tampered } });
    expect(await db.blobs.get(sha256)).toBeDefined();
  });

  it('a blob the server refuses holds back only the records that use it', async () => {
    const { db, central, stage } = setup();
    const [refused, fine] = await saveRecords(db, 2, { blobs: (i) => [photo(i + 1)] });
    const refusedSha = (await new ConfirmationRepository(db).get(refused!))!.content.blobs[0]!.sha256;
    central.beforeBlob = (sha256) => {
      if (sha256 === refusedSha) throw new CentralError('VALIDATION', zhCN.central.errors.unsupportedMediaType, 'UNSUPPORTED_MEDIA_TYPE', false);
    };
    const result = await stage.runOnce(T0);
    expect(result).toMatchObject({ acknowledged: 1, needsAttention: 1 });
    expect(await db.outbox.get(refused!)).toMatchObject({ state: 'needs-attention', lastError: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
    expect(central.batches).toEqual([[fine]]);
  });
});

describe('UploadStage: failed requests', () => {
  it('a transient failure returns the batch to pending with exponential backoff, full jitter and a cap', async () => {
    const { db, central, stage, clock } = setup({ random: () => 0.5 });
    const [a, b] = await saveRecords(db, 2);
    central.beforeBatch = () => {
      throw transportDown();
    };

    const first = await stage.runOnce(T0);
    expect(first.failure).toMatchObject({ transient: true, code: 'UNREACHABLE' });
    expect(await db.outbox.get(a!)).toEqual({
      confirmationId: a,
      state: 'pending',
      attempts: 1,
      nextAttemptAt: T0 + 1000,
      lastError: { code: 'UNREACHABLE', message: zhCN.central.unreachable },
    });
    expect(await db.outbox.get(b!)).toMatchObject({ attempts: 1, nextAttemptAt: T0 + 1000 });
    expect(await readLastError(db)).toEqual({ at: T0, code: 'UNREACHABLE', message: zhCN.central.unreachable, transient: true });

    // Not due yet: nothing is sent.
    expect(await stage.runOnce(T0 + 999)).toMatchObject({ due: 0, batches: 0 });
    expect(central.batches).toHaveLength(1);
    expect(await stage.nextWakeAt(T0 + 999)).toBe(T0 + 1000);

    clock.current = T0 + 1000;
    await stage.runOnce(T0 + 1000);
    expect(await db.outbox.get(a!)).toMatchObject({ attempts: 2, nextAttemptAt: T0 + 1000 + 2000 });

    // Far along: the ceiling is the 5-minute cap, and the jitter takes its fraction of it.
    await db.outbox.bulkPut([a!, b!].map((id) => ({ confirmationId: id, state: 'pending' as const, attempts: 20, nextAttemptAt: 0 })));
    clock.current = T0 + 10_000;
    await stage.runOnce(T0 + 10_000);
    expect(await db.outbox.get(a!)).toMatchObject({ attempts: 21, nextAttemptAt: T0 + 10_000 + BACKOFF_CAP_MS / 2 });
    expect(await db.sealedConfirmations.count()).toBe(2);
  });

  it('jitter spreads retries: the delay is the random fraction of the ceiling', async () => {
    const { db, central, stage } = setup({ random: () => 0.1 });
    const [a] = await saveRecords(db, 1);
    await db.outbox.update(a!, { attempts: 2 });
    central.beforeBatch = () => {
      throw transportDown();
    };
    await stage.runOnce(T0);
    // Third failure: ceiling 8 s, 10 % of it.
    expect(await db.outbox.get(a!)).toMatchObject({ attempts: 3, nextAttemptAt: T0 + 800 });
  });

  it('after a transient failure the remaining due entries wait for the failed batch’s retry time', async () => {
    const { db, central, stage } = setup();
    await saveRecords(db, 3);
    const small = new UploadStage(db, central, { batchSize: 1, random: () => 0.5, clock: () => T0 });
    central.beforeBatch = () => {
      throw transportDown();
    };
    await small.runOnce(T0);
    expect(central.batches).toHaveLength(1);
    expect(await small.runOnce(T0 + 10)).toMatchObject({ batches: 0 });
    expect(await small.nextWakeAt(T0 + 10)).toBe(T0 + 1000);
    // 立即同步 overrides the wait.
    central.beforeBatch = undefined;
    expect(await small.runOnce(T0 + 10, { force: true })).toMatchObject({ acknowledged: 3 });
    expect(await stage.nextWakeAt(T0)).toBeUndefined();
  });

  it('a permanent error (station revoked) moves the batch to 需处理 with the message and deletes nothing', async () => {
    const { db, central, stage } = setup();
    const ids = await saveRecords(db, 3, { blobs: (i) => [photo(i + 1)] });
    central.beforeBatch = () => {
      throw revoked();
    };
    const result = await stage.runOnce(T0);
    expect(result.failure).toMatchObject({ transient: false, stationWide: true, code: 'STATION_REVOKED' });
    expect(await db.outbox.count()).toBe(3);
    for (const id of ids) {
      expect(await db.outbox.get(id)).toMatchObject({ state: 'needs-attention', lastError: { code: 'STATION_REVOKED', message: zhCN.central.errors.stationRevoked } });
    }
    expect(await db.sealedConfirmations.count()).toBe(3);
    expect(await db.blobs.count()).toBe(3);
    expect(await readLastError(db)).toMatchObject({ code: 'STATION_REVOKED', transient: false });

    // After re-enrollment a person sends them again.
    central.beforeBatch = undefined;
    expect(await stage.requeue()).toBe(3);
    expect(await stage.runOnce(T0 + 1, { force: true })).toMatchObject({ acknowledged: 3 });
    expect(await db.outbox.count()).toBe(0);
    expect(await readLastError(db)).toBeUndefined();
  });

  it('a revoked station refusing blob uploads stops the batch before it is sent', async () => {
    const { db, central, stage } = setup();
    await saveRecords(db, 2, { blobs: (i) => [photo(i + 1)] });
    central.beforeBlob = () => {
      throw revoked();
    };
    await stage.runOnce(T0);
    expect(central.batches).toHaveLength(0);
    expect(await states(db)).toEqual(['needs-attention', 'needs-attention']);
  });

  it('a reply that does not answer a record, or breaks the contract, is no acknowledgement', async () => {
    const { db, central, stage } = setup();
    const [answered, unanswered] = await saveRecords(db, 2);
    central.override = (id) => (id === unanswered ? ({ id: 'not-in-the-batch' } as never) : undefined);
    const broken = await stage.runOnce(T0);
    expect(broken.failure).toMatchObject({ transient: true, code: 'BAD_REPLY' });
    expect(await db.outbox.count()).toBe(2);

    central.override = undefined;
    const link = central.uploadBatch.bind(central);
    central.uploadBatch = async (items) => ({ results: (await link(items)).results.filter((r) => r.id === answered) });
    await stage.runOnce(T0 + 60_000, { force: true });
    expect(await db.outbox.get(answered!)).toBeUndefined();
    expect(await db.outbox.get(unanswered!)).toMatchObject({ state: 'pending', lastError: { code: 'NOT_ACKNOWLEDGED' } });
  });

  it('a lost reply after the server stored the batch: the resend is answered duplicate and the outbox empties', async () => {
    const { db, central, stage } = setup();
    const ids = await saveRecords(db, 5, { blobs: (i) => [photo(i + 1)] });
    let drops = 1;
    central.afterBatch = () => {
      if (drops-- > 0) throw transportDown();
    };
    await stage.runOnce(T0);
    expect(central.records.size).toBe(5);
    expect(await db.outbox.count()).toBe(5);

    await stage.runOnce(T0 + BACKOFF_CAP_MS);
    expect(await db.outbox.count()).toBe(0);
    for (const id of ids) expect(await readAck(db, id)).toMatchObject({ outcome: 'duplicate' });
    expect(central.records.size).toBe(ids.length);
    expect([...central.sent.values()]).toEqual(ids.map(() => 2));
  });
});

describe('UploadStage: recovery, volume, concurrency', () => {
  it('recoverInFlight turns every in-flight entry back into a pending one, due now', async () => {
    const { db, stage } = setup();
    const [a, b, c] = await saveRecords(db, 3);
    await db.outbox.bulkPut([
      { confirmationId: a!, state: 'in-flight', attempts: 2, nextAttemptAt: T0 },
      { confirmationId: b!, state: 'needs-attention', attempts: 1, nextAttemptAt: 0, lastError: { code: 'CONFLICT', message: 'x' } },
      { confirmationId: c!, state: 'in-flight', attempts: 0, nextAttemptAt: 0 },
    ]);
    expect(await stage.recoverInFlight()).toBe(2);
    expect(await db.outbox.get(a!)).toEqual({ confirmationId: a, state: 'pending', attempts: 2, nextAttemptAt: 0 });
    expect(await db.outbox.get(b!)).toMatchObject({ state: 'needs-attention' });
    expect(await db.outbox.get(c!)).toMatchObject({ state: 'pending' });
  });

  it('drains 500 records in batches of at most 50, in one pass, each exactly once', async () => {
    const { db, central, stage } = setup();
    const ids = await saveRecords(db, 500);
    const result = await stage.runOnce(T0);
    expect(result).toMatchObject({ due: 500, batches: 10, acknowledged: 500 });
    expect(central.batches.map((batch) => batch.length)).toEqual(Array(10).fill(50));
    expect(central.batches.flat()).toEqual(ids);
    expect(central.records.size).toBe(500);
    expect(await db.outbox.count()).toBe(0);
    expect(await db.sealedConfirmations.count()).toBe(500);
  });

  it('stops between batches when the engine is stopping, leaving the rest pending', async () => {
    const { db, central, stage } = setup();
    await saveRecords(db, 120);
    const stopping = new AbortController();
    central.afterBatch = () => stopping.abort();
    const result = await stage.runOnce(T0, { signal: stopping.signal });
    expect(result).toMatchObject({ due: 120, batches: 1, acknowledged: 50 });
    expect(await states(db)).toEqual(Array(70).fill('pending'));
  });

  it('a second runOnce during a pass joins it instead of sending the same entries again', async () => {
    const { db, central, stage } = setup();
    await saveRecords(db, 3);
    const a = stage.runOnce(T0);
    const b = stage.runOnce(T0);
    expect(await a).toBe(await b);
    expect(central.batches).toHaveLength(1);
    expect(central.maxActive).toBe(1);
  });

  it('an entry whose record is gone is reported, not sent and not deleted', async () => {
    const { db, central, stage } = setup();
    await db.outbox.add({ confirmationId: uuidFor(99), state: 'pending', attempts: 0, nextAttemptAt: 0 });
    const result = await stage.runOnce(T0);
    expect(result).toMatchObject({ needsAttention: 1, batches: 0 });
    expect(central.calls).toHaveLength(0);
    expect(await db.outbox.get(uuidFor(99))).toMatchObject({ state: 'needs-attention', lastError: { code: 'LOCAL_RECORD_MISSING' } });
  });

  it('a retry time hours ahead (the station clock was moved back) counts as due', async () => {
    const { db, central, stage } = setup();
    const [a] = await saveRecords(db, 1);
    await db.outbox.update(a!, { attempts: 3, nextAttemptAt: T0 + 3 * 3600_000 });
    expect(await stage.nextWakeAt(T0)).toBe(T0);
    await stage.runOnce(T0);
    expect(central.records.size).toBe(1);
  });
});
