/**
 * The receipt a station prints for a candidate: a QR code the central server can verify without trusting the
 * paper. Pure (no Node, no DOM): the station host signs it, the server and any verifier page parse it.
 *
 * QR text: `XCQR1.<payload>.<signature>`
 *   payload   = base64url (no padding) of the JSON `{"id":…,"h":…,"s":…,"t":…}` (ASCII only, keys in this order)
 *   signature = base64url (no padding) of the 64-byte Ed25519 signature, by the station's enrolled key, over
 *               `receiptSigningText(payload)`
 * The signature covers the parsed fields rebuilt as text, not the JSON bytes, so a verifier never depends on
 * the JSON's spelling; the JSON itself is still held to one canonical form (see parseReceiptQr).
 */
import { z } from 'zod';
import { Sha256Hex } from './confirmation.js';
import { RecordOutcome } from './record-outcome.js';

export const RECEIPT_QR_PREFIX = 'XCQR1';
/** First line of the signed text. It can never be an HTTP method, so a receipt signature is never a request signature. */
export const RECEIPT_SIGNING_LABEL = 'xianchang-receipt/1';
/** A QR text longer than this is not one of ours (a real one is about 330 characters). */
export const MAX_RECEIPT_QR_CHARS = 1024;
const ED25519_SIGNATURE_BYTES = 64;

export const ReceiptPayload = z.strictObject({
  /** The confirmation's client-generated id (the server's idempotency key). */
  id: z.uuid(),
  /** The station's content hash of the record: lower-case hex SHA-256 of the canonical JSON of its content. */
  h: Sha256Hex,
  /** The signing station's id, as enrolled. */
  s: z.uuid(),
  /** When the station saved the record (ISO 8601, as stored with it). */
  t: z.iso.datetime({ offset: true }),
});
export type ReceiptPayload = z.infer<typeof ReceiptPayload>;

/** What the station signs. Fields are fixed-alphabet (uuid, hex, ISO time), so newlines cannot be smuggled in. */
export function receiptSigningText(payload: ReceiptPayload): string {
  return `${RECEIPT_SIGNING_LABEL}\n${payload.id}\n${payload.h}\n${payload.s}\n${payload.t}`;
}

// ---------------------------------------------------------------------------------------------------------------
// base64url (RFC 4648 §5, no padding), by hand: core/ has neither Buffer nor atob.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUES = new Map<string, number>([...ALPHABET].map((char, i) => [char, i]));

export function base64UrlEncode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i]!;
    const b1 = i + 1 < bytes.length ? bytes[i + 1]! : 0;
    const b2 = i + 2 < bytes.length ? bytes[i + 2]! : 0;
    const triple = (b0 << 16) | (b1 << 8) | b2;
    out += ALPHABET[(triple >> 18) & 63]! + ALPHABET[(triple >> 12) & 63]!;
    if (i + 1 < bytes.length) out += ALPHABET[(triple >> 6) & 63]!;
    if (i + 2 < bytes.length) out += ALPHABET[triple & 63]!;
  }
  return out;
}

/**
 * Strict decoding: only the URL alphabet, no padding, no impossible length, and unused trailing bits must be
 * zero. So every byte string has exactly one text form and a QR cannot be altered without changing its bytes.
 */
export function base64UrlDecode(text: string): Uint8Array | undefined {
  if (text.length % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let n = 0;
  for (const char of text) {
    const value = VALUES.get(char);
    if (value === undefined) return undefined;
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (buffer >> bits) & 0xff;
    }
  }
  if (bits > 0 && (buffer & ((1 << bits) - 1)) !== 0) return undefined;
  return out;
}

/** The payload JSON is ASCII by construction (uuid, hex, ISO time); anything else is refused, not transcoded. */
function asciiBytes(text: string): Uint8Array | undefined {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7e || code < 0x20) return undefined;
    out[i] = code;
  }
  return out;
}

function asciiText(bytes: Uint8Array): string | undefined {
  let out = '';
  for (const byte of bytes) {
    if (byte > 0x7e || byte < 0x20) return undefined;
    out += String.fromCharCode(byte);
  }
  return out;
}

