/**
 * Reads a roster file for import: the online registration system's export (.csv in UTF-8 or GBK, .xlsx) with
 * its photo folder, or our own RosterEntry JSON. The result feeds importPreparedRoster.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { MAX_ROSTER_ROWS } from '../../core/contract/central-api.js';
import { FileInvalidError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import type { PreparedRosterRow } from '../services/roster-import.js';
import { type CsvEncoding, decodeCsv, parseCsv } from './csv.js';
import { openPhotoFolder } from './photos.js';
import { prepareSheetRows } from './rows.js';
import { readXlsx } from './xlsx.js';

const messages = zhCN.central.roster.file;

export type RosterFileFormat = 'csv' | 'xlsx' | 'json';

export interface RosterFile {
  format: RosterFileFormat;
  /** CSV only: how the bytes were decoded. */
  encoding?: CsvEncoding;
  /** Header texts of the columns not used (CSV/XLSX). */
  ignoredColumns: string[];
  rows: PreparedRosterRow[];
}

export interface ReadRosterFileOptions {
  /** The folder the rows' photo file names refer to (CSV/XLSX). */
  photosDir?: string | undefined;
}

const JsonRoster = z.union([z.array(z.unknown()), z.looseObject({ entries: z.array(z.unknown()) })]);

function formatOf(file: string): RosterFileFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.json') return 'json';
  if (ext === '.xls') throw new FileInvalidError('legacy .xls', messages.legacyXls);
  throw new FileInvalidError('unsupported roster file extension', messages.unsupported);
}

function readJson(bytes: Uint8Array): PreparedRosterRow[] {
  let parsed: z.infer<typeof JsonRoster>;
  try {
    parsed = JsonRoster.parse(JSON.parse(new TextDecoder('utf-8').decode(bytes)));
  } catch {
    throw new FileInvalidError('roster file is not a JSON array or { entries }', messages.notJson);
  }
  const rows = Array.isArray(parsed) ? parsed : parsed.entries;
  if (rows.length > MAX_ROSTER_ROWS) throw new FileInvalidError('too many rows', messages.tooManyRows(MAX_ROSTER_ROWS));
  return rows.map((fields, index) => ({ row: index + 1, fields }));
}

export async function readRosterFile(file: string, options: ReadRosterFileOptions = {}): Promise<RosterFile> {
  const format = formatOf(file);
  if (format === 'json' && options.photosDir !== undefined) {
    throw new FileInvalidError('--photos given for a JSON roster', messages.photosNotForJson);
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch {
    throw new FileInvalidError('roster file unreadable', messages.unreadable);
  }
  if (format === 'json') return { format, ignoredColumns: [], rows: readJson(bytes) };
  // Opened before the rows are read so a wrong folder fails once, not as a missing photo on every row.
  const photos = options.photosDir === undefined ? undefined : await openPhotoFolder(options.photosDir);
  if (format === 'xlsx') {
    const { rows, ignoredColumns } = await prepareSheetRows(await readXlsx(bytes), photos);
    return { format, ignoredColumns, rows };
  }
  const { text, encoding } = decodeCsv(bytes);
  const { rows, ignoredColumns } = await prepareSheetRows(parseCsv(text), photos);
  return { format, encoding, ignoredColumns, rows };
}
