import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { bytesToUtf8 } from '@noble/ciphers/utils.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { z } from 'zod';
import { describeIssues } from '../api/describe-issues.js';
import { type BlobMime, MAX_BLOB_BYTES, base64OfLength } from '../contract/central-api.js';
import { base64UrlDecode, base64UrlEncode } from '../contract/receipt.js';
import { sha256Hex } from '../crypto/sha256.js';
import { ValidationError } from '../errors/station-error.js';
import { zhCN } from '../i18n/zh-CN.js';
import { canonicalJson } from '../util/canonical-json.js';
import { HandoffBundleError } from './bundle-error.js';
import { HandoffPayload, type HandoffPayloadInput, MAX_BUNDLE_BYTES } from './payload.js';

export * from './payload.js';

/**
 * 离线移交: one file with a day's records, blobs, audit entries and day close, for a point without a network.
 *
 * Layout (all lengths big-endian u32):
 *
 *   "XQHB" | version (1 byte) | header length | header | ciphertext length | ciphertext | Ed25519 signature (64)
 *
 * - header: canonical JSON, in clear: the station id, the recipient key id, the ephemeral X25519 public key and
 *   the nonce. Nothing personal; the admin CLI can say whose file it is before decrypting.
 * - ciphertext: XChaCha20-Poly1305 over the canonical JSON of the payload, with everything before it (magic,
 *   version, header) as associated data, so no header byte can be changed without failing decryption.
 *   Sealed-box style: a fresh ephemeral X25519 key per bundle; the key is HKDF-SHA256 of the shared secret with
 *   both public keys bound in (salt = ephemeral ‖ recipient), so a ciphertext cannot be re-aimed at another key.
 * - signature: the station's Ed25519 key over `xianchang-handoff-v1\n<sha256 hex of every byte before it>`,
 *   text because the station signs through StationIdentity.sign (text in, base64 out), as for requests.
 *
 * Size: at most MAX_BUNDLE_BYTES (200 MB). A day at one desk is a few hundred candidates with a standard photo
 * (≤ 60 KB), two fingerprint images and a signature each: tens of MB. The limit keeps a damaged or hostile file
 * from exhausting the importing machine's memory (the bundle is held in memory, base64 inside JSON inside it).
 */
export const BUNDLE_MAGIC = 'XQHB';
export const BUNDLE_VERSION = 1;
const MAX_HEADER_BYTES = 4096;
const SIGNATURE_BYTES = 64;
const NONCE_BYTES = 24;
const KEY_BYTES = 32;
const SIGNING_LABEL = 'xianchang-handoff-v1';
const HKDF_INFO = utf8ToBytes('xianchang-handoff-v1/x25519-hkdf-sha256/xchacha20poly1305');

// ---------------------------------------------------------------------------------------------------------------
// Schemas

export const HandoffKeyId = z.string().regex(/^[0-9a-f]{32}$/, 'key id: 32 hex digits');

/** The clear header. */
export const BundleHeader = z.strictObject({
  stationId: z.uuid(),
  /** handoffKeyId(recipient public key): which server key the bundle is for. */
  recipientKeyId: HandoffKeyId,
  ephemeralPublicKey: base64OfLength(KEY_BYTES),
  nonce: base64OfLength(NONCE_BYTES),
});
export type BundleHeader = z.infer<typeof BundleHeader>;

/** A blob after opening: its bytes hash to its address. */
export interface OpenedBlob {
  sha256: string;
  mime: BlobMime;
  bytes: Uint8Array;
}

export interface OpenedBundle {
  header: BundleHeader;
  payload: Omit<HandoffPayload, 'blobs'>;
  blobs: OpenedBlob[];
  /** SHA-256 of the whole file, for the import log. */
  fileSha256: string;
}

/** What the server knows of the station that signed: whether it is revoked and how to check its signature. */
export interface StationKey {
  revoked: boolean;
  verify(text: string, signature: Uint8Array): boolean;
}
export type StationKeyLookup = (stationId: string) => Promise<StationKey | undefined>;

// ---------------------------------------------------------------------------------------------------------------
// Keys

/** The short id stations name the recipient key by: the first 128 bits of its SHA-256, hex. */
export function handoffKeyId(publicKey: Uint8Array): string {
  return sha256Hex(publicKey).slice(0, 32);
}

export function handoffPublicKey(privateKey: Uint8Array): Uint8Array {
  return x25519.getPublicKey(privateKey);
}

export function generateHandoffKeyPair(): { privateKey: Uint8Array; publicKey: Uint8Array } {
  const { secretKey, publicKey } = x25519.keygen();
  return { privateKey: secretKey, publicKey };
}

