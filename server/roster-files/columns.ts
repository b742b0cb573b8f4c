/**
 * Header names of the online registration system's export, mapped to RosterEntry fields. Exports differ by
 * province and year, so each field takes a few aliases; the first alias present wins (报考专业 is more precise
 * than 招考类别 when a file has both), and the other columns are ignored and listed in the report.
 */
import { FileInvalidError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';

/** RosterEntry fields read from columns, plus the photo file name. */
export type ColumnField =
  | 'name'
  | 'citizenId'
  | 'sex'
  | 'candidateType'
  | 'major'
  | 'examCity'
  | 'confirmationPoint'
  | 'phone'
  | 'registrationNo'
  | 'photoFile'
  | 'status';

const aliases: Record<ColumnField, readonly string[]> = {
  name: ['姓名', '考生姓名'],
  citizenId: ['身份证号', '证件号码', '身份证号码', '证件号'],
  sex: ['性别'],
  candidateType: ['考生类型', '考生类别'],
  major: ['报考专业', '招考类别', '报考专业名称'],
  examCity: ['考点所在地', '考点所在市'],
  confirmationPoint: ['确认点', '确认点名称', '现场确认点'],
  phone: ['手机号', '手机号码', '联系电话'],
  registrationNo: ['报名号', '报名序号'],
  photoFile: ['照片文件名', '照片', '照片文件'],
  status: ['确认状态'],
};

/** Without these the rows cannot become RosterEntries; sex comes from the number, the rest is optional. */
const required: readonly ColumnField[] = ['name', 'citizenId', 'candidateType', 'major', 'examCity', 'confirmationPoint', 'registrationNo'];

/** Longest header text kept in the report: a header is not personal data, but a stray one could be long. */
const MAX_REPORTED_HEADER = 40;

/** Surrounding and inner spaces (ASCII, full-width, NBSP), a stray BOM, and a required-field star are noise. */
export function normalizeHeader(text: string): string {
  return text.replace(/[\s\u3000\u00a0\ufeff]/gu, '').replace(/^[*＊]+|[*＊]+$/gu, '');
}

export interface ColumnMap {
  /** Cell index per field present in the file. */
  index: Partial<Record<ColumnField, number>>;
  /** Header texts of the columns not used, in file order (empty headers left out). */
  ignored: string[];
}

export function mapColumns(header: readonly string[]): ColumnMap {
  const normalized = header.map(normalizeHeader);
  const index: Partial<Record<ColumnField, number>> = {};
  for (const field of Object.keys(aliases) as ColumnField[]) {
    for (const alias of aliases[field]) {
      const at = normalized.indexOf(alias);
      if (at === -1) continue;
      if (normalized.indexOf(alias, at + 1) !== -1) {
        // Only a known alias is named, never an arbitrary header cell.
        throw new FileInvalidError(`duplicate column for ${field}`, zhCN.central.roster.file.duplicateColumn(alias));
      }
      index[field] = at;
      break;
    }
  }
  const missing = required.filter((field) => index[field] === undefined);
  if (missing.length > 0) {
    // The labels are ours (the first alias), so a header row that is really a data row leaks nothing here.
    const labels = missing.map((field) => aliases[field][0] ?? field).join('、');
    throw new FileInvalidError(`missing columns: ${missing.join(', ')}`, zhCN.central.roster.file.missingColumns(labels));
  }
  const used = new Set(Object.values(index));
  const ignored = normalized.flatMap((text, at) => (used.has(at) || text === '' ? [] : [text.slice(0, MAX_REPORTED_HEADER)]));
  return { index, ignored };
}
