/**
 * The wire contract between stations (and admins) and the central server: request and reply bodies as zod
 * schemas, types inferred. Pure zod, shared by the server and the station's sync engine.
 */
import { z } from 'zod';
import { Sha256Hex } from './confirmation.js';
import { RecordSignature } from '../records/record-signature.js';
import { CitizenIdString, RosterEntry } from './roster.js';
import { StaffAccount, StaffAccountId, StaffRole } from './staff.js';

export { Sha256Hex };
import { errorCodes } from '../errors/station-error.js';
import { auditBreakReasons } from '../audit/audit-chain.js';

export const API_PREFIX = '/api/v1';

/** Codes in error replies: the station-wide codes plus the server's own reasons. */
export const serverErrorCodes = [
  'BAD_SIGNATURE',
  'CLOCK_SKEW',
  'STATION_UNKNOWN',
  'STATION_REVOKED',
  'ENROLLMENT_CODE_INVALID',
  'ENROLLMENT_CODE_EXPIRED',
  'ENROLLMENT_CODE_USED',
  'POINT_EXISTS',
  'BLOB_HASH_MISMATCH',
  /** A record's content lists other blobs than the upload sends (content.blobs[].sha256 against `blobs`). */
  'BLOB_LIST_MISMATCH',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'ROSTER_INVALID',
  'RATE_LIMITED',
] as const;
export const ApiErrorCode = z.enum([...errorCodes, ...serverErrorCodes]);
export type ApiErrorCode = z.infer<typeof ApiErrorCode>;

/** One bad row of a roster import: 1-based row number and Chinese reasons (never the row's values). */
export const BadRow = z.strictObject({
  row: z.number().int().positive(),
  reasons: z.array(z.string().max(500)).min(1),
});
export type BadRow = z.infer<typeof BadRow>;

export const ApiErrorReply = z.strictObject({
  error: z.strictObject({
    code: ApiErrorCode,
    /** Chinese, for people. */
    message: z.string().max(2000),
    /** English, for developers; never personal data. */
    detail: z.string().max(2000).optional(),
    /** CLOCK_SKEW: the server's clock (ms since epoch), so the station can correct its offset. */
    serverTime: z.number().int().optional(),
    /** ROSTER_INVALID: the rows that failed. */
    badRows: z.array(BadRow).optional(),
    /** RATE_LIMITED: whole seconds until one more request is allowed. */
    retryAfterSeconds: z.number().int().positive().optional(),
  }),
});
export type ApiErrorReply = z.infer<typeof ApiErrorReply>;

// ---------------------------------------------------------------------------------------------------------------
// Shared pieces

export const PointCode = z.string().regex(/^[0-9A-Z-]{2,32}$/, 'point code: 2–32 of A–Z, 0–9, -');
const shortText = (max: number) => z.string().trim().min(1).max(max);

/** Standard base64 of exactly `bytes` bytes. */
export const base64OfLength = (bytes: number) =>
  z
    .string()
    .max(Math.ceil(bytes / 3) * 4)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64')
    .refine((s) => s.length % 4 === 0 && base64DecodedLength(s) === bytes, `must encode ${bytes} bytes`);

function base64DecodedLength(s: string): number {
  const padding = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return (s.length / 4) * 3 - padding;
}

// ---------------------------------------------------------------------------------------------------------------
// Enrollment

export const EnrollRequest = z.strictObject({
  /** As printed for the admin; spaces and dashes are ignored, case too. */
  code: z.string().min(4).max(64),
  pointCode: PointCode,
  stationName: shortText(100),
  /** The station's Ed25519 public key: base64 of the raw 32 bytes. */
  publicKey: base64OfLength(32),
});
export type EnrollRequest = z.infer<typeof EnrollRequest>;

/**
 * The server's X25519 public key that handoff bundles (离线移交) are sealed to, and its id (the first 128 bits of
 * its SHA-256, hex; see core/handoff/bundle.ts).
 */
export const HandoffKeyInfo = z.strictObject({
  keyId: z.string().regex(/^[0-9a-f]{32}$/),
  publicKey: base64OfLength(32),
});
export type HandoffKeyInfo = z.infer<typeof HandoffKeyInfo>;

/**
 * The server's Ed25519 public key that signs province rules bundles (省级配置, core/rules/signing.ts), and its id
 * (the first 128 bits of its SHA-256, hex, as for the handoff key).
 */
export const RulesKeyInfo = z.strictObject({
  keyId: z.string().regex(/^[0-9a-f]{32}$/),
  publicKey: base64OfLength(32),
});
export type RulesKeyInfo = z.infer<typeof RulesKeyInfo>;

