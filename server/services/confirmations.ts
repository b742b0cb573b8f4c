import { z } from 'zod';
import { describeIssues } from '../../core/api/describe-issues.js';
import {
  type ApiErrorCode,
  type ConfirmationRecord,
  type ConfirmationResult,
  ConfirmationUpload,
  type SignedConfirmationUpload,
} from '../../core/contract/central-api.js';
import { RulesVersion } from '../../core/rules/bundle.js';
import { type SignableRecord, blobListsAgree, decodeRecordSignature, encodeRecordSignature, verifyRecordSignature } from '../../core/records/record-signature.js';
import { canonicalJson } from '../../core/util/canonical-json.js';
import { sha256Hex } from '../../core/crypto/sha256.js';
import { ed25519PublicKeyFromRaw, verifyEd25519 } from '../crypto/ed25519.js';
import type { Database, Queryable } from '../db/database.js';
import { queryOne, queryRows } from '../db/rows.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { findMissingBlobs } from './blobs.js';
import { isKnownRulesVersion } from './rules-versions.js';
import type { Station } from './stations.js';

/** Advisory lock space for "one candidate at a time" (the two-key form never meets single-key locks). */
const CANDIDATE_LOCK_SPACE = 17_401;

/** What "same content" means: the hash of citizen id, content and the set of referenced blobs. */
export function confirmationContentHash(upload: ConfirmationUpload): string {
  const blobs = [...new Set(upload.blobs)].sort();
  return sha256Hex(canonicalJson({ citizenId: upload.citizenId, content: upload.content, blobs }));
}

/**
 * The one check of a record's signature on the server, for online batches and handoff bundles alike (both go
 * through storeConfirmationBatch) and for the admin listing: the station's enrolled key over the record.
 */
export function recordSignatureVerifies(station: Pick<Station, 'id' | 'publicKey'>, record: SignableRecord, signature: string): boolean {
  const key = ed25519PublicKeyFromRaw(station.publicKey);
  return key !== undefined && verifyRecordSignature(station.id, record, signature, (text, bytes) => verifyEd25519(key, text, bytes));
}

const ExistingRow = z.object({
  station_id: z.string(),
  content_sha256: z.string(),
  cross_station_conflict: z.boolean(),
  unknown_rules: z.boolean(),
});
type ExistingRow = z.infer<typeof ExistingRow>;

function findExisting(tx: Queryable, id: string): Promise<ExistingRow | undefined> {
  return queryOne(
    tx,
    ExistingRow,
    'SELECT station_id, content_sha256, cross_station_conflict, unknown_rules FROM confirmations WHERE id = $1',
    [id],
  );
}

function flags(crossStation: boolean, unknownRules: boolean): Pick<ConfirmationResult, 'crossStation' | 'unknownRules'> {
  return { ...(crossStation ? { crossStation: true as const } : {}), ...(unknownRules ? { unknownRules: true as const } : {}) };
}

/** A stored record with this id: the same upload again is a success, anything else a conflict. */
function againResult(id: string, existing: ExistingRow, station: Station, contentSha256: string): ConfirmationResult {
  if (existing.station_id !== station.id || existing.content_sha256 !== contentSha256) {
    return {
      id,
      status: 'conflict',
      error: { code: 'INVALID_STATE', message: zhCN.central.confirmations.conflict, detail: 'id already stored with other content' },
    };
  }
  return { id, status: 'duplicate', ...flags(existing.cross_station_conflict, existing.unknown_rules) };
}

/**
 * Stores one confirmation atomically (its row and its blob references, or nothing). Uploads of one candidate
 * are serialised by an advisory lock, so two stations confirming the same person at once cannot both miss
 * each other's record when deciding the cross-station flag.
 */
