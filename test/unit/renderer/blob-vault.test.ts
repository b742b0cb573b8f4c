import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { sha256Hex } from '../../../core/crypto/sha256.js';
import { importDataKey, isDataKey, migratePlaintextBlobs, StorageError, verifyDataKey, type PlainBlob } from '../../../renderer/db/blob-vault.js';
import { StationDb, type BlobRow, type EncryptedBlobRow } from '../../../renderer/db/station-db.js';
import { RosterRepository, sealRosterRows } from '../../../renderer/roster/roster-repository.js';
import { LIN, sampleEntry } from '../../support/sample-roster.js';
import { newDataKey, testDataKey } from './data-key.js';

let n = 0;
const opened: Dexie[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.delete();
});

/** `null`: opened without a key. */
function open(key: CryptoKey | null = testDataKey, name = `vault-${++n}`): StationDb {
  const db = new StationDb(name, key ? { dataKey: key } : {});
  opened.push(db);
  return db;
}

/** Something that must never be found in a stored row: a recognisable run of personal data. */
const MARKER = new TextEncoder().encode(`PLAINTEXT-MARKER ${LIN} 林晓雨 `);

async function blobOf(fill: number, mime = 'image/jpeg'): Promise<PlainBlob> {
  const bytes = new Uint8Array(4096);
  for (let i = 0; i + MARKER.length <= bytes.length; i += MARKER.length) bytes.set(MARKER, i);
  bytes[bytes.length - 1] = fill;
  return { sha256: sha256Hex(bytes), mime, bytes };
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

async function storedRow(db: StationDb, sha256: string): Promise<EncryptedBlobRow> {
  const row = (await db.blobs.get(sha256)) as BlobRow;
  if (!('cipher' in row)) throw new Error('row is not encrypted');
  return row;
}

describe('BlobVault', () => {
  it('round trip: what is put is what is read back', async () => {
    const db = open();
    const [a, b, c] = await Promise.all([blobOf(1), blobOf(2, 'image/png'), blobOf(3, 'application/octet-stream')]);
    await db.vault.put(a!);
    await db.vault.bulkPut([b!, c!]);
    expect(await db.vault.get(a!.sha256)).toEqual(a);
    expect(await db.vault.get(b!.sha256)).toEqual(b);
    expect(await db.vault.get(c!.sha256)).toEqual(c);
    expect(await db.vault.get('0'.repeat(64))).toBeUndefined();
  });

  it('stores no plaintext: the row holds only the address, type, IV and ciphertext', async () => {
    const db = open();
    const blob = await blobOf(1);
    expect(contains(blob.bytes, MARKER)).toBe(true);
    await db.vault.put(blob);
    const row = await storedRow(db, blob.sha256);
    expect(Object.keys(row).sort()).toEqual(['cipher', 'iv', 'mime', 'sha256']);
    expect(row.iv).toHaveLength(12);
    // AES-GCM: same length as the plaintext plus the 16-byte tag.
    expect(row.cipher).toHaveLength(blob.bytes.length + 16);
    expect(contains(row.cipher, MARKER)).toBe(false);
    expect(contains(row.cipher, MARKER.subarray(0, 8))).toBe(false);
  });

  it('uses a fresh IV per blob: the same bytes twice give different ciphertexts', async () => {
    const db = open();
    const blob = await blobOf(1);
    await db.vault.put(blob);
    const first = await storedRow(db, blob.sha256);
    await db.vault.put(blob);
    const second = await storedRow(db, blob.sha256);
    expect(first.iv).not.toEqual(second.iv);
    expect(first.cipher).not.toEqual(second.cipher);
  });

  it('a wrong key fails with the typed error, and nothing is deleted', async () => {
    const name = `vault-${++n}`;
    const db = open(testDataKey, name);
    const blob = await blobOf(1);
    await db.vault.put(blob);
    await verifyDataKey(db, testDataKey);
    db.close();

    const other = open(await newDataKey(), name);
    const failure = await other.vault.get(blob.sha256).catch((thrown: unknown) => thrown);
    expect(failure).toBeInstanceOf(StorageError);
    expect(failure).toMatchObject({ code: 'FILE_INVALID', reason: 'unreadable', userMessage: zhCN.storage.tampered });
    // At startup the key check names the cause before anything is written with the wrong key.
    await expect(migratePlaintextBlobs(other, await newDataKey())).rejects.toMatchObject({ code: 'FILE_INVALID', reason: 'wrong-key', userMessage: zhCN.storage.wrongKey });
    expect(await other.blobs.count()).toBe(1);
    expect(await other.syncState.get('storage.keyCheck')).toBeDefined();
  });

  it('detects swapped ciphers (the address and type are bound as additional data)', async () => {
    const db = open();
    const [a, b] = await Promise.all([blobOf(1), blobOf(2)]);
    await db.vault.bulkPut([a!, b!]);
    const rowA = await storedRow(db, a!.sha256);
    const rowB = await storedRow(db, b!.sha256);
    await db.blobs.bulkPut([
      { ...rowA, iv: rowB.iv, cipher: rowB.cipher },
      { ...rowB, iv: rowA.iv, cipher: rowA.cipher },
    ]);
    await expect(db.vault.get(a!.sha256)).rejects.toMatchObject({ reason: 'unreadable' });
    await expect(db.vault.get(b!.sha256)).rejects.toMatchObject({ reason: 'unreadable' });
    expect(await db.blobs.count()).toBe(2);
  });

  it('detects a relabelled type, a flipped bit and a malformed row', async () => {
    const db = open();
    const [a, b, c] = await Promise.all([blobOf(1), blobOf(2), blobOf(3)]);
    await db.vault.bulkPut([a!, b!, c!]);
    await db.blobs.put({ ...(await storedRow(db, a!.sha256)), mime: 'image/png' });
    const rowB = await storedRow(db, b!.sha256);
    const flipped = rowB.cipher.slice();
    flipped[100] = flipped[100]! ^ 1;
    await db.blobs.put({ ...rowB, cipher: flipped });
    await db.blobs.put({ ...(await storedRow(db, c!.sha256)), iv: new Uint8Array(3) });
    for (const blob of [a!, b!, c!]) await expect(db.vault.get(blob.sha256)).rejects.toMatchObject({ reason: 'unreadable' });
  });

  it('refuses to read or write without a key', async () => {
    const db = open(null);
    const blob = await blobOf(1);
    await expect(db.vault.put(blob)).rejects.toMatchObject({ reason: 'no-key', userMessage: zhCN.storage.noKey });
    expect(await db.blobs.count()).toBe(0);
  });

  it('imports the host key as a non-extractable AES-GCM key, the kind the worker start message accepts', async () => {
    const key = await importDataKey(Buffer.alloc(32, 7).toString('base64'));
    expect(key.extractable).toBe(false);
    expect(isDataKey(key)).toBe(true);
    await expect(crypto.subtle.exportKey('raw', key)).rejects.toThrow();
    await expect(importDataKey(Buffer.alloc(16).toString('base64'))).rejects.toMatchObject({ reason: 'no-key' });
    const hmac = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    expect(isDataKey(hmac)).toBe(false);
    expect(isDataKey({ algorithm: { name: 'AES-GCM' } })).toBe(false);
  });

  it('an unreadable roster photo leaves the candidate findable, without the photo', async () => {
    const db = open();
    const photo = await blobOf(1);
    const { photo: _seedPhoto, ...entry } = sampleEntry(LIN);
    await db.sealedRoster.bulkPut(await sealRosterRows(db, [{ ...entry, photoSha256: photo.sha256 }]));
    await db.vault.put(photo);
    const repo = new RosterRepository(db);
    expect((await repo.findByCitizenId(LIN))?.photo).toMatch(/^data:image\/jpeg;base64,/);
    const row = await storedRow(db, photo.sha256);
    await db.blobs.put({ ...row, cipher: row.cipher.slice(1) });
    const found = await repo.findByCitizenId(LIN);
    expect(found).toMatchObject({ citizenId: LIN });
    expect(found?.photo).toBeUndefined();
  });
});

describe('schema version 4: plaintext blobs from version 3 are encrypted at startup', () => {
  async function version3(name: string, blobs: readonly PlainBlob[]): Promise<void> {
    const v3 = new Dexie(name);
    v3.version(1).stores({ roster: 'citizenId, idLast6, registrationNo', meta: 'key' });
    v3.version(2).stores({ confirmations: 'id, citizenId, [citizenId+version], savedAt', blobs: 'sha256', outbox: 'confirmationId, state, nextAttemptAt', syncState: 'key', audit: '++seq, at, kind' });
    v3.version(3).stores({ photoQueue: 'sha256' });
    await v3.table('blobs').bulkPut(blobs.map((blob) => ({ ...blob })));
    v3.close();
  }

  it('marks the old rows, encrypts every one of them, keeps the count, and reads them back unchanged', async () => {
    const name = `vault-v3-${++n}`;
    const blobs = await Promise.all(Array.from({ length: 120 }, (_, i) => blobOf(i, i % 2 ? 'image/png' : 'image/jpeg')));
    await version3(name, blobs);

    const db = open(testDataKey, name);
    await db.open();
    expect(db.verno).toBe(7);
    expect(await db.blobs.count()).toBe(120);
    expect(await db.blobs.where('plain').equals(1).count()).toBe(120);
    // Until the migration has run, a plaintext row is not handed out as if it were protected.
    await expect(db.vault.get(blobs[0]!.sha256)).rejects.toMatchObject({ reason: 'not-encrypted' });

    expect(await migratePlaintextBlobs(db, testDataKey)).toEqual({ encrypted: 120 });
    expect(await db.blobs.count()).toBe(120);
    expect(await db.blobs.where('plain').equals(1).count()).toBe(0);
    for (const row of await db.blobs.toArray()) {
      expect(Object.keys(row).sort()).toEqual(['cipher', 'iv', 'mime', 'sha256']);
      expect(contains((row as EncryptedBlobRow).cipher, MARKER)).toBe(false);
    }
    for (const blob of blobs) expect(await db.vault.get(blob.sha256)).toEqual(blob);

    // Every later start finds nothing to do.
    expect(await migratePlaintextBlobs(db, testDataKey)).toEqual({ encrypted: 0 });
  });

  it('with the wrong key, refuses before changing anything', async () => {
    const name = `vault-v3-${++n}`;
    const first = open(testDataKey, name);
    await verifyDataKey(first, testDataKey);
    first.close();
    const blobs = await Promise.all([blobOf(1), blobOf(2)]);
    // A database already keyed, with plaintext rows left (e.g. a migration interrupted by a key change).
    const db = open(testDataKey, name);
    await db.blobs.bulkPut(blobs.map((blob) => ({ ...blob, plain: 1 as const })));

    await expect(migratePlaintextBlobs(db, await newDataKey())).rejects.toMatchObject({ reason: 'wrong-key' });
    expect(await db.blobs.where('plain').equals(1).count()).toBe(2);
    expect(await migratePlaintextBlobs(db, testDataKey)).toEqual({ encrypted: 2 });
  });
});