export const EnrollReply = z.strictObject({
  stationId: z.uuid(),
  pointCode: PointCode,
  pointName: z.string(),
  /**
   * Optional so that stations parse replies of servers without handoff support. (Station builds from before this
   * field parse replies strictly and would refuse it; stations without it fetch the key with GET /handoff-key.)
   */
  handoffKey: HandoffKeyInfo.optional(),
  /** The key rules bundles are verified against; optional like handoffKey (stations without it ask RULES_KEY_PATH). */
  rulesKey: RulesKeyInfo.optional(),
});
export type EnrollReply = z.infer<typeof EnrollReply>;

// ---------------------------------------------------------------------------------------------------------------
// Roster delta

export const ROSTER_PAGE_DEFAULT = 500;
export const ROSTER_PAGE_MAX = 2000;

/** Opaque to stations; today the last row version seen, as decimal digits. */
export const RosterCursor = z.string().regex(/^\d{1,18}$/, 'cursor must come from a previous reply');

export const RosterQuery = z.strictObject({
  cursor: z.union([z.literal(''), RosterCursor]).optional(),
  limit: z.coerce.number().int().min(1).max(ROSTER_PAGE_MAX).default(ROSTER_PAGE_DEFAULT),
});

/** A roster row as stations download it: the photo travels separately, by content hash. */
export const RosterDeltaEntry = RosterEntry.omit({ photo: true }).extend({
  photoSha256: Sha256Hex.optional(),
});
export type RosterDeltaEntry = z.infer<typeof RosterDeltaEntry>;

export const RosterDeltaReply = z.strictObject({
  entries: z.array(RosterDeltaEntry),
  /** Pass back to continue; stays the same when nothing changed. */
  nextCursor: RosterCursor,
  /** No more rows after this page (as of this request). */
  done: z.boolean(),
  /**
   * Rows after the request's cursor, this page included, as of this request: what the whole download will
   * send, so a station can show its progress as a fraction.
   */
  remaining: z.number().int().nonnegative(),
});
export type RosterDeltaReply = z.infer<typeof RosterDeltaReply>;

// ---------------------------------------------------------------------------------------------------------------
// Blobs

export const MAX_BLOB_BYTES = 2 * 1024 * 1024;
/** Types a station may upload; anything served back is sent with these and `nosniff`. */
export const blobMimeTypes = ['image/jpeg', 'image/png', 'image/webp', 'image/svg+xml', 'application/octet-stream'] as const;
export const BlobMime = z.enum(blobMimeTypes);
export type BlobMime = z.infer<typeof BlobMime>;

export const BlobPutReply = z.strictObject({
  sha256: Sha256Hex,
  size: z.number().int().nonnegative(),
  /** false when the same bytes were already stored (idempotent retry). */
  created: z.boolean(),
});
export type BlobPutReply = z.infer<typeof BlobPutReply>;

// ---------------------------------------------------------------------------------------------------------------
// Confirmation upload

export const MAX_BATCH_ITEMS = 200;
export const MAX_CONTENT_CHARS = 64 * 1024;
export const MAX_BLOBS_PER_CONFIRMATION = 32;

/** The confirmation record itself: any JSON object, bounded; PostgreSQL jsonb cannot hold U+0000. */
export const UploadedContent = z
  .record(z.string().max(200), z.json())
  .refine((value) => {
    const text = JSON.stringify(value);
    return text.length <= MAX_CONTENT_CHARS && !text.includes('\\u0000');
  }, `content must serialise to at most ${MAX_CONTENT_CHARS} characters without U+0000`)
  // Training records never leave the station; one that arrives anyway is refused, never stored.
  .refine((value) => value['training'] === undefined, 'training records are not accepted');

/**
 * A record as the station's renderer hands it to its host (central.uploadBatch items, handoff.build records): not
 * yet signed. `blobs` must be the set `content.blobs[].sha256` lists.
 */
export const ConfirmationUpload = z.strictObject({
  /** Client-generated, the idempotency key. */
  id: z.uuid(),
  citizenId: CitizenIdString,
  content: UploadedContent,
  blobs: z.array(Sha256Hex).max(MAX_BLOBS_PER_CONFIRMATION).default([]),
});
export type ConfirmationUpload = z.infer<typeof ConfirmationUpload>;

/**
 * What the central server takes, online and in handoff bundles: the record signed by the station's host with the
 * station key (core/records/record-signature.ts). The server refuses a record without a signature, or whose
 * signature does not verify with the sending station's enrolled key, as `invalid` / BAD_SIGNATURE.
 */
export const SignedConfirmationUpload = ConfirmationUpload.extend({
  /** base64url (no padding) Ed25519 over recordSigningText(stationId, record). */
  signature: RecordSignature,
});
export type SignedConfirmationUpload = z.infer<typeof SignedConfirmationUpload>;