async function storeOne(db: Database, station: Station, upload: CheckedUpload, now: Date): Promise<ConfirmationResult> {
  const contentSha256 = confirmationContentHash(upload);
  const blobs = [...new Set(upload.blobs)];
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [CANDIDATE_LOCK_SPACE, upload.citizenId]);
    const existing = await findExisting(tx, upload.id);
    if (existing) return againResult(upload.id, existing, station, contentSha256);

    const missing = await findMissingBlobs(tx, blobs);
    if (missing.length > 0) {
      return {
        id: upload.id,
        status: 'missing-blobs',
        missingBlobs: missing,
        error: { code: 'NOT_FOUND', message: zhCN.central.confirmations.missingBlobs },
      };
    }

    const other = await queryOne(
      tx,
      z.object({ found: z.boolean() }),
      'SELECT EXISTS (SELECT 1 FROM confirmations WHERE citizen_id = $1 AND station_id <> $2) AS found',
      [upload.citizenId, station.id],
    );
    const crossStation = other?.found === true;
    // A version the server does not know (a newer province bundle, say) is stored all the same, flagged.
    const unknownRules = upload.rulesVersion !== undefined && !(await isKnownRulesVersion(tx, station.pointCode, upload.rulesVersion));
    const inserted = await tx.query(
      `INSERT INTO confirmations (id, station_id, point_code, citizen_id, content, content_sha256, received_at, cross_station_conflict,
                                  signature, rules_version, unknown_rules)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (id) DO NOTHING`,
      [
        upload.id,
        station.id,
        station.pointCode,
        upload.citizenId,
        JSON.stringify(upload.content),
        contentSha256,
        now,
        crossStation,
        upload.signatureBytes,
        upload.rulesVersion ?? null,
        unknownRules,
      ],
    );
    if (inserted.rowCount === 0) {
      // The same id with another citizen id raced past the candidate lock; judge against what won.
      const winner = await findExisting(tx, upload.id);
      if (winner) return againResult(upload.id, winner, station, contentSha256);
    }
    for (const sha256 of blobs) {
      await tx.query('INSERT INTO confirmation_blobs (confirmation_id, sha256) VALUES ($1, $2)', [upload.id, sha256]);
    }
    return { id: upload.id, status: 'accepted', ...flags(crossStation, unknownRules) };
  });
}

/** A record that passed every check that needs no database: schema, signature, blob list, rules version. */
type CheckedUpload = SignedConfirmationUpload & { signatureBytes: Uint8Array; rulesVersion: string | undefined };

function invalid(id: string, code: ApiErrorCode, message: string, detail: string): ConfirmationResult {
  return { id, status: 'invalid', error: { code, message, detail } };
}

/**
 * The checks of one item, in order: the record's schema, its signature (present, then by the station's key),
 * its content's blob list against the upload's, the rules version's form. Each failure is permanent: the station
 * puts the record in 需处理 with the message.
 */
function checkItem(station: Station, item: { id: string } & Record<string, unknown>): CheckedUpload | ConfirmationResult {
  const { signature, ...unsigned } = item;
  const parsed = ConfirmationUpload.safeParse(unsigned);
  if (!parsed.success) return invalid(item.id, 'VALIDATION', zhCN.central.confirmations.invalid, describeIssues(parsed.error));
  const upload = parsed.data;
  if (signature === undefined) return invalid(item.id, 'BAD_SIGNATURE', zhCN.central.confirmations.unsigned, 'record signature missing');
  const signatureText = typeof signature === 'string' ? signature : '';
  const signatureBytes = decodeRecordSignature(signatureText);
  if (!signatureBytes || !recordSignatureVerifies(station, upload, signatureText)) {
    return invalid(item.id, 'BAD_SIGNATURE', zhCN.central.confirmations.badSignature, 'record signature does not verify with the station key');
  }
  if (!blobListsAgree(upload)) {
    return invalid(item.id, 'BLOB_LIST_MISMATCH', zhCN.central.confirmations.blobListMismatch, 'content.blobs and the upload blob list differ');
  }
  const rulesVersion = upload.content['rulesVersion'];
  const rules = rulesVersion === undefined ? undefined : RulesVersion.safeParse(rulesVersion);
  if (rules && !rules.success) return invalid(item.id, 'VALIDATION', zhCN.central.confirmations.rulesVersionInvalid, 'content.rulesVersion malformed');
  return { ...upload, signature: signatureText, signatureBytes, rulesVersion: rules?.data };
}

