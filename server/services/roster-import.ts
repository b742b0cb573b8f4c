import { z } from 'zod';
import type { RosterEntry } from '../../core/contract/roster.js';
import type { BadRow, BlobMime, RosterImportReply } from '../../core/contract/central-api.js';
import { sha256Hex } from '../../core/crypto/sha256.js';
import type { Database, Queryable, SqlParam } from '../db/database.js';
import { queryRows } from '../db/rows.js';
import { ServerError } from '../errors.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { type Point, lockPoint, requirePoint } from './points.js';
import { checkRosterRows } from './roster-rows.js';
import { type RosterTypeVocabulary, pointRosterTypes } from './roster-types.js';

/** Rows per INSERT statement: 12 parameters each stays far below PostgreSQL's 65,535. */
const CHUNK = 500;

const DATA_URL = /^data:(image\/(?:jpeg|png|svg\+xml));base64,([A-Za-z0-9+/]+={0,2})$/;

/** A photo ready to store as a blob; the roster row references it by `sha256`. */
export interface RosterPhoto {
  sha256: string;
  bytes: Uint8Array;
  mime: BlobMime;
}

/** The roster schema only admits base64 image data URLs, so this cannot fail for a checked entry. */
function photoOf(entry: RosterEntry): RosterPhoto | undefined {
  const match = entry.photo === undefined ? null : DATA_URL.exec(entry.photo);
  const mime = match?.[1] === undefined ? undefined : (match[1] as BlobMime);
  if (!mime || !match?.[2]) return undefined;
  const bytes = new Uint8Array(Buffer.from(match[2], 'base64'));
  return { sha256: sha256Hex(bytes), bytes, mime };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function placeholders(rowCount: number, columns: number): string {
  const rows: string[] = [];
  for (let r = 0; r < rowCount; r++) {
    const cells: string[] = [];
    for (let c = 1; c <= columns; c++) cells.push(`$${r * columns + c}`);
    rows.push(`(${cells.join(', ')})`);
  }
  return rows.join(',\n');
}

async function storePhotos(tx: Queryable, photos: readonly RosterPhoto[], now: Date): Promise<void> {
  const unique = [...new Map(photos.map((photo) => [photo.sha256, photo])).values()];
  for (const part of chunks(unique, CHUNK)) {
    const params: SqlParam[] = part.flatMap((p) => [p.sha256, p.bytes, p.bytes.length, p.mime, now]);
    await tx.query(
      `INSERT INTO blobs (sha256, bytes, size, mime, created_at) VALUES ${placeholders(part.length, 5)}
       ON CONFLICT (sha256) DO NOTHING`,
      params,
    );
  }
}

const rosterColumns = [
  'registration_no',
  'name',
  'sex',
  'candidate_type',
  'major',
  'exam_city',
  'phone',
  'photo_sha256',
  'status',
] as const;

/**
 * Inserts new rows and updates changed ones; only a real change draws a new row version (and so reaches
 * stations again). Unchanged rows are left alone. Returns how many were inserted and updated.
 */
async function upsertEntries(
  tx: Queryable,
  pointCode: string,
  entries: ReadonlyArray<{ entry: RosterEntry; photoSha256: string | null }>,
  now: Date,
): Promise<{ inserted: number; updated: number }> {
  let inserted = 0;
  let updated = 0;
  const columnList = rosterColumns.join(', ');
  const changed = rosterColumns.map((c) => `roster_entries.${c}`).join(', ');
  const incoming = rosterColumns.map((c) => `EXCLUDED.${c}`).join(', ');
  for (const part of chunks(entries, CHUNK)) {
    const params: SqlParam[] = part.flatMap(({ entry, photoSha256 }) => [
      pointCode,
      entry.citizenId,
      entry.registrationNo,
      entry.name,
      entry.sex,
      entry.candidateType,
      entry.major,
      entry.examCity,
      entry.phone ?? null,
      photoSha256,
      entry.status,
      now,
    ]);
    const rows = await queryRows(
      tx,
      z.object({ inserted: z.boolean() }),
      `INSERT INTO roster_entries (point_code, citizen_id, ${columnList}, updated_at)
       VALUES ${placeholders(part.length, 12)}
       ON CONFLICT (point_code, citizen_id) DO UPDATE SET
         ${rosterColumns.map((c) => `${c} = EXCLUDED.${c}`).join(', ')},
         updated_at = EXCLUDED.updated_at,
         row_version = nextval('roster_row_version')
       WHERE (${changed}) IS DISTINCT FROM (${incoming})
       RETURNING (xmax = 0) AS inserted`,
      params,
    );
    // xmax = 0 marks a freshly inserted tuple; unchanged rows return nothing.
    for (const row of rows) {
      if (row.inserted) inserted += 1;
      else updated += 1;
    }
  }
  return { inserted, updated };
}

export interface RosterImportOptions {
  /** Import the good rows of a file that has bad ones (default: a bad row stops the whole import). */
  skipBad: boolean;
}

/**
 * One source row as a reader of some file format prepared it. `fields` is checked exactly like a JSON row
 * (RosterEntry, point, duplicates); what the reader already found wrong travels in `reasons`.
 */
export interface PreparedRosterRow {
  /** 1-based row number as the admin sees it: the JSON array position, or the spreadsheet row (header = 1). */
  row: number;
  fields: unknown;
  /** A photo the reader loaded from elsewhere (a photo folder); JSON rows carry theirs as a data URL instead. */
  photo?: RosterPhoto | undefined;
  /** Chinese reasons found while reading the row; never the row's values. */
  reasons?: readonly string[] | undefined;
  /**
   * Fields whose problem `reasons` already names more precisely, so the schema's generic
   * "缺少…"/"…格式不正确" for them is not repeated.
   */
  explained?: ReadonlySet<keyof RosterEntry> | undefined;
}

/**
 * The candidate type as the roster row names it (a national id or label, or the point's bundle's type id or label)
 * → the national category. A name nobody knows is the row's reason, listing what may be written, never the value.
 */
function withNationalTypes(rows: readonly PreparedRosterRow[], types: RosterTypeVocabulary): PreparedRosterRow[] {
  return rows.map((prepared) => {
    const { fields } = prepared;
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return prepared;
    const written: unknown = (fields as Record<string, unknown>)['candidateType'];
    if (typeof written !== 'string') return prepared;
    const type = types.resolve(written);
    if (type === written) return prepared;
    if (type !== undefined) return { ...prepared, fields: { ...fields, candidateType: type } };
    return {
      ...prepared,
      reasons: [...(prepared.reasons ?? []), zhCN.central.roster.unknownCandidateType(types.labels.join('、'))],
      explained: new Set<keyof RosterEntry>([...(prepared.explained ?? []), 'candidateType']),
    };
  });
}

function genericReasons(field: keyof RosterEntry): string[] {
  const label = (zhCN.candidate.fields as Record<string, string>)[field] ?? field;
  return [zhCN.central.roster.fieldMissing(label), zhCN.central.roster.fieldInvalid(label)];
}

/** Runs the shared row checks and merges in what the reader found, keyed by the admin's row numbers. */
function checkPreparedRows(
  rows: readonly PreparedRosterRow[],
  point: Point,
): { good: Array<{ entry: RosterEntry; photo: RosterPhoto | undefined }>; bad: BadRow[] } {
  const byRow = new Map<number, PreparedRosterRow>();
  for (const prepared of rows) {
    if (byRow.has(prepared.row) || !Number.isSafeInteger(prepared.row) || prepared.row < 1) {
      throw new Error('prepared roster rows need distinct positive row numbers');
    }
    byRow.set(prepared.row, prepared);
  }
  const checked = checkRosterRows(
    [...byRow.values()].sort((a, b) => a.row - b.row).map(({ row, fields }) => ({ row, fields })),
    point,
  );
  const reasonsByRow = new Map(checked.bad.map((b) => [b.row, b.reasons]));
  const good: Array<{ entry: RosterEntry; photo: RosterPhoto | undefined }> = [];
  const goodByRow = new Map(checked.good.map((g) => [g.row, g.entry]));
  const bad: BadRow[] = [];
  for (const prepared of [...byRow.values()].sort((a, b) => a.row - b.row)) {
    const hidden = new Set([...(prepared.explained ?? [])].flatMap(genericReasons));
    const reasons = [
      ...new Set([...(prepared.reasons ?? []), ...(reasonsByRow.get(prepared.row) ?? []).filter((r) => !hidden.has(r))]),
    ];
    const entry = goodByRow.get(prepared.row);
    if (reasons.length > 0) bad.push({ row: prepared.row, reasons });
    else if (entry) good.push({ entry, photo: prepared.photo ?? photoOf(entry) });
  }
  return { good, bad };
}

/**
 * Imports prepared rows for one point in one transaction. Every row is checked first; with any bad row
 * nothing is written (ROSTER_INVALID carries the report) unless `skipBad`. Rows absent from a re-import are
 * kept as they are. Photos are stored once per SHA-256 and the row references the hash. Candidate types may be
 * written as the point's current rules bundle names them (roster-types.ts); they are stored as national categories.
 */
export async function importPreparedRoster(
  db: Database,
  pointCode: string,
  rows: readonly PreparedRosterRow[],
  options: RosterImportOptions,
  now: Date,
): Promise<RosterImportReply> {
  const point = await requirePoint(db, pointCode);
  const { good, bad } = checkPreparedRows(withNationalTypes(rows, await pointRosterTypes(db, point.code)), point);
  if (bad.length > 0 && !options.skipBad) {
    throw new ServerError('ROSTER_INVALID', zhCN.central.roster.invalid(bad.length), `${bad.length} bad row(s)`, {
      badRows: bad,
    });
  }
  const { inserted, updated } = await db.transaction(async (tx) => {
    await lockPoint(tx, point.code);
    await storePhotos(
      tx,
      good.flatMap(({ photo }) => (photo ? [photo] : [])),
      now,
    );
    return upsertEntries(
      tx,
      point.code,
      good.map(({ entry, photo }) => ({ entry, photoSha256: photo?.sha256 ?? null })),
      now,
    );
  });
  return {
    rows: rows.length,
    inserted,
    updated,
    unchanged: good.length - inserted - updated,
    skipped: bad.length,
    badRows: bad,
  };
}

/** Imports RosterEntry-shaped JSON rows (photos as data URLs); row numbers are array positions from 1. */
export async function importRoster(
  db: Database,
  pointCode: string,
  rows: readonly unknown[],
  options: RosterImportOptions,
  now: Date,
): Promise<RosterImportReply> {
  return importPreparedRoster(
    db,
    pointCode,
    rows.map((fields, index) => ({ row: index + 1, fields })),
    options,
    now,
  );
}