/**
 * The envelope is checked first; each item is then checked on its own, so one bad record is answered
 * `invalid` instead of failing the whole batch. Items must at least carry a valid id to be answerable.
 */
export const ConfirmationBatchRequest = z.strictObject({
  confirmations: z.array(z.looseObject({ id: z.uuid() })).min(1).max(MAX_BATCH_ITEMS),
});
export type ConfirmationBatchRequest = z.infer<typeof ConfirmationBatchRequest>;

export const confirmationOutcomes = ['accepted', 'duplicate', 'conflict', 'missing-blobs', 'invalid'] as const;
export const ConfirmationOutcome = z.enum(confirmationOutcomes);
export type ConfirmationOutcome = z.infer<typeof ConfirmationOutcome>;

export const ConfirmationResult = z.strictObject({
  id: z.uuid(),
  /**
   * accepted/duplicate: stored (success, the station may drop it from its outbox). conflict/invalid: permanent,
   * the record needs a person. missing-blobs: retry after uploading `missingBlobs`.
   */
  status: ConfirmationOutcome,
  /** The candidate also has a confirmation from another station; stored and flagged for supervisors. */
  crossStation: z.literal(true).optional(),
  /** The record names a rules version (content.rulesVersion) the server does not know; stored and flagged. */
  unknownRules: z.literal(true).optional(),
  missingBlobs: z.array(Sha256Hex).optional(),
  error: z.strictObject({ code: ApiErrorCode, message: z.string(), detail: z.string().optional() }).optional(),
});
export type ConfirmationResult = z.infer<typeof ConfirmationResult>;

export const ConfirmationBatchReply = z.strictObject({ results: z.array(ConfirmationResult) });
export type ConfirmationBatchReply = z.infer<typeof ConfirmationBatchReply>;

// ---------------------------------------------------------------------------------------------------------------
// Audit chain upload

export const MAX_AUDIT_BATCH = 500;
/** 500 entries of well under 1 KB each; the route's body limit. */
export const MAX_AUDIT_BODY_BYTES = 1024 * 1024;

/**
 * A station's audit entries in seq order (see core/audit/audit-chain.ts). Each entry is checked on its own
 * by the server: a malformed one is recorded as a break at its seq instead of failing the whole request.
 */
export const AuditBatchRequest = z.strictObject({
  entries: z
    .array(z.looseObject({ seq: z.number().int().min(1).max(2_147_483_647) }))
    .min(1)
    .max(MAX_AUDIT_BATCH),
});
export type AuditBatchRequest = z.infer<typeof AuditBatchRequest>;

/** The chain's own reasons, plus `conflict`: other content arrived for a seq the server already holds. */
export const auditServerBreakReasons = [...auditBreakReasons, 'conflict'] as const;
export const AuditServerBreakReason = z.enum(auditServerBreakReasons);
export type AuditServerBreakReason = z.infer<typeof AuditServerBreakReason>;

export const AuditBreak = z.strictObject({
  seq: z.number().int().min(1),
  reason: AuditServerBreakReason,
  detectedAt: z.iso.datetime(),
});
export type AuditBreak = z.infer<typeof AuditBreak>;

export const AuditBatchReply = z.strictObject({
  /** Entries new to the server (stored, including those stored with a broken link, as evidence). */
  stored: z.number().int().nonnegative(),
  /** Entries it already held with the same hash (a resend after a lost reply). */
  duplicates: z.number().int().nonnegative(),
  /** The highest seq the server holds for this station. */
  lastSeq: z.number().int().nonnegative(),
  /** Breaks found in this batch; the server keeps them for its admins too. */
  breaks: z.array(AuditBreak),
});
export type AuditBatchReply = z.infer<typeof AuditBatchReply>;
// Staff accounts

/** A point's accounts are few (a handful of desks); the bound keeps a reply small. */
export const MAX_STAFF_ACCOUNTS = 500;

/**
 * `GET /api/v1/station/staff-accounts`: every account of the station's point, hashes only. Disabled accounts
 * are included (flagged) so a station that had them stored refuses them at once.
 */
export const StaffAccountsReply = z.strictObject({
  pointCode: PointCode,
  accounts: z.array(StaffAccount).max(MAX_STAFF_ACCOUNTS),
});
export type StaffAccountsReply = z.infer<typeof StaffAccountsReply>;

/** GET: the public keys of every station of the caller's point, so a station verifies receipts offline. */
export const POINT_KEYS_PATH = `${API_PREFIX}/station/point-keys`;
/** A point has a handful of stations; far more is not a reply of ours. */
export const MAX_POINT_STATIONS = 500;