/**
 * Answers every item of a batch on its own, in order: one invalid or conflicting record never holds back
 * the others, and replaying a batch yields `duplicate` for what is already stored.
 */
export async function storeConfirmationBatch(
  db: Database,
  station: Station,
  items: ReadonlyArray<{ id: string } & Record<string, unknown>>,
  now: () => Date,
): Promise<ConfirmationResult[]> {
  const results: ConfirmationResult[] = [];
  for (const item of items) {
    const checked = checkItem(station, item);
    results.push('status' in checked ? checked : await storeOne(db, station, checked, now()));
  }
  return results;
}

const RecordRow = z.object({
  id: z.string(),
  station_id: z.string(),
  station_name: z.string(),
  point_code: z.string(),
  citizen_id: z.string(),
  content: z.record(z.string(), z.json()),
  content_sha256: z.string(),
  blobs: z.array(z.string()),
  received_at: z.date(),
  cross_station_conflict: z.boolean(),
  signature: z.instanceof(Uint8Array).nullable(),
  unknown_rules: z.boolean(),
  station_public_key: z.instanceof(Uint8Array),
});

/** A stored row for admins; the signature is verified again from what is stored (still the record the station signed?). */
function recordOf(row: z.infer<typeof RecordRow>): ConfirmationRecord {
  const signature = row.signature ? encodeRecordSignature(row.signature) : undefined;
  const record = { id: row.id, citizenId: row.citizen_id, content: row.content, blobs: row.blobs };
  const station = { id: row.station_id, publicKey: row.station_public_key };
  return {
    id: row.id,
    stationId: row.station_id,
    stationName: row.station_name,
    pointCode: row.point_code,
    citizenId: row.citizen_id,
    content: row.content,
    contentSha256: row.content_sha256,
    blobs: row.blobs,
    receivedAt: row.received_at.toISOString(),
    crossStationConflict: row.cross_station_conflict,
    ...(signature ? { signature } : {}),
    signatureValid: signature !== undefined && recordSignatureVerifies(station, record, signature),
    unknownRules: row.unknown_rules,
  };
}

/** China Standard Time is UTC+8 all year: a calendar day there is a fixed UTC interval. */
function dayRange(day: string): [Date, Date] {
  const start = new Date(`${day}T00:00:00+08:00`);
  return [start, new Date(start.getTime() + 24 * 60 * 60 * 1000)];
}

export async function listConfirmations(
  db: Queryable,
  pointCode: string,
  day: string | undefined,
  limit: number,
): Promise<{ confirmations: ConfirmationRecord[]; truncated: boolean }> {
  const [from, to] = day === undefined ? [null, null] : dayRange(day);
  const rows = await queryRows(
    db,
    RecordRow,
    `SELECT c.id, c.station_id, s.name AS station_name, c.point_code, c.citizen_id, c.content, c.content_sha256,
            (SELECT COALESCE(json_agg(cb.sha256 ORDER BY cb.sha256), '[]'::json)
               FROM confirmation_blobs cb WHERE cb.confirmation_id = c.id) AS blobs,
            c.received_at, c.cross_station_conflict, c.signature, c.unknown_rules, s.public_key AS station_public_key
     FROM confirmations c JOIN stations s ON s.id = c.station_id
     WHERE c.point_code = $1
       AND ($2::timestamptz IS NULL OR c.received_at >= $2) AND ($3::timestamptz IS NULL OR c.received_at < $3)
     ORDER BY c.received_at, c.id
     LIMIT $4`,
    [pointCode, from, to, limit + 1],
  );
  return {
    confirmations: rows.slice(0, limit).map(recordOf),
    truncated: rows.length > limit,
  };
}
