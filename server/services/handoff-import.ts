import type { z } from 'zod';
import type { ConfirmationResult } from '../../core/contract/central-api.js';
import type { DayCloseReply } from '../../core/contract/day-close.js';
import { HandoffBundleError } from '../../core/handoff/bundle-error.js';
import { type BundleAuditEntry, openBundle, readBundleHeader } from '../../core/handoff/bundle.js';
import { StationError } from '../../core/errors/station-error.js';
import { ed25519PublicKeyFromRaw, verifyEd25519 } from '../crypto/ed25519.js';
import type { Database } from '../db/database.js';
import { putBlob } from './blobs.js';
import { storeConfirmationBatch } from './confirmations.js';
import { storeDayClose, verifyDayClose } from './day-close.js';
import { handoffPrivateKeys } from './server-keys.js';
import { type Station, findStation } from './stations.js';

export interface HandoffImportResult {
  fileSha256: string;
  stationId: string;
  stationName: string;
  pointCode: string;
  day: string;
  /** The same outcomes an online batch answers, counted; `missingBlobs` only when the bundle lacked a file. */
  records: { total: number; accepted: number; duplicate: number; conflict: number; invalid: number; missingBlobs: number; crossStation: number };
  /** Per record, as an online batch reply has them (ids and outcomes only). */
  results: ConfirmationResult[];
  blobs: { total: number; created: number; existing: number };
  dayClose?: DayCloseReply;
  audit: {
    received: number;
    /** What the audit store answered; absent when the import was given none. */
    stored?: { stored: number; duplicates: number; breaks: number };
    /** The entries as they came, when no audit store was given, so the caller can still keep them. */
    entries?: Array<z.infer<typeof BundleAuditEntry>>;
  };
}

/**
 * Stores a station's audit entries and checks its chain: the shape of server/services/audit.ts storeAuditBatch,
 * which online audit uploads go through. Passed in rather than imported because that service and this import
 * were written side by side; the admin CLI passes it (see AdminDeps.storeAudit).
 */
export type AuditStore = (
  db: Database,
  station: Station,
  items: ReadonlyArray<{ seq: number } & Record<string, unknown>>,
  now: () => Date,
) => Promise<{ stored: number; duplicates: number; breaks: readonly unknown[] }>;

/**
 * Imports a 离线移交 bundle with exactly the rules of the online sync: blobs through putBlob (hash-checked,
 * stored once), records through storeConfirmationBatch (the client id is the idempotency key, so a bundle
 * imported twice, or records that also arrive online, in either order, are stored once; the same id with other
 * content is a conflict), the day close through storeDayClose. Nothing is stored unless the whole file opens:
 * right server key, authentic ciphertext, the station's signature, an active station, a valid day close.
 * Not one transaction: a failure part-way (the database gone) leaves what was stored, and importing the same file
 * again completes it, because every step is idempotent.
 */
export async function importHandoffBundle(
  db: Database,
  bytes: Uint8Array,
  now: () => Date,
  options: { storeAudit?: AuditStore | undefined } = {},
): Promise<HandoffImportResult> {
  const { header } = readBundleHeader(bytes);
  const key = (await handoffPrivateKeys(db)).get(header.recipientKeyId);
  if (!key) throw new HandoffBundleError('wrong-server-key', 'no server key with the bundle key id');

  let station: Station | undefined;
  const opened = await openBundle(bytes, key, async (id) => {
    station = await findStation(db, id);
    if (!station) return undefined;
    const publicKey = ed25519PublicKeyFromRaw(station.publicKey);
    return { revoked: station.revokedAt !== null, verify: (text, signature) => publicKey !== undefined && verifyEd25519(publicKey, text, signature) };
  });
  if (!station) throw new HandoffBundleError('station-unknown', 'station vanished during import');
  const from: Station = station;
  const { payload } = opened;
  if (payload.pointCode !== from.pointCode) throw new HandoffBundleError('content-invalid', 'bundle names another point than the station');
  if (payload.dayClose) {
    try {
      verifyDayClose(from, payload.dayClose);
    } catch (error) {
      if (error instanceof StationError) throw new HandoffBundleError('content-invalid', `day close: ${error.detail ?? error.code}`);
      throw error;
    }
  }

  const blobs = { total: opened.blobs.length, created: 0, existing: 0 };
  for (const blob of opened.blobs) {
    const put = await putBlob(db, blob.sha256, blob.bytes, blob.mime, now());
    if (put.created) blobs.created += 1;
    else blobs.existing += 1;
  }
  const results = await storeConfirmationBatch(db, from, payload.records, now);
  const records = { total: results.length, accepted: 0, duplicate: 0, conflict: 0, invalid: 0, missingBlobs: 0, crossStation: 0 };
  for (const result of results) {
    if (result.status === 'missing-blobs') records.missingBlobs += 1;
    else records[result.status] += 1;
    if (result.crossStation) records.crossStation += 1;
  }
  const dayClose = payload.dayClose ? await storeDayClose(db, from, payload.dayClose, 'bundle', now()) : undefined;
  const auditReply = options.storeAudit && payload.audit.length > 0 ? await options.storeAudit(db, from, payload.audit, now) : undefined;
  const audit: HandoffImportResult['audit'] = options.storeAudit
    ? { received: payload.audit.length, stored: { stored: auditReply?.stored ?? 0, duplicates: auditReply?.duplicates ?? 0, breaks: auditReply?.breaks.length ?? 0 } }
    : { received: payload.audit.length, entries: payload.audit };

  const result: HandoffImportResult = {
    fileSha256: opened.fileSha256,
    stationId: from.id,
    stationName: from.name,
    pointCode: from.pointCode,
    day: payload.day,
    records,
    results,
    blobs,
    ...(dayClose ? { dayClose } : {}),
    audit,
  };
  // Counts only: the import log must not hold personal data.
  await db.query('INSERT INTO handoff_imports (file_sha256, station_id, day, result, imported_at) VALUES ($1, $2, $3::date, $4::jsonb, $5)', [
    opened.fileSha256,
    from.id,
    payload.day,
    JSON.stringify({ records, blobs, dayClose: dayClose ?? null, audit: { received: audit.received, ...(audit.stored ? { stored: audit.stored } : {}) } }),
    now(),
  ]);
  return result;
}