export const PointStationKey = z.strictObject({
  stationId: z.uuid(),
  name: z.string().min(1).max(120),
  /** Base64 of the raw 32-byte Ed25519 public key, as enrolled. */
  publicKey: base64OfLength(32),
  /** Revoked later: its earlier receipts still verify, and the verifier says so. */
  revokedAt: z.iso.datetime({ offset: true }).optional(),
});
export type PointStationKey = z.infer<typeof PointStationKey>;

export const PointKeysReply = z.strictObject({
  pointCode: PointCode,
  pointName: z.string().min(1).max(120),
  stations: z.array(PointStationKey).max(MAX_POINT_STATIONS),
});
export type PointKeysReply = z.infer<typeof PointKeysReply>;

/** Sent to the admin API over loopback only; the server stores its scrypt hash and forgets it. */
export const StaffPassword = z.string().min(6, 'password: at least 6 characters').max(128);

export const CreateStaffAccountRequest = z.strictObject({
  id: StaffAccountId,
  name: z.string().trim().min(1).max(50),
  role: StaffRole,
  password: StaffPassword,
});
export type CreateStaffAccountRequest = z.infer<typeof CreateStaffAccountRequest>;

export const SetStaffPasswordRequest = z.strictObject({ password: StaffPassword });
export const SetStaffDisabledRequest = z.strictObject({ disabled: z.boolean() });

/** What admins see of an account: never the hash. */
export const StaffAccountSummary = z.strictObject({
  pointCode: PointCode,
  id: StaffAccountId,
  name: z.string(),
  role: StaffRole,
  disabled: z.boolean(),
  updatedAt: z.iso.datetime(),
});
export type StaffAccountSummary = z.infer<typeof StaffAccountSummary>;

export const StaffAccountListReply = z.strictObject({ accounts: z.array(StaffAccountSummary) });
// Handoff key and day close (station-authenticated)

/** GET: the current handoff key, for stations enrolled before the server had one. */
export const HANDOFF_KEY_PATH = `${API_PREFIX}/handoff-key`;
/** POST a SignedDayClose (core/contract/day-close.ts); the reply is a DayCloseReply. */
export const DAY_CLOSE_PATH = `${API_PREFIX}/day-closes`;

// ---------------------------------------------------------------------------------------------------------------
// Admin

export const CreatePointRequest = z.strictObject({ code: PointCode, name: shortText(100) });
export type CreatePointRequest = z.infer<typeof CreatePointRequest>;

export const MAX_ENROLLMENT_TTL_MINUTES = 30 * 24 * 60;
export const IssueEnrollmentCodeRequest = z.strictObject({
  ttlMinutes: z.number().int().min(1).max(MAX_ENROLLMENT_TTL_MINUTES).default(24 * 60),
});

export const IssuedEnrollmentCode = z.strictObject({
  /** Shown once; only its hash is stored. */
  code: z.string(),
  pointCode: PointCode,
  expiresAt: z.iso.datetime(),
});
export type IssuedEnrollmentCode = z.infer<typeof IssuedEnrollmentCode>;

export const MAX_ROSTER_ROWS = 100_000;
export const RosterImportQuery = z.strictObject({ skipBad: z.enum(['0', '1', 'true', 'false']).optional() });

export const RosterImportReply = z.strictObject({
  rows: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  skipped: z.number().int(),
  badRows: z.array(BadRow),
});
export type RosterImportReply = z.infer<typeof RosterImportReply>;

export const ConfirmationListQuery = z.strictObject({
  point: PointCode,
  /** A calendar day in China Standard Time (UTC+8, no DST). */
  day: z.iso.date().optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});

export const ConfirmationRecord = z.strictObject({
  id: z.uuid(),
  stationId: z.uuid(),
  stationName: z.string(),
  pointCode: PointCode,
  citizenId: z.string(),
  content: z.record(z.string(), z.json()),
  contentSha256: Sha256Hex,
  blobs: z.array(Sha256Hex),
  receivedAt: z.iso.datetime(),
  crossStationConflict: z.boolean(),
  /** The station's record signature as stored; absent for records stored before records were signed. */
  signature: RecordSignature.optional(),
  /** The stored signature verifies, now, with the station's enrolled key over the stored record. */
  signatureValid: z.boolean(),
  /** content.rulesVersion was unknown to the server when the record arrived. */
  unknownRules: z.boolean(),
});
export type ConfirmationRecord = z.infer<typeof ConfirmationRecord>;

export const ConfirmationListReply = z.strictObject({
  confirmations: z.array(ConfirmationRecord),
  /** More rows matched than `limit`. */
  truncated: z.boolean(),
});

export const HealthReply = z.strictObject({
  status: z.literal('ok'),
  database: z.enum(['pg', 'pglite']),
  time: z.iso.datetime(),
});
export type HealthReply = z.infer<typeof HealthReply>;
