import { z } from 'zod';
import { type DayCloseReply, type SignedDayClose, dayCloseSigningText } from '../../core/contract/day-close.js';
import { InvalidStateError, ValidationError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { canonicalJson } from '../../core/util/canonical-json.js';
import { sha256Hex } from '../../core/crypto/sha256.js';
import { ed25519PublicKeyFromRaw, verifyEd25519 } from '../crypto/ed25519.js';
import type { Database } from '../db/database.js';
import { queryOne } from '../db/rows.js';
import { ServerError } from '../errors.js';
import type { Station } from './stations.js';

/** Advisory lock space for "one day of one station at a time" (versions are numbered under it). */
const DAY_CLOSE_LOCK_SPACE = 17_404;

/**
 * A day close must be the station's own: its station and point, and its signature under the station's key. The
 * request signature (online) or the bundle signature (handoff) says who delivered it; this says who closed the day,
 * so the record stays checkable after it has been stored.
 */
export function verifyDayClose(station: Station, signed: SignedDayClose): void {
  const { record } = signed;
  if (record.stationId !== station.id || record.pointCode !== station.pointCode) {
    throw new ValidationError('day close names another station or point', zhCN.handoff.dayClose.stationMismatch);
  }
  const key = ed25519PublicKeyFromRaw(station.publicKey);
  if (!key || !verifyEd25519(key, dayCloseSigningText(record), Buffer.from(signed.signature, 'base64'))) {
    throw new ServerError('BAD_SIGNATURE', zhCN.handoff.dayClose.badSignature, 'day close signature does not verify');
  }
}

const ExistingRow = z.object({ record_sha256: z.string(), version: z.number().int() });

/**
 * Stores a verified day close once. The same record again (a retry, or the online path and a bundle both) is
 * `duplicate` with its stored version; the same id with other content is a conflict. A new id for a day the
 * station closed before becomes the next version: re-closing after late records is normal, and every version
 * stays for the audit trail.
 */
export async function storeDayClose(db: Database, station: Station, signed: SignedDayClose, via: 'online' | 'bundle', now: Date): Promise<DayCloseReply> {
  verifyDayClose(station, signed);
  const { record } = signed;
  const recordSha256 = sha256Hex(canonicalJson(record));
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [DAY_CLOSE_LOCK_SPACE, `${station.id}/${record.day}`]);
    const existing = await queryOne(tx, ExistingRow, 'SELECT record_sha256, version FROM day_closes WHERE id = $1', [record.id]);
    if (existing) {
      if (existing.record_sha256 !== recordSha256) throw new InvalidStateError('day close id stored with other content', zhCN.handoff.dayClose.conflict);
      return { id: record.id, status: 'duplicate', version: existing.version };
    }
    const last = await queryOne(
      tx,
      z.object({ version: z.number().int().nullable() }),
      'SELECT max(version) AS version FROM day_closes WHERE station_id = $1 AND day = $2::date',
      [station.id, record.day],
    );
    const version = (last?.version ?? 0) + 1;
    await tx.query(
      `INSERT INTO day_closes (id, station_id, point_code, day, version, record, record_sha256, signature, received_via, received_at)
       VALUES ($1, $2, $3, $4::date, $5, $6::jsonb, $7, $8, $9, $10)`,
      [record.id, station.id, station.pointCode, record.day, version, JSON.stringify(record), recordSha256, Buffer.from(signed.signature, 'base64'), via, now],
    );
    return { id: record.id, status: 'stored', version };
  });
}
