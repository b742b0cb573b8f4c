import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { RosterSeed } from '../../../core/contract/roster.js';
import { StationDb } from '../../../renderer/db/station-db.js';
import { RosterRepository } from '../../../renderer/roster/roster-repository.js';
import { LIN, NOT_IN_ROSTER, sampleEntry, sampleRoster } from '../../support/sample-roster.js';

let db: StationDb;
let n = 0;
const open = () => (db = new StationDb(`test-${++n}`));
afterEach(async () => {
  await db.delete();
});

describe('roster repository', () => {
  it('seeds an empty roster once and finds candidates by citizen number and last six', async () => {
    const repo = new RosterRepository(open());
    let loads = 0;
    const load = async () => {
      loads += 1;
      return sampleRoster;
    };
    const meta = await repo.seedIfEmpty(load, () => new Date('2026-11-23T08:00:00Z'));
    expect(meta).toEqual({
      key: 'roster',
      pointCode: 'ZZ-JS-01',
      pointName: '郑州市金水区现场确认点',
      generatedAt: sampleRoster.generatedAt,
      loadedAt: '2026-11-23T08:00:00.000Z',
      count: 40,
      synthetic: true,
    });
    await repo.seedIfEmpty(load);
    expect(loads).toBe(1);
    expect(await repo.findByCitizenId(LIN)).toEqual(sampleEntry(LIN));
    expect(await repo.findByCitizenId(NOT_IN_ROSTER)).toBeUndefined();
    expect(await db.roster.where('idLast6').equals('140223').count()).toBe(1);
  });

  it('stores nothing when the seed cannot be written completely', async () => {
    const repo = new RosterRepository(open());
    const broken = {
      ...sampleRoster,
      // A value IndexedDB cannot clone makes the write fail half-way through the entries.
      entries: [...sampleRoster.entries.slice(0, 5), { ...sampleRoster.entries[5]!, name: (() => 'x') as unknown as string }],
    } as RosterSeed;
    await expect(repo.seedIfEmpty(async () => broken)).rejects.toThrow();
    expect(await db.roster.count()).toBe(0);
    expect(await repo.meta()).toBeUndefined();
    // A later good seed still loads.
    expect((await repo.seedIfEmpty(async () => sampleRoster)).count).toBe(40);
  });

  it('keeps an existing roster when the loader fails', async () => {
    const repo = new RosterRepository(open());
    await repo.seedIfEmpty(async () => sampleRoster);
    await expect(repo.seedIfEmpty(async () => Promise.reject(new Error('offline')))).resolves.toMatchObject({ count: 40 });
    expect(await db.roster.count()).toBe(40);
  });
});
