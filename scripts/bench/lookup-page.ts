/**
 * Runs inside Chromium (bundled by sync-bench.ts with esbuild): loads a synthetic roster into the app's
 * StationDb (Dexie) and into a raw IndexedDB store of the same shape, then times lookups by citizen number
 * through the app's RosterRepository and through a bare IDBObjectStore.get, one lookup at a time.
 */
import { StationDb, type RosterRow } from '../../renderer/db/station-db.js';
import { RosterRepository, sealRosterRows } from '../../renderer/roster/roster-repository.js';
import { syntheticCandidate } from './synthetic-roster.js';
import { seededRandom } from '../../native/simulators/seeded-random.js';

export interface LookupBenchParams {
  rows: number;
  lookups: number;
  seed: number;
}

export interface LookupSeries {
  loadMs: number;
  /** Lookup latencies in ms, in order. */
  samples: number[];
  /** Lookups by the last six characters (the staff's short search), in ms. */
  last6Samples: number[];
  found: number;
}

export interface LookupBenchResult {
  dexie: LookupSeries;
  raw: LookupSeries;
  userAgent: string;
}

const CHUNK = 10_000;
const LAST6_LOOKUPS = 500;


/** A row of the raw baseline store (the shape of the plaintext roster before schema 5). */
type PlainRow = RosterRow & { idLast6: string };

function rowsFrom(start: number, end: number): PlainRow[] {
  const rows: PlainRow[] = [];
  for (let i = start; i < end; i++) {
    const entry = syntheticCandidate(i, '郑州市金水区现场确认点');
    rows.push({ ...entry, idLast6: entry.citizenId.slice(-6) });
  }
  return rows;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

async function deleteDatabase(name: string): Promise<void> {
  await request(indexedDB.deleteDatabase(name));
}

interface Store {
  get(citizenId: string): Promise<{ citizenId: string } | undefined>;
  byLast6(last6: string): Promise<unknown[]>;
}

async function loadDexie(params: LookupBenchParams): Promise<{ loadMs: number; store: Store; close: () => void }> {
  await StationDb.delete('bench-dexie');
  // The app's path since schema 5: sealed rows, keyed-hash lookups (see lookup-bench.ts for the comparison).
  const dataKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const db = new StationDb('bench-dexie', { dataKey });
  const t0 = performance.now();
  for (let start = 0; start < params.rows; start += CHUNK) {
    await db.sealedRoster.bulkPut(await sealRosterRows(db, rowsFrom(start, Math.min(params.rows, start + CHUNK)).map(({ idLast6: _last6, ...row }) => row)));
  }
  const loadMs = performance.now() - t0;
  // The app's own lookup path (what the staff window calls when a card is read).
  const repo = new RosterRepository(db);
  return {
    loadMs,
    store: { get: (id) => repo.findByCitizenId(id), byLast6: (last6) => repo.findByLast6(last6) },
    close: () => db.close(),
  };
}

async function loadRaw(params: LookupBenchParams): Promise<{ loadMs: number; store: Store; close: () => void }> {
  await deleteDatabase('bench-raw');
  const open = indexedDB.open('bench-raw', 1);
  // The same store and indexes as StationDb's roster table.
  open.onupgradeneeded = () => {
    const store = open.result.createObjectStore('roster', { keyPath: 'citizenId' });
    store.createIndex('idLast6', 'idLast6');
    store.createIndex('registrationNo', 'registrationNo');
  };
  const db = await request(open);
  const t0 = performance.now();
  for (let start = 0; start < params.rows; start += CHUNK) {
    const tx = db.transaction('roster', 'readwrite');
    const store = tx.objectStore('roster');
    for (const row of rowsFrom(start, Math.min(params.rows, start + CHUNK))) store.put(row);
    await done(tx);
  }
  const loadMs = performance.now() - t0;
  return {
    loadMs,
    store: {
      get: async (id) => (await request(db.transaction('roster', 'readonly').objectStore('roster').get(id))) as PlainRow | undefined,
      byLast6: (last6) => request(db.transaction('roster', 'readonly').objectStore('roster').index('idLast6').getAll(last6)),
    },
    close: () => db.close(),
  };
}

async function runLookupBench(params: LookupBenchParams): Promise<LookupBenchResult> {
  const random = seededRandom(params.seed);
  const targets = Array.from({ length: params.lookups }, () => Math.floor(random() * params.rows));
  const dexieDb = await loadDexie(params);
  const rawDb = await loadRaw(params);
  const series = (loadMs: number): LookupSeries => ({ loadMs, samples: [], last6Samples: [], found: 0 });
  const dexie = series(dexieDb.loadMs);
  const raw = series(rawDb.loadMs);
  // Both stores loaded first, then the same targets alternately (who goes first alternates too), so
  // background compaction after the loads and cache warmth hit both alike.
  for (const [k, i] of targets.entries()) {
    const row = rowsFrom(i, i + 1)[0]!;
    const pairs: Array<[Store, LookupSeries]> = k % 2 === 0 ? [[dexieDb.store, dexie], [rawDb.store, raw]] : [[rawDb.store, raw], [dexieDb.store, dexie]];
    for (const [store, out] of pairs) {
      const t = performance.now();
      const found = await store.get(row.citizenId);
      out.samples.push(performance.now() - t);
      if (found?.citizenId === row.citizenId) out.found += 1;
    }
    if (k >= LAST6_LOOKUPS) continue;
    for (const [store, out] of pairs) {
      const t = performance.now();
      await store.byLast6(row.idLast6);
      out.last6Samples.push(performance.now() - t);
    }
  }
  dexieDb.close();
  rawDb.close();
  await StationDb.delete('bench-dexie');
  await deleteDatabase('bench-raw');
  return { dexie, raw, userAgent: navigator.userAgent };
}

(globalThis as unknown as { runLookupBench: typeof runLookupBench }).runLookupBench = runLookupBench;
