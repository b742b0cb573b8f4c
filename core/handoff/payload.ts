import { z } from 'zod';
import { BlobMime, MAX_BLOB_BYTES, PointCode, Sha256Hex } from '../contract/central-api.js';
import { MAX_DAY_RECORDS, SignedDayClose } from '../contract/day-close.js';

/**
 * What a handoff bundle holds, as schemas only (no crypto), so the StationApi contract can name its pieces without
 * pulling the ciphers into the windows' bundles. The file format is in ./bundle.ts.
 *
 * MAX_BUNDLE_BYTES (200 MB) bounds the whole file: a day at one desk is a few hundred candidates with a standard
 * photo (≤ 60 KB), two fingerprint images and a signature each, tens of MB; the limit keeps a damaged or hostile
 * file from exhausting the memory of the machine that builds or imports it (it is held in memory whole).
 */
export const MAX_BUNDLE_BYTES = 200 * 1024 * 1024;
export const MAX_BUNDLE_BLOBS = 50_000;
export const MAX_BUNDLE_AUDIT_ENTRIES = 200_000;
const MAX_BLOB_BASE64 = Math.ceil(MAX_BLOB_BYTES / 3) * 4;

export const BundleBlob = z.strictObject({
  sha256: Sha256Hex,
  mime: BlobMime,
  base64: z.string().min(1).max(MAX_BLOB_BASE64).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64'),
});
export type BundleBlob = z.infer<typeof BundleBlob>;

/**
 * An audit entry as core/audit's AuditEntry defines it (seq, kind, prevHash, hash …), checked here only as a bounded
 * JSON object with its seq: the server's audit service checks the entry and the chain when it stores it.
 */
export const BundleAuditEntry = z
  .looseObject({ seq: z.number().int().nonnegative() })
  .refine((entry) => JSON.stringify(entry).length <= 16 * 1024, 'audit entry too long');

/**
 * What the ciphertext holds. Records are what the online sync sends (ConfirmationUpload); each is checked on its
 * own at import, like the items of an online batch, so one bad record is answered `invalid` without refusing the file.
 */
export const HandoffPayload = z.strictObject({
  stationId: z.uuid(),
  pointCode: PointCode,
  day: z.iso.date(),
  createdAt: z.iso.datetime({ offset: true }),
  records: z.array(z.looseObject({ id: z.uuid() })).max(MAX_DAY_RECORDS),
  blobs: z.array(BundleBlob).max(MAX_BUNDLE_BLOBS),
  audit: z.array(BundleAuditEntry).max(MAX_BUNDLE_AUDIT_ENTRIES),
  dayClose: SignedDayClose.optional(),
});
export type HandoffPayload = z.infer<typeof HandoffPayload>;
export type HandoffPayloadInput = z.input<typeof HandoffPayload>;

