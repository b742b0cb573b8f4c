/**
 * Runs inside Chromium (bundled by lookup-bench.ts with esbuild): the same synthetic roster loaded twice,
 * into a plaintext roster table (the schema ≤ 4 shape: keyed by the citizen number, indexed by the last six
 * characters) and through the app's sealed path (RosterRepository: keyed hashes, AES-GCM rows), then the
 * same random lookups against both, alternately, one at a time.
 */
import { Dexie } from 'dexie';
import type { RosterEntry } from '../../core/contract/roster.js';
import { StationDb } from '../../renderer/db/station-db.js';
import { RosterRepository, sealRosterRows } from '../../renderer/roster/roster-repository.js';
import { seededRandom } from '../../native/simulators/seeded-random.js';
import { syntheticCandidate } from './synthetic-roster.js';

export interface KeyedLookupParams {
  rows: number;
  lookups: number;
  last6Lookups: number;
  seed: number;
}

export interface KeyedLookupSeries {
  importMs: number;
  /** Per lookup by citizen number, ms, in order. */
  samples: number[];
  last6Samples: number[];
  found: number;
}

export interface KeyedLookupResult {
  plain: KeyedLookupSeries;
  keyed: KeyedLookupSeries;
  userAgent: string;
}

/** The roster stage stores pages of 1000; the import here writes 10,000 per transaction, both ways alike. */
const CHUNK = 10_000;
const POINT = '郑州市金水区现场确认点';

function entries(start: number, end: number): RosterEntry[] {
  return Array.from({ length: end - start }, (_, k) => syntheticCandidate(start + k, POINT));
}

async function runKeyedLookupBench(params: KeyedLookupParams): Promise<KeyedLookupResult> {
  await Dexie.delete('bench-plain');
  await StationDb.delete('bench-keyed');
  const plainDb = new Dexie('bench-plain');
  plainDb.version(1).stores({ roster: 'citizenId, idLast6, registrationNo' });
  const dataKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const keyedDb = new StationDb('bench-keyed', { dataKey });
  const repo = new RosterRepository(keyedDb);
  const plainTable = plainDb.table<RosterEntry & { idLast6: string }, string>('roster');

  const series = (): KeyedLookupSeries => ({ importMs: 0, samples: [], last6Samples: [], found: 0 });
  const plain = series();
  const keyed = series();

  let t = performance.now();
  for (let start = 0; start < params.rows; start += CHUNK) {
    const chunk = entries(start, Math.min(params.rows, start + CHUNK));
    await plainTable.bulkPut(chunk.map((entry) => ({ ...entry, idLast6: entry.citizenId.slice(-6) })));
  }
  plain.importMs = performance.now() - t;
  t = performance.now();
  for (let start = 0; start < params.rows; start += CHUNK) {
    // Sealed outside the write transaction, as the roster stage and the seed import do.
    const rows = await sealRosterRows(keyedDb, entries(start, Math.min(params.rows, start + CHUNK)));
    await keyedDb.sealedRoster.bulkPut(rows);
  }
  keyed.importMs = performance.now() - t;

  const stores: Array<{ out: KeyedLookupSeries; get: (id: string) => Promise<RosterEntry | undefined>; byLast6: (s: string) => Promise<unknown[]> }> = [
    {
      out: plain,
      // The pre-schema-5 app path: get by the number, drop the index column.
      get: async (id) => {
        const row = await plainTable.get(id);
        if (!row) return undefined;
        const { idLast6: _last6, ...entry } = row;
        return entry;
      },
      byLast6: (last6) => plainTable.where('idLast6').equals(last6).toArray(),
    },
    { out: keyed, get: (id) => repo.findByCitizenId(id), byLast6: (last6) => repo.findByLast6(last6) },
  ];
  const random = seededRandom(params.seed);
  // A few untimed lookups first: the derived index key and both connections warm.
  for (let k = 0; k < 20; k++) for (const store of stores) await store.get(syntheticCandidate(k, POINT).citizenId);
  for (let k = 0; k < params.lookups; k++) {
    const target = syntheticCandidate(Math.floor(random() * params.rows), POINT);
    // Who goes first alternates, so cache warmth and background compaction hit both alike.
    const order = k % 2 === 0 ? stores : [...stores].reverse();
    for (const store of order) {
      const t0 = performance.now();
      const found = await store.get(target.citizenId);
      store.out.samples.push(performance.now() - t0);
      if (found?.citizenId === target.citizenId && found.name === target.name) store.out.found += 1;
    }
    if (k >= params.last6Lookups) continue;
    for (const store of order) {
      const t0 = performance.now();
      await store.byLast6(target.citizenId.slice(-6));
      store.out.last6Samples.push(performance.now() - t0);
    }
  }
  plainDb.close();
  keyedDb.close();
  await Dexie.delete('bench-plain');
  await StationDb.delete('bench-keyed');
  return { plain, keyed, userAgent: navigator.userAgent };
}

(globalThis as unknown as { runKeyedLookupBench: typeof runKeyedLookupBench }).runKeyedLookupBench = runKeyedLookupBench;
