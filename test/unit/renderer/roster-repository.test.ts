import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { RosterSeed } from '../../../core/contract/roster.js';
import { StationDb } from '../../../renderer/db/station-db.js';
import { RosterRepository } from '../../../renderer/roster/roster-repository.js';
import { LIN, NOT_IN_ROSTER, sampleEntry, sampleRoster } from '../../support/sample-roster.js';
import { testDataKey } from './data-key.js';

let db: StationDb;
let n = 0;
const open = () => (db = new StationDb(`test-${++n}`, { dataKey: testDataKey }));
afterEach(async () => {
  await db.delete();
});

describe('roster repository', () => {
  it('loads the seed, keeps it while unchanged, and finds candidates by citizen number and last six', async () => {
    const repo = new RosterRepository(open());
    let loads = 0;
    const load = async () => {
      loads += 1;
      return sampleRoster;
    };
    const { meta } = await repo.syncFromSeed(load, () => new Date('2026-11-23T08:00:00Z'));
    expect(meta).toEqual({
      key: 'roster',
      pointCode: 'ZZ-JS-01',
      pointName: '郑州市金水区现场确认点',
      generatedAt: sampleRoster.generatedAt,
      loadedAt: '2026-11-23T08:00:00.000Z',
      count: 40,
      synthetic: true,
      source: 'seed',
    });
    // The same seed again: nothing rewritten.
    const again = await repo.syncFromSeed(load, () => new Date('2026-11-24T08:00:00Z'));
    expect(again.meta.loadedAt).toBe('2026-11-23T08:00:00.000Z');
    expect(loads).toBe(2);
    expect(await repo.findByCitizenId(LIN)).toEqual(sampleEntry(LIN));
    expect(await repo.findByCitizenId(NOT_IN_ROSTER)).toBeUndefined();
    expect(await repo.findByLast6('140223')).toEqual([sampleEntry(LIN)]);
  });

  it('finds foreign permanent resident numbers by the keyed index, whatever the case they are typed in', async () => {
    const repo = new RosterRepository(open());
    const f2017 = { ...sampleEntry(LIN), citizenId: 'USA110088071537', registrationNo: '202641099901' };
    const f2023 = { ...sampleEntry(LIN), citizenId: '911840199506120036', registrationNo: '202641099902' };
    await repo.syncFromSeed(async () => ({ ...sampleRoster, entries: [...sampleRoster.entries, f2017, f2023] }));
    expect(await repo.findByCitizenId('USA110088071537')).toEqual(f2017);
    expect(await repo.findByCitizenId(' usa 1100 8807 1537')).toEqual(f2017);
    expect(await repo.findByCitizenId('911840199506120036')).toEqual(f2023);
    expect(await repo.findByLast6('071537')).toEqual([f2017]);
    // Resident numbers hash exactly as before.
    expect(await repo.findByCitizenId(LIN)).toEqual(sampleEntry(LIN));
  });

  it('stores nothing when the seed cannot be written completely', async () => {
    const repo = new RosterRepository(open());
    const broken = {
      ...sampleRoster,
      // A value IndexedDB cannot clone makes the write fail half-way through the entries.
      entries: [...sampleRoster.entries.slice(0, 5), { ...sampleRoster.entries[5]!, name: (() => 'x') as unknown as string }],
    } as RosterSeed;
    await expect(repo.syncFromSeed(async () => broken)).rejects.toThrow();
    expect(await db.sealedRoster.count()).toBe(0);
    expect(await repo.meta()).toBeUndefined();
    // A later good seed still loads.
    expect((await repo.syncFromSeed(async () => sampleRoster)).meta.count).toBe(40);
  });

  it('keeps an existing roster when the loader fails, and says so', async () => {
    const repo = new RosterRepository(open());
    await repo.syncFromSeed(async () => sampleRoster);
    const kept = await repo.syncFromSeed(async () => Promise.reject(new Error('offline')));
    expect(kept.meta.count).toBe(40);
    expect(kept.loadError?.code).toBe('INTERNAL');
    expect(await db.sealedRoster.count()).toBe(40);
  });

  it('fails when there is no roster yet and the loader fails', async () => {
    const repo = new RosterRepository(open());
    await expect(repo.syncFromSeed(async () => Promise.reject(new Error('offline')))).rejects.toThrow('offline');
  });

  it('replaces the whole roster when the seed is a newer export or for another point', async () => {
    const repo = new RosterRepository(open());
    await repo.syncFromSeed(async () => sampleRoster);
    const newer: RosterSeed = { ...sampleRoster, generatedAt: '2026-11-22T08:00:00+08:00', entries: sampleRoster.entries.slice(0, 3) };
    const { meta } = await repo.syncFromSeed(async () => newer);
    expect(meta).toMatchObject({ count: 3, generatedAt: '2026-11-22T08:00:00+08:00' });
    expect(await db.sealedRoster.count()).toBe(3);
    expect(await repo.findByCitizenId(sampleRoster.entries[10]!.citizenId)).toBeUndefined();
    const otherPoint: RosterSeed = { ...newer, pointCode: 'LY-01', pointName: '洛阳确认点', entries: sampleRoster.entries.slice(3, 5) };
    expect((await repo.syncFromSeed(async () => otherPoint)).meta).toMatchObject({ pointCode: 'LY-01', count: 2 });
    expect(await repo.findByCitizenId(LIN)).toBeUndefined();
  });
});
