import type { RosterMeta } from '../db/station-db.js';

export interface RosterAge {
  /** When the roster was last known to be current (ms since the epoch). */
  updatedAt: number;
  ageHours: number;
  stale: boolean;
}

/**
 * A downloaded roster is as fresh as the last time the station asked the server for changes and got an
 * answer (even "nothing new"); a bundled roster is as old as its export.
 */
export function rosterAge(meta: RosterMeta, lastRosterSyncAt: number | undefined, limitHours: number, now: number): RosterAge {
  const stored = Date.parse(meta.source === 'central' ? meta.loadedAt : meta.generatedAt);
  const updatedAt = Math.max(Number.isNaN(stored) ? 0 : stored, meta.source === 'central' ? (lastRosterSyncAt ?? 0) : 0);
  const ageHours = Math.max(0, Math.floor((now - updatedAt) / 3_600_000));
  return { updatedAt, ageHours, stale: now - updatedAt > limitHours * 3_600_000 };
}
