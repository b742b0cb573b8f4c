/**
 * Signed confirmation records (issue 13). The station's host signs every record it sends to the central server,
 * online (POST /api/v1/confirmations/batch) and in a handoff bundle, with the station's enrolled Ed25519 key; the
 * server verifies the signature before storing and keeps it with the record, so the record stays verifiable later.
 * Pure (no Node, no DOM): the host signs, the server verifies, both build the same text here.
 *
 * Signed text: `xianchang-record/1\n<stationId>\n<digest>` where digest is the lower-case hex SHA-256 of the
 * canonical JSON (core/util/canonical-json.ts) of `{ id, citizenId, content, blobs }`, blobs sorted and distinct
 * (the same set the server stores). The label line can never be an HTTP method, a receipt's or a day close's label,
 * so a record signature is never valid as a request, receipt or day-close signature, nor the other way round. The
 * station id binds the record to the enrollment that sent it: the same key enrolled again cannot replay it as
 * another station.
 *
 * Wire form of the signature: base64url without padding of the raw 64 bytes (86 characters), as in receipts.
 */
import { z } from 'zod';
import { Sha256Hex } from '../contract/confirmation.js';
import { base64UrlDecode, base64UrlEncode } from '../contract/receipt.js';
import { sha256Hex } from '../crypto/sha256.js';
import { canonicalJson } from '../util/canonical-json.js';

export const RECORD_SIGNING_LABEL = 'xianchang-record/1';
export const RECORD_SIGNATURE_BYTES = 64;
/** 64 bytes in base64url without padding. */
const RECORD_SIGNATURE_CHARS = 86;

export const RecordSignature = z
  .string()
  .length(RECORD_SIGNATURE_CHARS, 'record signature: 86 base64url characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'record signature must be base64url')
  .refine((text) => base64UrlDecode(text)?.length === RECORD_SIGNATURE_BYTES, 'record signature must encode 64 bytes');
export type RecordSignature = z.infer<typeof RecordSignature>;

/** The parts of an upload that a signature covers (ConfirmationUpload's fields). */
export interface SignableRecord {
  id: string;
  citizenId: string;
  content: Readonly<Record<string, unknown>>;
  blobs: readonly string[];
}

/** The blob set as the server stores it: distinct, sorted. */
function blobSet(blobs: readonly string[]): string[] {
  return [...new Set(blobs)].sort();
}

/** SHA-256 of the canonical JSON of what is signed. Key order and blob order or repeats do not change it. */
export function recordDigest(record: SignableRecord): string {
  return sha256Hex(
    canonicalJson({ id: record.id, citizenId: record.citizenId, content: record.content, blobs: blobSet(record.blobs) }),
  );
}

/** What the station key signs for `record` sent by station `stationId`. Every line is fixed-alphabet. */
export function recordSigningText(stationId: string, record: SignableRecord): string {
  return `${RECORD_SIGNING_LABEL}\n${stationId.toLowerCase()}\n${recordDigest(record)}`;
}

export function encodeRecordSignature(signature: Uint8Array): RecordSignature {
  if (signature.length !== RECORD_SIGNATURE_BYTES) throw new RangeError('an Ed25519 signature has 64 bytes');
  return base64UrlEncode(signature);
}

/** The raw 64 bytes, or undefined when the text is not exactly one 64-byte base64url string. */
export function decodeRecordSignature(text: string): Uint8Array | undefined {
  if (!RecordSignature.safeParse(text).success) return undefined;
  return base64UrlDecode(text);
}

/**
 * Checks `signature` over `record` with a verifier for the station's key (node:crypto on the server, anything
 * Ed25519 elsewhere). False for a signature that is not 64 bytes of base64url.
 */
export function verifyRecordSignature(
  stationId: string,
  record: SignableRecord,
  signature: string,
  verify: (text: string, signature: Uint8Array) => boolean,
): boolean {
  const bytes = decodeRecordSignature(signature);
  return bytes !== undefined && verify(recordSigningText(stationId, record), bytes);
}

const ContentBlobs = z.array(z.looseObject({ sha256: Sha256Hex })).optional();

/**
 * The blob hashes a record's content lists (`content.blobs[].sha256`, ConfirmationContent), distinct and sorted;
 * none when the content has no `blobs`; undefined when `blobs` is there but not such a list.
 */
export function contentBlobHashes(content: Readonly<Record<string, unknown>>): string[] | undefined {
  const parsed = ContentBlobs.safeParse(content['blobs']);
  if (!parsed.success) return undefined;
  return blobSet((parsed.data ?? []).map((blob) => blob.sha256));
}

/** The content's blob list and the upload's agree as sets (what the server stores is the upload's). */
export function blobListsAgree(record: Pick<SignableRecord, 'content' | 'blobs'>): boolean {
  const listed = contentBlobHashes(record.content);
  const sent = blobSet(record.blobs);
  return listed !== undefined && listed.length === sent.length && listed.every((sha256, i) => sha256 === sent[i]);
}
