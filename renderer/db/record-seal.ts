import { normalizeDocumentNumber } from '../../core/citizen-id/document-number.js';
import { StorageError } from './blob-vault.js';

/**
 * Field-level encryption and keyed lookup hashes for the personal rows (roster, confirmations). The
 * personal values are sealed with AES-256-GCM under the station's data key (the blob vault's key, with a
 * different additional-data prefix per table, so a cipher can never pass for another kind of row), and
 * every value staff search by is stored only as HMAC-SHA256 under an index key derived from the data key.
 *
 * Why the index key comes out of an AES encryption first: the data key reaches the page and the sync
 * worker as a non-extractable AES-GCM CryptoKey, and WebCrypto runs HKDF only on an HKDF key. So the HKDF
 * input is a PRF output of the data key (AES of two reserved counter blocks — the key-derivation step of
 * AES-GCM-SIV, RFC 8452 §4), and HKDF-SHA256 turns it into a non-extractable HMAC key. Deterministic:
 * the window and the worker derive the same key without storing anything. The reserved IV is never drawn
 * by the random IVs of real data except with probability 2^-96 per encryption.
 */

export interface SealedField {
  /** A fresh 96-bit IV per row. */
  iv: Uint8Array<ArrayBuffer>;
  /** Ciphertext with the 128-bit GCM tag at its end. */
  cipher: Uint8Array<ArrayBuffer>;
}

const IV_BYTES = 12;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Exactly 12 bytes: the IV reserved for deriving the index key. */
const DERIVE_IV = encoder.encode('xcs.index.v1');
const HKDF_SALT = encoder.encode('xianchang-station/hkdf-salt/v1');
const HKDF_INFO = encoder.encode('xianchang-station/lookup-index/hmac-sha256/v1');

export async function deriveIndexKey(dataKey: CryptoKey): Promise<CryptoKey> {
  // The first 32 bytes of the output are E_k(IV‖2) ‖ E_k(IV‖3): the plaintext is zero, the tag is dropped.
  const stream = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: DERIVE_IV }, dataKey, new Uint8Array(32)));
  const ikm = stream.slice(0, 32);
  stream.fill(0);
  try {
    const base = await crypto.subtle.importKey('raw', ikm, 'HKDF', false, ['deriveKey']);
    return await crypto.subtle.deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt: HKDF_SALT, info: HKDF_INFO },
      base,
      { name: 'HMAC', hash: 'SHA-256', length: 256 },
      false,
      ['sign'],
    );
  } finally {
    ikm.fill(0);
  }
}

/** What a keyed hash is of: each kind has its own domain, so equal strings of two kinds hash apart. */
export type IndexDomain = 'citizen-id' | 'last6' | 'registration-no';

/**
 * The form every citizen number is hashed in: the same number typed, read from a chip or downloaded. Letters
 * are upper-cased (a 2017 foreign permanent resident number typed in lower case); a resident number's form is
 * normalizeCitizenId's, so rows indexed before foreign numbers were accepted still match.
 */
export function normalizeForIndex(domain: IndexDomain, value: string): string {
  return domain === 'registration-no' ? value.trim().toUpperCase() : normalizeDocumentNumber(value);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += HEX[byte];
  return out;
}

function bytesOf(value: unknown): Uint8Array<ArrayBuffer> | undefined {
  return value instanceof Uint8Array && value.buffer instanceof ArrayBuffer ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : undefined;
}

/** Rows of which table a cipher belongs to: part of the additional data. */
export type SealedKind = 'roster' | 'confirmation' | 'draft';

/**
 * Seals and opens JSON values bound to their row (`kind` and the row's identity as additional data, so a
 * cipher moved to another row fails to open) and computes the keyed lookup hashes. One per StationDb.
 */
export class RecordSealer {
  #indexKey: Promise<CryptoKey> | undefined;

  constructor(private readonly dataKey: CryptoKey | undefined) {}

  /** HMAC-SHA256 (hex) of the normalised value under the index key. */
  async hash(domain: IndexDomain, value: string): Promise<string> {
    const key = await this.#index();
    const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`${domain}\u0000${normalizeForIndex(domain, value)}`));
    return hex(new Uint8Array(mac));
  }

  async seal(kind: SealedKind, binding: string, value: unknown): Promise<SealedField> {
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const cipher = new Uint8Array(
      await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad(kind, binding) }, this.#data(), encoder.encode(JSON.stringify(value))),
    );
    return { iv, cipher };
  }

  /** The parsed JSON, untyped: the caller checks it with its schema. Throws StorageError when it fails to open. */
  async open(kind: SealedKind, binding: string, sealed: unknown): Promise<unknown> {
    const key = this.#data();
    const field = sealed as Partial<SealedField> | undefined;
    const iv = bytesOf(field?.iv);
    const cipher = bytesOf(field?.cipher);
    if (!iv || iv.length !== IV_BYTES || !cipher) throw new StorageError('unreadable', `${kind} row malformed`);
    let plain: ArrayBuffer;
    try {
      plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aad(kind, binding) }, key, cipher);
    } catch {
      throw new StorageError('unreadable', `${kind} row failed authentication`);
    }
    try {
      return JSON.parse(decoder.decode(plain)) as unknown;
    } catch {
      throw new StorageError('unreadable', `${kind} row is not JSON`);
    }
  }

  #data(): CryptoKey {
    if (!this.dataKey) throw new StorageError('no-key', 'database opened without the data key');
    return this.dataKey;
  }

  #index(): Promise<CryptoKey> {
    if (!this.#indexKey) {
      this.#indexKey = deriveIndexKey(this.#data());
      this.#indexKey.catch(() => (this.#indexKey = undefined));
    }
    return this.#indexKey;
  }
}

function aad(kind: SealedKind, binding: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(`xianchang-station/${kind}/v1\u0000${binding}`);
}
