import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sha256Hex } from '../../../core/crypto/sha256.js';
import { canonicalJson } from '../../../core/util/canonical-json.js';
import { ConfirmationRepository } from '../../../renderer/confirmations/confirmation-repository.js';
import { migratePlaintextData } from '../../../renderer/db/plaintext-migration.js';
import { deriveIndexKey, RecordSealer } from '../../../renderer/db/record-seal.js';
import { StationDb, type ConfirmationRow } from '../../../renderer/db/station-db.js';
import { RosterRepository } from '../../../renderer/roster/roster-repository.js';
import { UploadStage } from '../../../renderer/sync/upload-stage.js';
import { LIN, sampleRoster } from '../../support/sample-roster.js';
import { newDataKey, testDataKey } from './data-key.js';
import { FakeCentral, saveRecords, T0 } from './sync/sync-fixtures.js';

let n = 0;
const opened: Dexie[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

function open(name = `at-rest-${++n}`, dataKey: CryptoKey = testDataKey): StationDb {
  const db = new StationDb(name, { dataKey });
  opened.push(db);
  return db;
}

const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const encoder = new TextEncoder();

function image(magic: Uint8Array, fill: number, size = 2048): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size).fill(fill);
  bytes.set(magic);
  return bytes;
}

/** Every value of every object store of every database, read with the bare IndexedDB API. */
async function dumpAll(): Promise<unknown[]> {
  const request = <T>(req: IDBRequest<T>) =>
    new Promise<T>((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  const out: unknown[] = [];
  for (const info of await indexedDB.databases()) {
    const db = await request(indexedDB.open(info.name!));
    for (const store of Array.from(db.objectStoreNames)) {
      const tx = db.transaction(store, 'readonly');
      out.push(store, ...(await request(tx.objectStore(store).getAllKeys())), ...(await request(tx.objectStore(store).getAll())));
    }
    db.close();
  }
  return out;
}

/** Strings and byte arrays anywhere inside the dumped values. */
function leaves(value: unknown, strings: string[], bytes: Uint8Array[]): void {
  if (typeof value === 'string') strings.push(value);
  else if (value instanceof Uint8Array) bytes.push(value);
  else if (value instanceof ArrayBuffer) bytes.push(new Uint8Array(value));
  else if (Array.isArray(value)) for (const item of value) leaves(item, strings, bytes);
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) leaves([key, item], strings, bytes);
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

describe('keyed lookup hashes', () => {
  it('normalise the number (lower-case x, spaces) and differ per key and per kind', async () => {
    const a = new RecordSealer(testDataKey);
    expect(await a.hash('citizen-id', ' 11010519491231002x ')).toBe(await a.hash('citizen-id', '11010519491231002X'));
    expect(await a.hash('citizen-id', '11010519491231002X')).toMatch(/^[0-9a-f]{64}$/);
    expect(await a.hash('citizen-id', '11010519491231002X')).not.toBe(await a.hash('citizen-id', '110105194912310036'));
    // Another station's key gives other hashes: a dump cannot be matched against a list of numbers.
    expect(await new RecordSealer(await newDataKey()).hash('citizen-id', '11010519491231002X')).not.toBe(await a.hash('citizen-id', '11010519491231002X'));
    // The same six characters as a last-six search and as a registration number hash apart.
    expect(await a.hash('last6', '31002X')).not.toBe(await a.hash('registration-no', '31002X'));
    // The derived key is the same every time (window and worker agree) and cannot be read out.
    const key = await deriveIndexKey(testDataKey);
    expect(key).toMatchObject({ extractable: false, type: 'secret', usages: ['sign'] });
    await expect(crypto.subtle.exportKey('raw', key)).rejects.toThrow();
  });

  it('without the data key nothing is hashed, sealed or opened', async () => {
    const sealer = new RecordSealer(undefined);
    await expect(sealer.hash('citizen-id', LIN)).rejects.toMatchObject({ reason: 'no-key' });
    await expect(sealer.seal('roster', 'x', {})).rejects.toMatchObject({ reason: 'no-key' });
  });
});

describe('sealed rows', () => {
  it('a roster cipher moved to another row, or altered, fails to open (typed error, nothing returned)', async () => {
    const db = open();
    const repo = new RosterRepository(db);
    await repo.syncFromSeed(async () => sampleRoster);
    const [a, b] = await db.sealedRoster.limit(2).toArray();
    await db.sealedRoster.put({ ...a!, sealed: b!.sealed });
    const swapped = await db.sealedRoster.get(a!.idHash);
    const { openRosterRow } = await import('../../../renderer/roster/roster-repository.js');
    await expect(openRosterRow(db, swapped!)).rejects.toMatchObject({ code: 'FILE_INVALID', reason: 'unreadable' });
    const cipher = b!.sealed.cipher.slice();
    cipher[0] = cipher[0]! ^ 1;
    await expect(openRosterRow(db, { ...b!, sealed: { ...b!.sealed, cipher } })).rejects.toMatchObject({ reason: 'unreadable' });
  });

  it('a confirmation whose plain fields were changed (version, time, hash) fails to open', async () => {
    const db = open();
    const [id] = await saveRecords(db, 1);
    const repo = new ConfirmationRepository(db);
    const row = (await db.sealedConfirmations.get(id!))!;
    const { openConfirmation } = await import('../../../renderer/confirmations/confirmation-repository.js');
    expect((await openConfirmation(db, row)).id).toBe(id);
    for (const changed of [{ version: 2 }, { savedAt: '2026-11-24T00:00:00.000Z' }, { contentSha256: sha256Hex('x') }, { id: 'other' }]) {
      await expect(openConfirmation(db, { ...row, ...changed })).rejects.toMatchObject({ reason: 'unreadable' });
    }
    expect(await repo.get(id!)).toMatchObject({ id, version: 1 });
  });
});

describe('a day of confirmations at rest', () => {
  it('leaves no citizen number, name, last six, registration number or image bytes in plain form in any store', async () => {
    const db = open();
    await new RosterRepository(db).syncFromSeed(async () => sampleRoster);
    const people = sampleRoster.entries.slice(0, 8);
    const central = new FakeCentral();
    let id = 0;
    let at = T0;
    const repo = new ConfirmationRepository(db, { now: () => new Date((at += 60_000)), newId: () => `00000000-0000-4000-8000-${String(++id).padStart(12, '0')}` });
    const images: Uint8Array[] = [];
    for (const [i, person] of people.entries()) {
      const photo = image(JPEG, 10 + i);
      const signature = image(PNG, 100 + i, 512);
      images.push(photo, signature);
      const saved = await repo.save({
        content: {
          candidate: { citizenId: person.citizenId, registrationNo: person.registrationNo, name: person.name },
          identification: { source: 'chip', cardType: 'resident' },
          outcome: 'confirmed',
          reasons: [],
          decidedAt: new Date(at).toISOString(),
        },
        blobs: [
          { role: 'standard-photo', mime: 'image/jpeg', bytes: photo },
          { role: 'signature', mime: 'image/png', bytes: signature },
        ],
      });
      // A correction for some: a second version of the same candidate.
      if (i % 3 === 0) {
        await repo.save({ content: { ...saved.content, outcome: 'rejected', reasons: ['材料不全'] }, blobs: [], supersedes: saved.id });
      }
    }
    const upload = await new UploadStage(db, central, { random: () => 0, clock: () => at }).runOnce(at);
    expect(upload.acknowledged).toBeGreaterThan(0);
    await repo.markDayClosed('2026-11-23');

    // What the staff window reads is all there, through the repositories.
    expect(await new RosterRepository(db).findByCitizenId(LIN)).toMatchObject({ name: '林晓雨' });
    expect(await repo.history(people[0]!.citizenId)).toHaveLength(2);

    const strings: string[] = [];
    const bytes: Uint8Array[] = [];
    leaves(await dumpAll(), strings, bytes);
    expect(strings.length).toBeGreaterThan(100);
    const text = strings.join('\n');
    for (const entry of sampleRoster.entries) {
      expect(text).not.toContain(entry.citizenId);
      expect(text).not.toContain(entry.name);
      expect(text).not.toContain(entry.registrationNo);
      // The last six as a field value (it would find the candidate as well as the whole number does).
      expect(strings).not.toContain(entry.citizenId.slice(-6));
      for (const b of bytes) {
        expect(contains(b, encoder.encode(entry.citizenId))).toBe(false);
        expect(contains(b, encoder.encode(entry.name))).toBe(false);
      }
    }
    expect(text).not.toContain('data:image');
    for (const b of bytes) {
      expect(contains(b, JPEG.subarray(0, 4))).toBe(false);
      expect(contains(b, PNG)).toBe(false);
      for (const img of images) expect(contains(b, img.subarray(10, 42))).toBe(false);
    }
  });
});

/** The schema of the last plaintext version, as shipped (a copy: old versions are never edited). */
function openV4(name: string): Dexie {
  const v4 = new Dexie(name);
  v4.version(1).stores({ roster: 'citizenId, idLast6, registrationNo', meta: 'key' });
  v4.version(2).stores({ confirmations: 'id, citizenId, [citizenId+version], savedAt', blobs: 'sha256', outbox: 'confirmationId, state, nextAttemptAt', syncState: 'key', audit: '++seq, at, kind' });
  v4.version(3).stores({ photoQueue: 'sha256' });
  v4.version(4).stores({ blobs: 'sha256, plain' });
  return v4;
}

function legacyRecord(i: number, version = 1, supersedes?: string): ConfirmationRow {
  const entry = sampleRoster.entries[i % sampleRoster.entries.length]!;
  const content = {
    candidate: { citizenId: entry.citizenId, registrationNo: entry.registrationNo, name: entry.name },
    identification: { source: 'chip' as const, cardType: 'resident' as const },
    outcome: 'confirmed' as const,
    reasons: [],
    decidedAt: '2026-11-23T09:29:58+08:00',
    blobs: [{ role: 'standard-photo', sha256: sha256Hex(image(JPEG, i % 5)) }],
  };
  return {
    id: `00000000-0000-4000-8000-${String(i * 10 + version).padStart(12, '0')}`,
    citizenId: entry.citizenId,
    version,
    ...(supersedes ? { supersedes } : {}),
    content,
    contentSha256: sha256Hex(canonicalJson(content)),
    savedAt: new Date(T0 + i * 1000 + version).toISOString(),
  };
}

describe('schema 5: a version 4 database with data', () => {
  async function seedV4(name: string, rosterRows: number, records: number) {
    const v4 = openV4(name);
    const roster = Array.from({ length: rosterRows }, (_, i) => {
      const entry = sampleRoster.entries[i % sampleRoster.entries.length]!;
      // Unique numbers beyond the sample's 40: the last digits change, the check character is not re-checked here.
      return i < sampleRoster.entries.length ? { ...entry, idLast6: entry.citizenId.slice(-6) } : undefined;
    }).filter((row) => row !== undefined);
    await v4.table('roster').bulkPut(roster);
    const rows = Array.from({ length: records }, (_, i) => legacyRecord(i));
    rows.push(legacyRecord(0, 2, rows[0]!.id));
    await v4.table('confirmations').bulkPut(rows);
    await v4.table('outbox').bulkPut(rows.slice(0, 3).map((row) => ({ confirmationId: row.id, state: 'pending', attempts: 0, nextAttemptAt: 0 })));
    await v4.table('blobs').bulkPut([0, 1, 2, 3, 4].map((f) => ({ sha256: sha256Hex(image(JPEG, f)), mime: 'image/jpeg', bytes: image(JPEG, f), plain: 1 })));
    await v4.table('audit').add({ at: rows[0]!.savedAt, kind: 'confirmation-saved', confirmationId: rows[0]!.id });
    v4.close();
    return { roster, rows };
  }

  it('moves every row into the sealed tables, unchanged as read back, and a second run does nothing', async () => {
    const name = `v4-${++n}`;
    const { roster, rows } = await seedV4(name, 40, 260);
    const plainText = (strings: string[]) => strings.join('\n');
    const before: string[] = [];
    leaves(await dumpAll(), before, []);
    // The detector works: the old database shows the numbers and names in plain form.
    expect(plainText(before)).toContain(LIN);
    expect(plainText(before)).toContain('林晓雨');
    const db = open(name);
    await db.open();
    // The latest schema (v6 added the receipts table); the move into sealed tables is schema 5's.
    expect(db.verno).toBe(7);
    expect(await migratePlaintextData(db, testDataKey)).toEqual({ blobs: 5, roster: 40, rosterDropped: 0, confirmations: 261, confirmationsKept: 0 });
    expect(await db.legacyRoster.count()).toBe(0);
    expect(await db.legacyConfirmations.count()).toBe(0);
    const after: string[] = [];
    leaves(await dumpAll(), after, []);
    expect(plainText(after)).not.toContain(LIN);
    expect(plainText(after)).not.toContain('林晓雨');
    const repo = new ConfirmationRepository(db);
    for (const row of rows) expect(await repo.get(row.id)).toEqual(row);
    expect((await repo.history(rows[0]!.citizenId)).map((r) => r.version)).toEqual([1, 1, 1, 1, 1, 1, 1, 2]);
    const rosterRepo = new RosterRepository(db);
    for (const { idLast6: _l, ...entry } of roster) expect(await rosterRepo.findByCitizenId(entry.citizenId)).toEqual(entry);
    expect(await db.outbox.count()).toBe(3);
    expect(await db.audit.count()).toBe(1);
    expect(await migratePlaintextData(db, testDataKey)).toEqual({ blobs: 0, roster: 0, rosterDropped: 0, confirmations: 0, confirmationsKept: 0 });
    // And the frozen guarantee holds on migrated records.
    await expect(db.sealedConfirmations.update(rows[0]!.id, { version: 9 })).rejects.toThrow();
  });

  it('a crash half-way leaves every record in exactly one table; the next start finishes the move', async () => {
    const name = `v4-crash-${++n}`;
    const { rows } = await seedV4(name, 40, 450);
    const db = open(name);
    // The power goes on the second chunk's write, after it added the sealed rows and before it commits.
    let writes = 0;
    const table = db.legacyConfirmations;
    const real = table.bulkDelete.bind(table);
    const spy = vi.spyOn(table, 'bulkDelete').mockImplementation((keys) =>
      real(keys).then(() => {
        if (++writes === 2) throw new Error('power cut');
      }),
    );
    await expect(migratePlaintextData(db, testDataKey)).rejects.toThrow('power cut');
    const moved = await db.sealedConfirmations.count();
    const left = await db.legacyConfirmations.count();
    // The first chunk committed whole; the second rolled back whole.
    expect(moved).toBe(200);
    expect(moved + left).toBe(rows.length);
    spy.mockRestore();
    db.close();

    const again = open(name);
    expect((await migratePlaintextData(again, testDataKey)).confirmations).toBe(left);
    const repo = new ConfirmationRepository(again);
    expect(await repo.count()).toBe(rows.length);
    for (const row of rows) expect(await repo.get(row.id)).toEqual(row);
  });

  it('a legacy record that cannot be sealed stays where it is (never deleted); a bad roster row is dropped', async () => {
    const name = `v4-bad-${++n}`;
    const v4 = openV4(name);
    const good = legacyRecord(1);
    await v4.table('confirmations').bulkPut([good, { id: 'broken', version: 1, savedAt: good.savedAt }]);
    await v4.table('roster').bulkPut([{ ...sampleRoster.entries[0]!, idLast6: 'x' }, { citizenId: '1', idLast6: '1' }]);
    v4.close();
    const db = open(name);
    expect(await migratePlaintextData(db, testDataKey)).toMatchObject({ roster: 1, rosterDropped: 1, confirmations: 1, confirmationsKept: 1 });
    expect(await db.legacyConfirmations.count()).toBe(1);
    expect(await db.legacyRoster.count()).toBe(0);
  });
});