/** The one JSON spelling of a payload: keys in schema order, no spaces. */
function payloadJson(payload: ReceiptPayload): string {
  return JSON.stringify({ id: payload.id, h: payload.h, s: payload.s, t: payload.t });
}

/** The QR text for a payload and the station's raw 64-byte signature over `receiptSigningText(payload)`. */
export function encodeReceiptQr(payload: ReceiptPayload, signature: Uint8Array): string {
  const checked = ReceiptPayload.parse(payload);
  if (signature.length !== ED25519_SIGNATURE_BYTES) throw new RangeError('an Ed25519 signature has 64 bytes');
  const json = asciiBytes(payloadJson(checked));
  if (!json) throw new RangeError('receipt payload must be ASCII');
  return `${RECEIPT_QR_PREFIX}.${base64UrlEncode(json)}.${base64UrlEncode(signature)}`;
}

export type ReceiptParseFailure = 'prefix' | 'shape' | 'encoding' | 'payload' | 'signature';

export type ParsedReceipt =
  | { ok: true; payload: ReceiptPayload; signature: Uint8Array; signingText: string }
  | { ok: false; reason: ReceiptParseFailure };

/**
 * Parses QR text (as scanned: surrounding whitespace is ignored). Says why it is not a receipt without
 * echoing any of it. Checking the signature is the verifier's job (it needs the station's key).
 */
export function parseReceiptQr(input: string): ParsedReceipt {
  const text = input.trim();
  if (text.length > MAX_RECEIPT_QR_CHARS) return { ok: false, reason: 'shape' };
  const parts = text.split('.');
  if (parts[0] !== RECEIPT_QR_PREFIX) return { ok: false, reason: 'prefix' };
  if (parts.length !== 3) return { ok: false, reason: 'shape' };
  const jsonBytes = base64UrlDecode(parts[1]!);
  const signature = base64UrlDecode(parts[2]!);
  if (!jsonBytes || !signature) return { ok: false, reason: 'encoding' };
  const json = asciiText(jsonBytes);
  if (json === undefined) return { ok: false, reason: 'payload' };
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return { ok: false, reason: 'payload' };
  }
  const payload = ReceiptPayload.safeParse(raw);
  // One spelling only: the same receipt can never appear as two different QR texts.
  if (!payload.success || payloadJson(payload.data) !== json) return { ok: false, reason: 'payload' };
  if (signature.length !== ED25519_SIGNATURE_BYTES) return { ok: false, reason: 'signature' };
  return { ok: true, payload: payload.data, signature, signingText: receiptSigningText(payload.data) };
}

// ---------------------------------------------------------------------------------------------------------------
// The station's staff call that signs a receipt (host side: host/central/receipt-signer.ts)

export const ReceiptSignRequest = z.strictObject({
  /** ConfirmationRow.id */
  id: z.uuid(),
  /** ConfirmationRow.contentSha256 */
  contentSha256: Sha256Hex,
  /** ConfirmationRow.savedAt */
  savedAt: z.iso.datetime({ offset: true }),
});
export type ReceiptSignRequest = z.infer<typeof ReceiptSignRequest>;

export const SignedReceipt = z.strictObject({
  /** Text for the QR code. */
  qr: z.string().startsWith(`${RECEIPT_QR_PREFIX}.`).max(MAX_RECEIPT_QR_CHARS),
  payload: ReceiptPayload,
});
export type SignedReceipt = z.infer<typeof SignedReceipt>;

// ---------------------------------------------------------------------------------------------------------------
// Verification on the central server: POST /api/v1/receipts/verify (public)

export const RECEIPT_VERIFY_PATH = '/api/v1/receipts/verify';

export const ReceiptVerifyRequest = z.strictObject({
  qr: z.string().min(1).max(MAX_RECEIPT_QR_CHARS),
});
export type ReceiptVerifyRequest = z.infer<typeof ReceiptVerifyRequest>;

