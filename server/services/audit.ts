import { z } from 'zod';
import { AuditEntry, entryHash, verifyChain, type ChainAnchor } from '../../core/audit/audit-chain.js';
import type { AuditBatchReply, AuditBreak, AuditServerBreakReason } from '../../core/contract/central-api.js';
import type { Database, Queryable } from '../db/database.js';
import { queryOne, queryRows } from '../db/rows.js';
import type { Station } from './stations.js';

/** Advisory lock space for "one audit batch per station at a time" (two-key form, like the candidate lock). */
const STATION_AUDIT_LOCK_SPACE = 17_402;

const StoredLink = z.object({ seq: z.number().int(), hash: z.string() });

interface Found {
  seq: number;
  reason: AuditServerBreakReason;
  detail: string;
}

/**
 * Stores a station's audit entries and checks its chain as it grows. Per entry, in seq order:
 * - the server already holds this seq: the same hash is a duplicate (a resend, harmless); another is a
 *   `conflict` (the station's history changed after it was shipped), flagged and not stored;
 * - a malformed entry is flagged and not stored;
 * - otherwise it is verified as the continuation of the last entry the server holds before it
 *   (or as the chain's beginning) and stored; a broken link is flagged and the entry stored anyway, as
 *   evidence, so the chain is checked on from it and later entries still arrive.
 * Batches of one station are serialised by an advisory lock, so two requests cannot both take the same
 * predecessor. Breaks are recorded once per station, seq and reason, and returned in the reply.
 */
export async function storeAuditBatch(
  db: Database,
  station: Station,
  items: ReadonlyArray<{ seq: number } & Record<string, unknown>>,
  now: () => Date,
): Promise<AuditBatchReply> {
  const sorted = [...items].sort((a, b) => a.seq - b.seq);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [STATION_AUDIT_LOCK_SPACE, station.id]);
    let stored = 0;
    let duplicates = 0;
    const found: Found[] = [];
    for (const item of sorted) {
      const existing = await queryOne(tx, StoredLink, 'SELECT seq, hash FROM audit_entries WHERE station_id = $1 AND seq = $2', [station.id, item.seq]);
      if (existing) {
        // Same hash and content that still gives it: the very entry again. Anything else is other content.
        const again = AuditEntry.safeParse(item);
        if (again.success && again.data.hash === existing.hash && entryHash(again.data) === existing.hash) duplicates += 1;
        else found.push({ seq: item.seq, reason: 'conflict', detail: `stored ${existing.hash.slice(0, 16)}…, received other content` });
        continue;
      }
      const parsed = AuditEntry.safeParse(item);
      if (!parsed.success) {
        found.push({ seq: item.seq, reason: 'malformed', detail: `at ${parsed.error.issues[0]?.path.join('.') || '(entry)'}`.slice(0, 300) });
        continue;
      }
      const entry = parsed.data;
      const before = await queryOne(
        tx,
        StoredLink,
        'SELECT seq, hash FROM audit_entries WHERE station_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT 1',
        [station.id, entry.seq],
      );
      const verdict = verifyChain([entry], before ? { from: before satisfies ChainAnchor } : {});
      if (!verdict.ok) {
        const detail = [verdict.expected && `expected ${verdict.expected}`, verdict.found && `found ${verdict.found}`].filter(Boolean).join(', ');
        found.push({ seq: verdict.brokenAt, reason: verdict.reason, detail: detail.slice(0, 300) });
      }
      await tx.query(
        `INSERT INTO audit_entries (station_id, seq, kind, at, entry, hash, prev_hash, link_ok, received_at)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9)`,
        [station.id, entry.seq, entry.kind, new Date(entry.at), JSON.stringify(entry), entry.hash, entry.prevHash, verdict.ok, now()],
      );
      stored += 1;
    }
    const detectedAt = now();
    for (const flag of found) {
      await tx.query(
        `INSERT INTO audit_breaks (station_id, seq, reason, detail, detected_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (station_id, seq, reason) DO NOTHING`,
        [station.id, flag.seq, flag.reason, flag.detail, detectedAt],
      );
    }
    const last = await queryOne(tx, z.object({ last: z.number().int().nullable() }), 'SELECT max(seq) AS last FROM audit_entries WHERE station_id = $1', [
      station.id,
    ]);
    const breaks: AuditBreak[] = found.map((flag) => ({ seq: flag.seq, reason: flag.reason, detectedAt: detectedAt.toISOString() }));
    return { stored, duplicates, lastSeq: last?.last ?? 0, breaks };
  });
}

/** A station's stored chain in seq order (the audit:verify command checks it again from the first entry). */
export async function readStationAudit(db: Queryable, stationId: string): Promise<unknown[]> {
  const rows = await queryRows(db, z.object({ entry: z.unknown() }), 'SELECT entry FROM audit_entries WHERE station_id = $1 ORDER BY seq', [stationId]);
  return rows.map((row) => row.entry);
}

const BreakRow = z
  .object({ seq: z.number().int(), reason: z.string(), detail: z.string().nullable(), detected_at: z.date() })
  .transform((row) => ({ seq: row.seq, reason: row.reason, detail: row.detail, detectedAt: row.detected_at }));

/** The breaks recorded for a station, oldest seq first. */
export function listAuditBreaks(db: Queryable, stationId: string): Promise<Array<z.infer<typeof BreakRow>>> {
  return queryRows(db, BreakRow, 'SELECT seq, reason, detail, detected_at FROM audit_breaks WHERE station_id = $1 ORDER BY seq, reason', [stationId]);
}
