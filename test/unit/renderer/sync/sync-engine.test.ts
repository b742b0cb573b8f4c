import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { StationDb } from '../../../../renderer/db/station-db.js';
import { SyncEngine, type SyncEngineStatus, type UploadStageLike } from '../../../../renderer/sync/sync-engine.js';
import type { SyncStage } from '../../../../renderer/sync/sync-stage.js';
import { UploadStage } from '../../../../renderer/sync/upload-stage.js';
import { closeAll, FakeCentral, gate, ManualClock, openDb, photo, saveRecords, T0, transportDown } from './sync-fixtures.js';
import { until } from '../../../support/eventually.js';

const engines: SyncEngine[] = [];
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.stop();
  await closeAll();
});

function makeEngine(db: StationDb, central: FakeCentral, options: { clock?: ManualClock; roster?: SyncStage; random?: () => number } = {}) {
  const clock = options.clock ?? new ManualClock();
  const statuses: SyncEngineStatus[] = [];
  const logs: Array<[string, Readonly<Record<string, unknown>>]> = [];
  const random = options.random ?? (() => 0.5);
  const engine = new SyncEngine({
    db,
    upload: new UploadStage(db, central, { random, clock: () => clock.now() }),
    ...(options.roster ? { roster: options.roster } : {}),
    clock,
    random,
    onStatus: (status) => statuses.push(status),
    log: (event, fields) => logs.push([event, fields]),
  });
  engines.push(engine);
  return { engine, clock, statuses, logs };
}

/** Lets queued database work and status emission settle. */
async function settle(engine: SyncEngine): Promise<void> {
  await engine.idle();
  await new Promise((resolve) => setTimeout(resolve, 0));
}

