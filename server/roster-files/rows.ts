/**
 * Spreadsheet rows → RosterEntry-shaped fields for the shared checks (services/roster-rows.ts). Chinese labels
 * become codes here; a label we do not know stays a reason on the row, never a guess. The candidate type is the
 * exception: a label the catalogue does not know is passed on as written, since the point's rules bundle may name
 * it (services/roster-types.ts, applied by the import, which gives the row its reason when nothing does).
 */
import { normalizeDocumentNumber, parseDocumentNumber } from '../../core/citizen-id/document-number.js';
import { MAX_ROSTER_ROWS } from '../../core/contract/central-api.js';
import type { CandidateType, ConfirmationStatus, RosterEntry, Sex } from '../../core/contract/roster.js';
import { FileInvalidError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import type { PreparedRosterRow } from '../services/roster-import.js';
import { type ColumnField, type ColumnMap, mapColumns } from './columns.js';
import type { PhotoFolder } from './photos.js';
import { type SheetRow, isBlankRow } from './table.js';

const messages = zhCN.central.roster;

function inverse<K extends string>(labels: Record<K, string>): Map<string, K> {
  return new Map((Object.entries(labels) as Array<[K, string]>).map(([code, label]) => [label, code]));
}

const candidateTypeByLabel = inverse<CandidateType>(zhCN.candidate.types);
const statusByLabel = inverse<ConfirmationStatus>(zhCN.candidate.status);
const sexByLabel = inverse<Sex>(zhCN.candidate.sex);
const statusLabels = Object.values(zhCN.candidate.status).join('、');

/**
 * A cell as text: trimmed, and Excel's `="…"` wrapper unwrapped (exports use it to keep long numbers from
 * becoming 4.1E+17). Empty means absent, so the schema reports "缺少…" rather than a format error.
 */
function cellValue(row: SheetRow, columns: ColumnMap, field: ColumnField): string | undefined {
  const at = columns.index[field];
  const raw = at === undefined ? undefined : row.cells[at];
  if (raw === undefined) return undefined;
  let text = raw.trim();
  const wrapped = /^="(.*)"$/su.exec(text);
  if (wrapped?.[1] !== undefined) text = wrapped[1].trim();
  return text === '' ? undefined : text;
}

export interface SheetRowsResult {
  rows: PreparedRosterRow[];
  ignoredColumns: string[];
}

/**
 * The first non-blank row is the header; blank rows are skipped and every other row keeps its spreadsheet
 * number. `photos` is required when any row names a photo file.
 */
export async function prepareSheetRows(sheet: readonly SheetRow[], photos: PhotoFolder | undefined): Promise<SheetRowsResult> {
  const nonBlank = sheet.filter((row) => !isBlankRow(row));
  const [header, ...data] = nonBlank;
  if (!header) throw new FileInvalidError('no header row', messages.file.noHeader);
  if (data.length > MAX_ROSTER_ROWS) throw new FileInvalidError('too many rows', messages.file.tooManyRows(MAX_ROSTER_ROWS));
  const columns = mapColumns(header.cells);
  if (!photos && data.some((row) => cellValue(row, columns, 'photoFile') !== undefined)) {
    throw new FileInvalidError('photo file names without a photo folder', messages.file.photosRequired);
  }
  const rows: PreparedRosterRow[] = [];
  for (const row of data) rows.push(await prepareRow(row, columns, photos));
  return { rows, ignoredColumns: columns.ignored };
}

async function prepareRow(row: SheetRow, columns: ColumnMap, photos: PhotoFolder | undefined): Promise<PreparedRosterRow> {
  const reasons: string[] = [];
  const explained = new Set<keyof RosterEntry>();
  const value = (field: ColumnField) => cellValue(row, columns, field);

  const citizenText = value('citizenId');
  const citizenId = citizenText === undefined ? undefined : normalizeDocumentNumber(citizenText);
  const parsedId = citizenId === undefined ? undefined : parseDocumentNumber(citizenId);
  // Only a resident number says the sex; the foreign permanent resident layouts do not document a sex digit.
  const idSex = parsedId?.ok && parsedId.value.kind === 'resident' ? parsedId.value.sex : undefined;

  // Sex: the column when present and filled, else the resident number's 17th digit (odd = male).
  const sexText = value('sex');
  let sex: Sex | undefined;
  if (sexText !== undefined) {
    sex = sexByLabel.get(sexText);
    if (sex === undefined) reasons.push(messages.sexInvalid);
    else if (idSex !== undefined && idSex !== sex) reasons.push(messages.sexMismatch);
    explained.add('sex');
  } else {
    sex = idSex;
    // Without a valid number there is nothing to derive from; the number's own reason says why. A valid
    // foreign number without the column is a missing sex, which the schema reports.
    if (sex === undefined && citizenId !== undefined && parsedId?.ok !== true) explained.add('sex');
  }

  const typeText = value('candidateType');
  const candidateType = typeText === undefined ? undefined : (candidateTypeByLabel.get(typeText) ?? typeText);

  const statusText = value('status');
  const status = statusText === undefined ? 'pending' : statusByLabel.get(statusText);
  if (status === undefined) {
    reasons.push(messages.unknownStatus(statusLabels));
    explained.add('status');
  }

  let photo: PreparedRosterRow['photo'];
  const photoFile = value('photoFile');
  if (photoFile !== undefined && photos) {
    const loaded = await photos.load(photoFile);
    if (loaded.ok) photo = loaded.photo;
    else reasons.push(loaded.reason);
  }

  // Absent values stay absent (undefined keys are dropped) so the schema names the missing field.
  const fields: Record<string, string> = {};
  const put = (key: keyof RosterEntry, text: string | undefined) => {
    if (text !== undefined) fields[key] = text;
  };
  put('registrationNo', value('registrationNo')?.toUpperCase());
  put('citizenId', citizenId);
  put('name', value('name'));
  put('sex', sex);
  put('candidateType', candidateType);
  put('major', value('major'));
  put('examCity', value('examCity'));
  put('confirmationPoint', value('confirmationPoint'));
  put('phone', value('phone'));
  put('status', status);
  return { row: row.row, fields, photo, reasons, explained };
}
