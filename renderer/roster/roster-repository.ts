import type { RosterEntry, RosterSeed } from '../../core/contract/roster.js';
import type { RosterMeta, StationDb } from '../db/station-db.js';

/** The local roster: seeded once from the host, looked up by citizen number. */
export class RosterRepository {
  constructor(private readonly db: StationDb) {}

  meta(): Promise<RosterMeta | undefined> {
    return this.db.meta.get('roster');
  }

  /** Loads the seed only into an empty roster, in one transaction: a half-loaded roster never exists. */
  async seedIfEmpty(loadSeed: () => Promise<RosterSeed>, now: () => Date = () => new Date()): Promise<RosterMeta> {
    const existing = await this.meta();
    if (existing) return existing;
    const seed = await loadSeed();
    const meta: RosterMeta = {
      key: 'roster',
      pointCode: seed.pointCode,
      pointName: seed.pointName,
      generatedAt: seed.generatedAt,
      loadedAt: now().toISOString(),
      count: seed.entries.length,
      synthetic: seed.synthetic,
    };
    await this.db.transaction('rw', this.db.roster, this.db.meta, async () => {
      await this.db.roster.clear();
      await this.db.roster.bulkPut(seed.entries.map((entry) => ({ ...entry, idLast6: entry.citizenId.slice(-6) })));
      await this.db.meta.put(meta);
    });
    return meta;
  }

  async findByCitizenId(citizenId: string): Promise<RosterEntry | undefined> {
    const row = await this.db.roster.get(citizenId);
    if (!row) return undefined;
    const { idLast6, ...entry } = row;
    return entry;
  }
}
