import { z } from 'zod';
import { ValidationError } from '../../core/errors/station-error.js';
import type { BlobMime, BlobPutReply } from '../../core/contract/central-api.js';
import { sha256Hex } from '../../core/crypto/sha256.js';
import type { Queryable } from '../db/database.js';
import { queryOne, queryRows } from '../db/rows.js';
import { ServerError } from '../errors.js';
import { zhCN } from '../../core/i18n/zh-CN.js';

/**
 * Stores bytes under their SHA-256 after checking that they hash to the claimed address. Storing the same
 * bytes again is a success (`created: false`): uploads are retried after lost replies.
 */
export async function putBlob(db: Queryable, sha256: string, bytes: Uint8Array, mime: BlobMime, now: Date): Promise<BlobPutReply> {
  if (bytes.length === 0) throw new ValidationError('empty blob', zhCN.central.blobs.empty);
  if (sha256Hex(bytes) !== sha256) {
    throw new ServerError('BLOB_HASH_MISMATCH', zhCN.central.blobs.hashMismatch, 'body does not hash to the address');
  }
  const result = await db.query(
    `INSERT INTO blobs (sha256, bytes, size, mime, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (sha256) DO NOTHING`,
    [sha256, bytes, bytes.length, mime, now],
  );
  return { sha256, size: bytes.length, created: result.rowCount === 1 };
}

const BlobRow = z.object({ bytes: z.instanceof(Uint8Array), mime: z.string() });

/**
 * A blob as a station of `pointCode` may read it: photos of its point's roster, and files referenced by its
 * point's confirmations. Anything else reads as absent, so hashes of other points' personal files reveal nothing.
 */
export async function readBlobForPoint(
  db: Queryable,
  sha256: string,
  pointCode: string,
): Promise<{ bytes: Uint8Array; mime: string } | undefined> {
  return queryOne(
    db,
    BlobRow,
    `SELECT b.bytes, b.mime FROM blobs b
     WHERE b.sha256 = $1 AND (
       EXISTS (SELECT 1 FROM roster_entries r WHERE r.point_code = $2 AND r.photo_sha256 = b.sha256)
       OR EXISTS (SELECT 1 FROM confirmation_blobs cb JOIN confirmations c ON c.id = cb.confirmation_id
                  WHERE cb.sha256 = b.sha256 AND c.point_code = $2))`,
    [sha256, pointCode],
  );
}

/** Which of `hashes` are not stored yet, in the given order. */
export async function findMissingBlobs(db: Queryable, hashes: readonly string[]): Promise<string[]> {
  if (hashes.length === 0) return [];
  const present = await queryRows(db, z.object({ sha256: z.string() }), 'SELECT sha256 FROM blobs WHERE sha256 = ANY($1::text[])', [
    hashes,
  ]);
  const have = new Set(present.map((row) => row.sha256));
  return hashes.filter((hash) => !have.has(hash));
}
