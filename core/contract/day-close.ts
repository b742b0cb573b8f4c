import { z } from 'zod';
import { PointCode, Sha256Hex, base64OfLength } from './central-api.js';
import { Actor } from './staff.js';
import { canonicalJson } from '../util/canonical-json.js';
import { sha256Hex } from '../crypto/sha256.js';

/**
 * 日结: the station's signed statement that a day is closed, with the counts the supervisor saw. The station key
 * signs the canonical JSON of the record, so the server (and anyone holding the station's public key) can check
 * that the counts are the station's own. It travels online (POST /api/v1/day-closes) or inside a handoff bundle.
 *
 * Closing the same day again (late records after a handoff, a correction) writes a new record with a new id: the
 * server keeps every version, numbered per station and day, and the newest is the day's close. The same id sent
 * twice is stored once; the same id with other content is refused as a conflict.
 */
export const MAX_DAY_RECORDS = 20_000;

const Count = z.number().int().nonnegative().max(1_000_000);

export const DayCloseCounts = z.strictObject({
  /** Records (latest version of each chain) of the day, training excluded. */
  total: Count,
  confirmed: Count,
  rejected: Count,
  /** Per candidate type (考生类型 code), when the station counted them. */
  byType: z.record(z.string().min(1).max(40), Count).optional(),
  /** Acknowledged by the server online. */
  acknowledged: Count,
  /** Carried in a handoff bundle (已移交), not yet acknowledged online. */
  handedOff: Count,
});
export type DayCloseCounts = z.infer<typeof DayCloseCounts>;

export const DayClose = z.strictObject({
  id: z.uuid(),
  stationId: z.uuid(),
  pointCode: PointCode,
  /** The calendar day in China Standard Time. */
  day: z.iso.date(),
  closedAt: z.iso.datetime({ offset: true }),
  closedBy: Actor,
  counts: DayCloseCounts,
  /** Which record ids the close covers, without listing them: their count and dayCloseRecordsDigest. */
  records: z.strictObject({ count: z.number().int().nonnegative().max(MAX_DAY_RECORDS), sha256: Sha256Hex }),
});
export type DayClose = z.infer<typeof DayClose>;

export const SignedDayClose = z.strictObject({
  record: DayClose,
  /** Ed25519 by the station key over dayCloseSigningText(record), base64. */
  signature: base64OfLength(64),
});
export type SignedDayClose = z.infer<typeof SignedDayClose>;

/** What the staff window supplies; the host adds id, station, point and time, and signs. */
export const DayCloseDraft = z.strictObject({
  day: z.iso.date(),
  closedBy: Actor,
  counts: DayCloseCounts,
  recordIds: z.array(z.uuid()).max(MAX_DAY_RECORDS),
});
export type DayCloseDraft = z.infer<typeof DayCloseDraft>;

export const dayCloseStatuses = ['stored', 'duplicate'] as const;

export const DayCloseReply = z.strictObject({
  id: z.uuid(),
  /** stored: new; duplicate: this exact record was stored before (a retry, or the bundle and the online path both). */
  status: z.enum(dayCloseStatuses),
  /** 1 for the day's first close at this station, then 2, 3 … for later closes of the same day. */
  version: z.number().int().positive(),
});
export type DayCloseReply = z.infer<typeof DayCloseReply>;

/** Station-side result of central.dayClose: the signed record (kept for a later bundle) and the server's answer. */
export const DayCloseResult = z.strictObject({ dayClose: SignedDayClose, reply: DayCloseReply });
export type DayCloseResult = z.infer<typeof DayCloseResult>;

const DAY_CLOSE_SIGNING_LABEL = 'xianchang-day-close-v1';

export function dayCloseSigningText(record: DayClose): string {
  return `${DAY_CLOSE_SIGNING_LABEL}\n${canonicalJson(record)}`;
}

/** Order and repeats do not matter: the digest of the sorted, distinct ids. */
export function dayCloseRecordsDigest(ids: readonly string[]): { count: number; sha256: string } {
  const distinct = [...new Set(ids.map((id) => id.toLowerCase()))].sort();
  return { count: distinct.length, sha256: sha256Hex(canonicalJson(distinct)) };
}
