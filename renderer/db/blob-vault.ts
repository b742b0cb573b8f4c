import { z } from 'zod';
import { FileInvalidError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { base64ToBytes } from '../util/base64.js';
import type { BlobRow, EncryptedBlobRow, LegacyBlobRow, StationDb } from './station-db.js';

/**
 * The one place where personal data in the `blobs` table (standard photos, fingerprint images and
 * templates, chip fingerprints, signatures, roster photos) is encrypted and decrypted. AES-256-GCM with
 * the station's data key, which the host keeps sealed (see host/services/data-key.ts) and the window
 * imports as a non-extractable CryptoKey: script in the page can use the key but never read it out.
 *
 * WebCrypto is asynchronous and an IndexedDB transaction ends as soon as it waits on anything else, so
 * writers `seal` BEFORE their transaction and store the sealed rows inside it; readers read the row, then
 * `open` it outside any transaction.
 */

export interface PlainBlob {
  sha256: string;
  mime: string;
  bytes: Uint8Array<ArrayBuffer>;
}

/**
 * - `no-key`: the database was opened without the data key.
 * - `wrong-key`: the key does not match the one the stored data was written with (key check failed).
 * - `unreadable`: one row failed authentication: altered, moved under another address, or written with
 *   another key.
 * - `not-encrypted`: a plaintext row that the startup migration has not encrypted.
 */
export type StorageFailure = 'no-key' | 'wrong-key' | 'unreadable' | 'not-encrypted';

const messages: Record<StorageFailure, string> = {
  'no-key': zhCN.storage.noKey,
  'wrong-key': zhCN.storage.wrongKey,
  unreadable: zhCN.storage.tampered,
  'not-encrypted': zhCN.storage.tampered,
};

/** Encrypted local data could not be used. Nothing is ever deleted because of it. */
export class StorageError extends FileInvalidError {
  override readonly reason: StorageFailure;

  constructor(reason: StorageFailure, detail: string) {
    super(`${reason}: ${detail}`, messages[reason]);
    this.reason = reason;
  }
}

const IV_BYTES = 12;
const KEY_BYTES = 32;
/** Rows encrypted per transaction by the migration: bounded memory, and progress survives a crash. */
const MIGRATION_CHUNK = 50;
const KEY_CHECK = 'storage.keyCheck';
const KEY_CHECK_TEXT = 'xianchang-station data key check v1';

const encoder = new TextEncoder();

/** Binds the row's address and type to its ciphertext: swapping ciphers between rows fails to decrypt. */
function blobAad(sha256: string, mime: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(`xianchang-station/blob/v1\u0000${sha256}\u0000${mime}`);
}

/** The host's key (base64 of 32 bytes) as a CryptoKey that cannot be exported again. */
export async function importDataKey(keyBase64: string): Promise<CryptoKey> {
  const raw = base64ToBytes(keyBase64);
  try {
    if (raw.length !== KEY_BYTES) throw new StorageError('no-key', 'data key has the wrong length');
    return await crypto.subtle.importKey('raw', raw, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  } finally {
    // Best effort: the raw bytes should not linger in this heap longer than the import.
    raw.fill(0);
  }
}

/** A usable data key (e.g. after crossing a worker message): AES-GCM, allowed to encrypt and decrypt. */
export function isDataKey(value: unknown): value is CryptoKey {
  return (
    typeof CryptoKey !== 'undefined' &&
    value instanceof CryptoKey &&
    value.type === 'secret' &&
    value.algorithm.name === 'AES-GCM' &&
    value.usages.includes('encrypt') &&
    value.usages.includes('decrypt')
  );
}

export function isEncryptedRow(row: BlobRow): row is EncryptedBlobRow {
  return 'cipher' in row;
}

async function encrypt(key: CryptoKey, bytes: Uint8Array<ArrayBuffer>, aad: Uint8Array<ArrayBuffer>) {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const cipher = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, bytes));
  return { iv, cipher };
}

/** Stored values are checked before use: a damaged row may hold anything. */
function bytesOf(value: unknown): Uint8Array<ArrayBuffer> | undefined {
  return value instanceof Uint8Array && value.buffer instanceof ArrayBuffer ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : undefined;
}

/** Authentication failure and malformed rows alike end as `undefined`: the caller names the reason. */
async function decrypt(key: CryptoKey, storedIv: unknown, storedCipher: unknown, aad: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const iv = bytesOf(storedIv);
  const cipher = bytesOf(storedCipher);
  if (!iv || iv.length !== IV_BYTES || !cipher) return undefined;
  try {
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, cipher));
  } catch {
    return undefined;
  }
}

export class BlobVault {
  constructor(
    private readonly db: StationDb,
    private readonly key: CryptoKey | undefined,
  ) {}