function deriveKey(shared: Uint8Array, ephemeralPublicKey: Uint8Array, recipientPublicKey: Uint8Array): Uint8Array {
  return hkdf(sha256, shared, concat([ephemeralPublicKey, recipientPublicKey]), HKDF_INFO, KEY_BYTES);
}

export function bundleSigningText(signedBytes: Uint8Array): string {
  return `${SIGNING_LABEL}\n${sha256Hex(signedBytes)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Sealing (station)

export interface SealOptions {
  payload: HandoffPayloadInput;
  recipientPublicKey: Uint8Array;
  /** The station key: text in, base64 Ed25519 signature out (StationIdentity.sign). */
  sign: (text: string) => string | Promise<string>;
}

/** Builds the file. The payload is checked against the schema the server opens it with, blob hashes included. */
export async function sealBundle(options: SealOptions): Promise<Uint8Array> {
  const parsed = HandoffPayload.safeParse(options.payload);
  if (!parsed.success) throw new ValidationError(`handoff payload: ${describeIssues(parsed.error)}`);
  const payload = parsed.data;
  for (const blob of payload.blobs) {
    const bytes = decodeBase64(blob.base64);
    if (!bytes || sha256Hex(bytes) !== blob.sha256) throw new ValidationError(`blob ${blob.sha256} does not match its hash`, zhCN.handoff.build.blobMismatch);
  }
  if (options.recipientPublicKey.length !== KEY_BYTES) throw new ValidationError('recipient key is not an X25519 public key');

  const ephemeral = x25519.keygen();
  const nonce = randomBytes(NONCE_BYTES);
  const header: BundleHeader = {
    stationId: payload.stationId,
    recipientKeyId: handoffKeyId(options.recipientPublicKey),
    ephemeralPublicKey: encodeBase64(ephemeral.publicKey),
    nonce: encodeBase64(nonce),
  };
  const headerBytes = utf8ToBytes(canonicalJson(header));
  const prefix = concat([utf8ToBytes(BUNDLE_MAGIC), Uint8Array.of(BUNDLE_VERSION), u32(headerBytes.length), headerBytes]);
  const key = deriveKey(x25519.getSharedSecret(ephemeral.secretKey, options.recipientPublicKey), ephemeral.publicKey, options.recipientPublicKey);
  const plaintext = utf8ToBytes(canonicalJson(payload));
  const ciphertext = xchacha20poly1305(key, nonce, prefix).encrypt(plaintext);
  const signed = concat([prefix, u32(ciphertext.length), ciphertext]);
  if (signed.length + SIGNATURE_BYTES > MAX_BUNDLE_BYTES) {
    throw new ValidationError(`bundle of ${signed.length} bytes over ${MAX_BUNDLE_BYTES}`, zhCN.handoff.build.tooLarge(MAX_BUNDLE_BYTES / (1024 * 1024)));
  }
  const signature = decodeBase64(await options.sign(bundleSigningText(signed)));
  if (!signature || signature.length !== SIGNATURE_BYTES) throw new ValidationError('station signature is not 64 bytes');
  return concat([signed, signature]);
}

// ---------------------------------------------------------------------------------------------------------------
// Opening (server)

/** The structure only: magic, lengths, header. Never trusts a length before checking it against the file. */
export function readBundleHeader(bytes: Uint8Array): { header: BundleHeader; prefix: Uint8Array; ciphertext: Uint8Array; signed: Uint8Array; signature: Uint8Array } {
  if (bytes.length > MAX_BUNDLE_BYTES) throw new HandoffBundleError('too-large', `${bytes.length} bytes`);
  const magic = utf8ToBytes(BUNDLE_MAGIC);
  if (bytes.length < magic.length + 1 + 4 + 2 + 4 + SIGNATURE_BYTES || !magic.every((b, i) => bytes[i] === b)) {
    throw new HandoffBundleError('not-a-bundle', 'no magic');
  }
  if (bytes[magic.length] !== BUNDLE_VERSION) throw new HandoffBundleError('not-a-bundle', `version ${bytes[magic.length]}`);
  let at = magic.length + 1;
  const headerLength = readU32(bytes, at);
  at += 4;
  if (headerLength > MAX_HEADER_BYTES || at + headerLength + 4 + SIGNATURE_BYTES > bytes.length) throw new HandoffBundleError('not-a-bundle', 'header length');
  const headerBytes = bytes.subarray(at, at + headerLength);
  at += headerLength;
  const prefix = bytes.subarray(0, at);
  const ciphertextLength = readU32(bytes, at);
  at += 4;
  if (at + ciphertextLength + SIGNATURE_BYTES !== bytes.length) throw new HandoffBundleError('not-a-bundle', 'ciphertext length');
  const ciphertext = bytes.subarray(at, at + ciphertextLength);
  at += ciphertextLength;

  let headerJson: unknown;
  let headerText: string;
  try {
    headerText = bytesToUtf8(headerBytes);
    headerJson = JSON.parse(headerText);
  } catch {
    throw new HandoffBundleError('not-a-bundle', 'header is not JSON');
  }
  const header = BundleHeader.safeParse(headerJson);
  // One encoding per header: what was sealed is exactly what is read.
  if (!header.success || canonicalJson(header.data) !== headerText) throw new HandoffBundleError('not-a-bundle', 'header fields');
  return { header: header.data, prefix, ciphertext, signed: bytes.subarray(0, at), signature: bytes.subarray(at) };
}

/**
 * Opens a bundle for import. Every check passes before anything is returned: the key id names this server's
 * key, the station is enrolled, the ciphertext decrypts under the header, the station's signature verifies, the
 * station is not revoked, and the payload matches its schema with every blob hashing to its address.
 */
export async function openBundle(bytes: Uint8Array, serverPrivateKey: Uint8Array, lookupStation: StationKeyLookup): Promise<OpenedBundle> {
  const { header, prefix, ciphertext, signed, signature } = readBundleHeader(bytes);
  const serverPublicKey = x25519.getPublicKey(serverPrivateKey);
  if (header.recipientKeyId !== handoffKeyId(serverPublicKey)) throw new HandoffBundleError('wrong-server-key', 'recipient key id is not this server key');

  const station = await lookupStation(header.stationId);
  if (!station) throw new HandoffBundleError('station-unknown', 'station id not enrolled');

  const ephemeralPublicKey = decodeBase64(header.ephemeralPublicKey)!;
  const nonce = decodeBase64(header.nonce)!;
  let plaintext: Uint8Array;
  try {
    const key = deriveKey(x25519.getSharedSecret(serverPrivateKey, ephemeralPublicKey), ephemeralPublicKey, serverPublicKey);
    plaintext = xchacha20poly1305(key, nonce, prefix).decrypt(ciphertext);
  } catch {
    throw new HandoffBundleError('tampered', 'ciphertext does not authenticate');
  }
  if (!station.verify(bundleSigningText(signed), signature)) throw new HandoffBundleError('bad-signature', 'station signature does not verify');
  if (station.revoked) throw new HandoffBundleError('station-revoked', 'station revoked');

  let json: unknown;
  try {
    json = JSON.parse(bytesToUtf8(plaintext));
  } catch {
    throw new HandoffBundleError('content-invalid', 'payload is not JSON');
  }
  const parsed = HandoffPayload.safeParse(json);
  if (!parsed.success) throw new HandoffBundleError('content-invalid', `payload: ${describeIssues(parsed.error)}`);
  const { blobs, ...payload } = parsed.data;
  if (payload.stationId !== header.stationId) throw new HandoffBundleError('content-invalid', 'payload names another station');
  if (payload.dayClose && (payload.dayClose.record.stationId !== header.stationId || payload.dayClose.record.day !== payload.day)) {
    throw new HandoffBundleError('content-invalid', 'day close of another station or day');
  }
  const opened: OpenedBlob[] = [];
  for (const blob of blobs) {
    const blobBytes = decodeBase64(blob.base64);
    if (!blobBytes || blobBytes.length > MAX_BLOB_BYTES || sha256Hex(blobBytes) !== blob.sha256) {
      throw new HandoffBundleError('content-invalid', `blob ${blob.sha256} does not match its hash`);
    }
    opened.push({ sha256: blob.sha256, mime: blob.mime, bytes: blobBytes });
  }
  return { header, payload, blobs: opened, fileSha256: sha256Hex(bytes) };
}

// ---------------------------------------------------------------------------------------------------------------
// Bytes

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function u32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n, false);
  return out;
}

function readU32(bytes: Uint8Array, at: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset + at, 4).getUint32(0, false);
}

/** Standard base64 (padded) over the receipt module's strict base64url: core has neither Buffer nor atob. */
export function encodeBase64(bytes: Uint8Array): string {
  const url = base64UrlEncode(bytes).replace(/-/g, '+').replace(/_/g, '/');
  return url + '='.repeat((4 - (url.length % 4)) % 4);
}

export function decodeBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  return base64UrlDecode(text.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'));
}