describe('SyncEngine', () => {
  it('starts by recovering interrupted uploads, then uploads and reports the new status', async () => {
    const db = openDb();
    const central = new FakeCentral();
    const ids = await saveRecords(db, 3, { blobs: (i) => [photo(i + 1)] });
    await db.outbox.update(ids[0]!, { state: 'in-flight' });
    const { engine, statuses, logs } = makeEngine(db, central);

    await engine.start();
    await settle(engine);

    expect(await db.outbox.count()).toBe(0);
    expect(central.records.size).toBe(3);
    const last = statuses.at(-1)!;
    expect(last).toMatchObject({ pendingCount: 0, needsAttention: [], lastSuccessAt: T0, running: { upload: false, roster: false } });
    expect(statuses.some((status) => status.running.upload)).toBe(true);
    // Logs carry counts and codes only.
    expect(logs).toContainEqual(['pass', expect.objectContaining({ stage: 'upload', acknowledged: 3 })]);
    expect(JSON.stringify(logs)).not.toMatch(/00000000-|4101/);
  });

  it('syncNow during a pass does not start a second concurrent pass; it runs one more afterwards', async () => {
    const db = openDb();
    const central = new FakeCentral();
    await saveRecords(db, 2);
    const held = gate();
    central.beforeBatch = () => held.wait;
    const { engine } = makeEngine(db, central);
    await engine.start();
    await until(() => central.batches.length === 1);

    // Saved while the first request hangs; 立即同步 pressed twice.
    await saveRecords(db, 1, { firstId: 50 });
    let done = false;
    const first = engine.syncNow().then(() => (done = true));
    const second = engine.syncNow();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(central.batches).toHaveLength(1);
    expect(done).toBe(false);

    held.open();
    await Promise.all([first, second]);
    expect(central.maxActive).toBe(1);
    expect(central.batches.map((batch) => batch.length)).toEqual([2, 1]);
    expect(await db.outbox.count()).toBe(0);
  });

  it('sleeps until the earliest retry time after a transient failure, then retries', async () => {
    const db = openDb();
    const central = new FakeCentral();
    await saveRecords(db, 2);
    let failures = 1;
    central.beforeBatch = () => {
      if (failures-- > 0) throw transportDown();
    };
    const { engine, clock, statuses } = makeEngine(db, central);
    await engine.start();
    await settle(engine);

    expect(central.batches).toHaveLength(1);
    // Backoff 0.5 × 2 s; the idle recheck (30 s) is later.
    expect(clock.timers).toEqual([T0 + 1000]);
    expect(statuses.at(-1)).toMatchObject({ pendingCount: 2, currentError: { code: 'UNREACHABLE' } });

    clock.advanceTo(T0 + 999);
    await settle(engine);
    expect(central.batches).toHaveLength(1);

    clock.advanceTo(T0 + 1000);
    await settle(engine);
    expect(central.batches).toHaveLength(2);
    expect(await db.outbox.count()).toBe(0);
    expect(statuses.at(-1)).toMatchObject({ pendingCount: 0, currentError: undefined, lastSuccessAt: T0 + 1000 });
  });

  it('syncNow retries at once, ignoring the backoff', async () => {
    const db = openDb();
    const central = new FakeCentral();
    const [id] = await saveRecords(db, 1);
    await db.outbox.update(id!, { attempts: 12, nextAttemptAt: T0 + 200_000 });
    const { engine, clock } = makeEngine(db, central);
    await engine.start();
    await settle(engine);
    expect(central.batches).toHaveLength(0);
    expect(clock.timers).toEqual([T0 + 30_000]);

    await engine.syncNow();
    expect(central.batches).toHaveLength(1);
    expect(await db.outbox.count()).toBe(0);
  });

  it('picks up records saved later: at once when woken, otherwise at the idle recheck', async () => {
    const db = openDb();
    const central = new FakeCentral();
    const { engine, clock } = makeEngine(db, central);
    await engine.start();
    await settle(engine);

    await saveRecords(db, 1);
    engine.wake();
    await settle(engine);
    expect(central.records.size).toBe(1);

    await saveRecords(db, 1, { firstId: 20 });
    await settle(engine);
    expect(central.records.size).toBe(1);
    clock.advanceTo(clock.timers[0]!);
    await settle(engine);
    expect(central.records.size).toBe(2);
  });

  it('stops cleanly: waits for the running pass, leaves no timer, ignores later triggers', async () => {
    const db = openDb();
    const central = new FakeCentral();
    await saveRecords(db, 3);
    const held = gate();
    central.beforeBatch = () => held.wait;
    const { engine, clock } = makeEngine(db, central);
    await engine.start();
    await until(() => central.batches.length === 1);

    let stopped = false;
    const stopping = engine.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(stopped).toBe(false);
    held.open();
    await stopping;

    // The answered request was applied; nothing else runs.
    expect(await db.outbox.count()).toBe(0);
    expect(clock.timers).toEqual([]);
    await saveRecords(db, 1, { firstId: 30 });
    await engine.syncNow();
    engine.wake();
    clock.advanceTo(T0 + 3600_000);
    await settle(engine);
    expect(central.batches).toHaveLength(1);
  });

  it('crash mid-upload, restart on the same database: recovered entries are sent exactly once more and the server holds every record once', async () => {
    const name = `crash-${Math.random().toString(36).slice(2)}`;
    const db = openDb(name);
    const central = new FakeCentral();
    const ids = await saveRecords(db, 120, { blobs: (i) => [photo(i % 7)] });
    // The second request reaches the server and is stored; then the station dies before it can write anything.
    let batch = 0;
    central.afterBatch = () => {
      if (++batch !== 2) return;
      db.close({ disableAutoOpen: true });
      throw transportDown();
    };
    const first = makeEngine(db, central);
    await first.engine.start();
    await settle(first.engine);
    await first.engine.stop();

    const afterCrash = openDb(name);
    const left = await afterCrash.outbox.toArray();
    const inFlight = left.filter((row) => row.state === 'in-flight').map((row) => row.confirmationId);
    expect(inFlight).toHaveLength(50);
    expect(left.filter((row) => row.state === 'pending')).toHaveLength(20);
    expect(await afterCrash.sealedConfirmations.count()).toBe(120);

    central.afterBatch = undefined;
    const second = makeEngine(afterCrash, central);
    await second.engine.start();
    await settle(second.engine);

    expect(await afterCrash.outbox.count()).toBe(0);
    expect(await afterCrash.sealedConfirmations.count()).toBe(120);
    // Counted, not assumed: every saved record is on the server once, the interrupted ones were sent twice.
    expect(central.records.size).toBe(ids.length);
    expect(ids.every((id) => central.records.has(id))).toBe(true);
    for (const id of ids) expect(central.sent.get(id)).toBe(inFlight.includes(id) ? 2 : 1);
    expect(await second.engine.status()).toMatchObject({ pendingCount: 0, needsAttention: [] });
  });

  it('a local fault in a pass puts in-flight entries back and retries later with backoff', async () => {
    const db = openDb();
    const central = new FakeCentral();
    const [id] = await saveRecords(db, 1);
    const upload = new UploadStage(db, central, { clock: () => T0 });
    const faulty: UploadStageLike = {
      name: 'upload',
      recover: () => upload.recover(),
      requeue: (ids) => upload.requeue(ids),
      nextWakeAt: (now) => upload.nextWakeAt(now),
      runOnce: async () => {
        await db.outbox.update(id!, { state: 'in-flight' });
        throw new TypeError('a bug');
      },
    };
    const clock = new ManualClock();
    const logs: string[] = [];
    const engine = new SyncEngine({ db, upload: faulty, clock, random: () => 0.5, log: (event, fields) => logs.push(`${event}:${String(fields.code)}`) });
    engines.push(engine);
    await engine.start();
    await settle(engine);
    expect(await db.outbox.get(id!)).toMatchObject({ state: 'pending' });
    expect(logs).toEqual(['pass-failed:UNKNOWN']);
    // Backoff 1 s, but a pass that did nothing waits at least 1 s.
    expect(clock.timers).toEqual([T0 + 1000]);
  });

  it('a slow roster download does not hold back uploads', async () => {
    const db = openDb();
    const central = new FakeCentral();
    await saveRecords(db, 2);
    const download = gate();
    let rosterPasses = 0;
    const roster: SyncStage = {
      name: 'roster',
      recover: async () => undefined,
      runOnce: async () => {
        rosterPasses += 1;
        await download.wait;
        return { worked: true };
      },
      nextWakeAt: async () => undefined,
    };
    const { engine, statuses } = makeEngine(db, central, { roster });
    try {
      await engine.start();
      await until(() => statuses.some((status) => status.pendingCount === 0 && !status.running.upload));
      expect(central.records.size).toBe(2);
      expect(rosterPasses).toBe(1);
      expect(await engine.status()).toMatchObject({ pendingCount: 0, running: { upload: false, roster: true } });
    } finally {
      download.open();
    }
    await settle(engine);
    expect((await engine.status()).running.roster).toBe(false);
  });

  it('reports progress after every batch of a long drain', async () => {
    const db = openDb();
    const central = new FakeCentral();
    await saveRecords(db, 120);
    const { engine, statuses } = makeEngine(db, central);
    await engine.start();
    await settle(engine);
    const counts = statuses.map((status) => status.pendingCount);
    expect(counts).toEqual(expect.arrayContaining([120, 70, 20, 0]));
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it('requeue sends 需处理 entries again', async () => {
    const db = openDb();
    const central = new FakeCentral();
    const [id] = await saveRecords(db, 1);
    await db.outbox.update(id!, { state: 'needs-attention', lastError: { code: 'STATION_REVOKED', message: 'x' } });
    const { engine, statuses } = makeEngine(db, central);
    await engine.start();
    await settle(engine);
    expect(statuses.at(-1)?.needsAttention).toHaveLength(1);
    expect(await engine.requeue([id!])).toBe(1);
    await settle(engine);
    expect(central.records.size).toBe(1);
    expect(statuses.at(-1)).toMatchObject({ pendingCount: 0, needsAttention: [] });
  });
});