  /** Encrypts a blob into the row to store; call it before the transaction that stores the row. */
  async seal(blob: PlainBlob): Promise<EncryptedBlobRow> {
    const { iv, cipher } = await encrypt(this.#key(), blob.bytes, blobAad(blob.sha256, blob.mime));
    return { sha256: blob.sha256, mime: blob.mime, iv, cipher };
  }

  sealAll(blobs: readonly PlainBlob[]): Promise<EncryptedBlobRow[]> {
    return Promise.all(blobs.map((blob) => this.seal(blob)));
  }

  /** Decrypts a stored row; a row that fails authentication is an error, never returned as data. */
  async open(row: BlobRow): Promise<PlainBlob> {
    const key = this.#key();
    if (!isEncryptedRow(row)) throw new StorageError('not-encrypted', 'plaintext blob row read before migration');
    const bytes = await decrypt(key, row.iv, row.cipher, blobAad(row.sha256, row.mime));
    if (!bytes) throw new StorageError('unreadable', 'blob row failed authentication');
    return { sha256: row.sha256, mime: row.mime, bytes };
  }

  /** The plaintext blob at `sha256`, or undefined when there is none. Not inside a transaction. */
  async get(sha256: string): Promise<PlainBlob | undefined> {
    const row = await this.db.blobs.get(sha256);
    return row && this.open(row);
  }

  /** Encrypts and stores one blob in its own transaction (replacing a row at the same address). */
  async put(blob: PlainBlob): Promise<void> {
    await this.db.blobs.put(await this.seal(blob));
  }

  async bulkPut(blobs: readonly PlainBlob[]): Promise<void> {
    await this.db.blobs.bulkPut(await this.sealAll(blobs));
  }

  /**
   * Inside the caller's transaction: stores rows sealed beforehand, keeping any row already at the same
   * address (content-addressed: the same bytes are stored once, whoever refers to them).
   */
  async addSealed(rows: readonly EncryptedBlobRow[]): Promise<void> {
    const present = new Set(await this.db.blobs.where('sha256').anyOf(rows.map((row) => row.sha256)).primaryKeys());
    const fresh = new Map(rows.filter((row) => !present.has(row.sha256)).map((row) => [row.sha256, row]));
    await this.db.blobs.bulkAdd([...fresh.values()]);
  }

  /** Inside the caller's transaction: stores rows sealed beforehand, replacing rows at the same address. */
  async putSealed(rows: readonly EncryptedBlobRow[]): Promise<void> {
    await this.db.blobs.bulkPut([...rows]);
  }

  #key(): CryptoKey {
    if (!this.key) throw new StorageError('no-key', 'database opened without the data key');
    return this.key;
  }
}

const KeyCheck = z.strictObject({ iv: z.instanceof(Uint8Array), cipher: z.instanceof(Uint8Array) });

/**
 * Stores a small value encrypted with the key on first use and checks it on every later start, so a
 * replaced or lost key is found before anything is written with it (which would mix two keys).
 */
export async function verifyDataKey(db: StationDb, key: CryptoKey): Promise<void> {
  const aad = encoder.encode(KEY_CHECK);
  const candidate = await encrypt(key, encoder.encode(KEY_CHECK_TEXT), aad);
  const stored = await db.transaction('rw', db.syncState, async () => {
    const existing = await db.syncState.get(KEY_CHECK);
    if (existing) return existing.value;
    await db.syncState.add({ key: KEY_CHECK, value: candidate });
    return candidate;
  });
  const parsed = KeyCheck.safeParse(stored);
  if (!parsed.success) throw new StorageError('unreadable', 'key check row malformed');
  const plain = await decrypt(key, parsed.data.iv, parsed.data.cipher, aad);
  if (!plain || new TextDecoder().decode(plain) !== KEY_CHECK_TEXT) throw new StorageError('wrong-key', 'key check failed');
}

/**
 * Startup step for databases from schema ≤ 3: checks the key, then encrypts every blob row the version 4
 * upgrade marked as plaintext (Dexie upgrades cannot await WebCrypto). Chunk by chunk, each in its own
 * transaction, so a crash resumes where it stopped; the row count never changes and nothing is deleted.
 */
export async function migratePlaintextBlobs(db: StationDb, key: CryptoKey): Promise<{ encrypted: number }> {
  await verifyDataKey(db, key);
  const vault = new BlobVault(db, key);
  const addresses = await db.blobs.where('plain').equals(1).primaryKeys();
  let encrypted = 0;
  for (let start = 0; start < addresses.length; start += MIGRATION_CHUNK) {
    const rows = await db.blobs.bulkGet(addresses.slice(start, start + MIGRATION_CHUNK));
    const legacy = rows.filter((row): row is LegacyBlobRow => row !== undefined && !isEncryptedRow(row));
    const sealed = await vault.sealAll(legacy);
    await db.transaction('rw', db.blobs, async () => {
      // Only rows that are still plaintext: another writer may have stored an encrypted row meanwhile.
      const current = await db.blobs.bulkGet(sealed.map((row) => row.sha256));
      const replace = sealed.filter((_, i) => {
        const row = current[i];
        return row !== undefined && !isEncryptedRow(row);
      });
      await db.blobs.bulkPut(replace);
      encrypted += replace.length;
    });
  }
  return { encrypted };
}