/**
 * - verified: the station's key signed it and the server holds the record with exactly this content.
 * - not-yet-received: the signature is good, the record has not been uploaded (yet): the station works offline.
 * - mismatch: the signature is good, but the server's record with this id has other content or came from
 *   another station: the paper and the record disagree and a person must look.
 * - bad-signature: the station exists, but its key did not sign this (forged or altered).
 * - unknown-station: no station with this id was ever enrolled.
 */
export const receiptStatuses = ['verified', 'not-yet-received', 'mismatch', 'bad-signature', 'unknown-station'] as const;
export const ReceiptStatus = z.enum(receiptStatuses);
export type ReceiptStatus = z.infer<typeof ReceiptStatus>;

export const ReceiptVerifyReply = z.strictObject({
  status: ReceiptStatus,
  /** Chinese, for the person verifying. */
  message: z.string().max(500),
  /** The receipt's own claims (only once the signature is good). */
  confirmationId: z.uuid().optional(),
  savedAt: z.iso.datetime({ offset: true }).optional(),
  /** The signing station, once its signature is good. */
  station: z
    .strictObject({
      name: z.string(),
      /** Revoked later: its earlier receipts still verify, but the verifier should know. */
      revoked: z.boolean(),
      revokedAt: z.iso.datetime().optional(),
    })
    .optional(),
  point: z.strictObject({ code: z.string(), name: z.string() }).optional(),
  /** Only when verified: what the record says, masked (never a full citizen number or name). */
  record: z
    .strictObject({
      outcome: RecordOutcome.optional(),
      decidedAt: z.iso.datetime({ offset: true }).optional(),
      receivedAt: z.iso.datetime(),
      maskedName: z.string().optional(),
      maskedCitizenId: z.string(),
    })
    .optional(),
});
export type ReceiptVerifyReply = z.infer<typeof ReceiptVerifyReply>;

/** `林晓雨` → `林**`: the surname stays so a person can match the paper, the given name does not travel. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  return chars[0]! + '*'.repeat(Math.min(Math.max(chars.length - 1, 1), 3));
}

// ---------------------------------------------------------------------------------------------------------------
// Verification at the station, offline: staff call receipts.verifyOffline (host/central/receipt-verifier.ts),
// against the public keys of the point's stations downloaded with the roster (GET /api/v1/station/point-keys).

export const ReceiptOfflineVerifyRequest = z.strictObject({
  /** As scanned (a scanner gun types it, then Enter); surrounding whitespace is ignored. */
  qr: z.string().min(1).max(MAX_RECEIPT_QR_CHARS + 64),
});
export type ReceiptOfflineVerifyRequest = z.infer<typeof ReceiptOfflineVerifyRequest>;

/**
 * The server's statuses where a station can tell them without the server's records:
 * - verified-signature: a station of this point signed exactly this (the record itself is the server's to check).
 * - bad-signature, unknown-station: as on the server (unknown here: not a station of this point, as last downloaded).
 * - malformed: not one of our QR texts (the server answers VALIDATION for it).
 */
export const receiptOfflineStatuses = ['verified-signature', 'bad-signature', 'unknown-station', 'malformed'] as const;
export const ReceiptOfflineStatus = z.enum(receiptOfflineStatuses);
export type ReceiptOfflineStatus = z.infer<typeof ReceiptOfflineStatus>;

export const ReceiptOfflineVerifyReply = z.strictObject({
  status: ReceiptOfflineStatus,
  /** Chinese, for the person verifying. */
  message: z.string().max(500),
  /** The receipt's own claims, once the signature is good. */
  confirmationId: z.uuid().optional(),
  savedAt: z.iso.datetime({ offset: true }).optional(),
  station: z.strictObject({ id: z.uuid(), name: z.string(), revoked: z.boolean() }).optional(),
  /** When the keys were downloaded (absent: never; then every receipt is unknown-station). */
  keysDownloadedAt: z.iso.datetime({ offset: true }).optional(),
});
export type ReceiptOfflineVerifyReply = z.infer<typeof ReceiptOfflineVerifyReply>;
