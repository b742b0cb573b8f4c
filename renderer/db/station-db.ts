import { Dexie, type EntityTable } from 'dexie';
import type { RosterEntry } from '../../core/contract/roster.js';

export interface RosterRow extends RosterEntry {
  /** Staff often search by the last six characters of the number. */
  idLast6: string;
}

export interface RosterMeta {
  key: 'roster';
  pointCode: string;
  pointName: string;
  generatedAt: string;
  loadedAt: string;
  count: number;
  synthetic: boolean;
}

/** The station's one local database. Schema changes are new `version()` blocks, never edits of old ones. */
export class StationDb extends Dexie {
  roster!: EntityTable<RosterRow, 'citizenId'>;
  meta!: EntityTable<RosterMeta, 'key'>;

  constructor(name = 'xianchang-station') {
    super(name);
    this.version(1).stores({
      roster: 'citizenId, idLast6, registrationNo',
      meta: 'key',
    });
  }
}
