import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RosterSeed, type RosterEntry } from '../../core/contract/roster.js';

/** The shipped synthetic roster, parsed with the production schema. */
export const sampleRoster: RosterSeed = RosterSeed.parse(
  // Resolved from the project root (Vitest's cwd): under jsdom, import.meta.url is not a file URL.
  JSON.parse(readFileSync(path.resolve('assets/roster/sample-roster.json'), 'utf8')),
);

export function sampleEntry(citizenId: string): RosterEntry {
  const entry = sampleRoster.entries.find((e) => e.citizenId === citizenId);
  if (!entry) throw new Error(`no sample entry ${citizenId}`);
  return entry;
}

export const LIN = '410105200203140223';
export const ZHANG = '410302200109270111';
export const NOT_IN_ROSTER = '11010519491231002X';
