import { randomInt, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ValidationError } from '../../core/errors/station-error.js';
import type { EnrollReply, EnrollRequest, IssuedEnrollmentCode } from '../../core/contract/central-api.js';
import { ed25519PublicKeyFromRaw } from '../crypto/ed25519.js';
import { sha256Bytes } from '../../core/crypto/sha256.js';
import type { Database, Queryable } from '../db/database.js';
import { queryOne } from '../db/rows.js';
import { ServerError } from '../errors.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { requirePoint } from './points.js';
import { currentHandoffKey, currentRulesKey } from './server-keys.js';

/** Crockford base32: no I, L, O, U, so a code read aloud or retyped survives. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_CHARS = 12; // 60 bits: far beyond guessing within a code's lifetime

/** `XXXX-XXXX-XXXX`. */
export function generateEnrollmentCode(): string {
  let code = '';
  for (let i = 0; i < CODE_CHARS; i++) code += ALPHABET.charAt(randomInt(ALPHABET.length));
  return code.replace(/(.{4})(?=.)/g, '$1-');
}

/** Case, spaces and dashes do not matter; the look-alikes O/I/L read as 0/1 (Crockford). */
export function normalizeEnrollmentCode(input: string): string {
  return input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

function codeHash(code: string): Uint8Array {
  return sha256Bytes(normalizeEnrollmentCode(code));
}

export async function issueEnrollmentCode(
  db: Queryable,
  pointCode: string,
  ttlMinutes: number,
  now: Date,
): Promise<IssuedEnrollmentCode> {
  await requirePoint(db, pointCode);
  const code = generateEnrollmentCode();
  const expiresAt = new Date(now.getTime() + ttlMinutes * 60_000);
  await db.query('INSERT INTO enrollment_codes (code_hash, point_code, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
    codeHash(code),
    pointCode,
    now,
    expiresAt,
  ]);
  return { code, pointCode, expiresAt: expiresAt.toISOString() };
}

const CodeRow = z.object({
  point_code: z.string(),
  point_name: z.string(),
  expires_at: z.date(),
  used_at: z.date().nullable(),
});

/**
 * Registers a station's public key with a one-time code. The code row is locked for the transaction, so two
 * stations racing with one code cannot both succeed. A code for another point reads as wrong, not as "exists".
 */
export async function enrollStation(db: Database, request: EnrollRequest, now: Date): Promise<EnrollReply> {
  const publicKey = new Uint8Array(Buffer.from(request.publicKey, 'base64'));
  if (!ed25519PublicKeyFromRaw(publicKey)) {
    throw new ValidationError('public key is not an Ed25519 key', zhCN.central.enrollment.publicKeyInvalid);
  }
  const enrolled = await db.transaction(async (tx) => {
    const code = await queryOne(
      tx,
      CodeRow,
      `SELECT c.point_code, p.name AS point_name, c.expires_at, c.used_at
       FROM enrollment_codes c JOIN points p ON p.code = c.point_code
       WHERE c.code_hash = $1 FOR UPDATE OF c`,
      [codeHash(request.code)],
    );
    if (!code || code.point_code !== request.pointCode) {
      throw new ServerError('ENROLLMENT_CODE_INVALID', zhCN.central.enrollment.codeInvalid, 'unknown code or other point');
    }
    if (code.used_at !== null) throw new ServerError('ENROLLMENT_CODE_USED', zhCN.central.enrollment.codeUsed);
    if (code.expires_at.getTime() <= now.getTime()) {
      throw new ServerError('ENROLLMENT_CODE_EXPIRED', zhCN.central.enrollment.codeExpired);
    }
    const stationId = randomUUID();
    await tx.query('INSERT INTO stations (id, point_code, name, public_key, enrolled_at) VALUES ($1, $2, $3, $4, $5)', [
      stationId,
      code.point_code,
      request.stationName,
      publicKey,
      now,
    ]);
    await tx.query('UPDATE enrollment_codes SET used_at = $2, station_id = $3 WHERE code_hash = $1', [
      codeHash(request.code),
      now,
      stationId,
    ]);
    return { stationId, pointCode: code.point_code, pointName: code.point_name };
  });
  // The key handoff bundles are sealed to, so a station that later loses its network can still hand its day over;
  // and the key province rules are signed with, which the station trusts from here on.
  return { ...enrolled, handoffKey: await currentHandoffKey(db, now), rulesKey: (await currentRulesKey(db, now)).info };
}
