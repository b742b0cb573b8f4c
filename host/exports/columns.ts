import type { DayLog, DayLogException, DayLogRow } from '../../core/day-log/day-log.js';
import { exceptionKindLabel } from '../../core/day-log/build-day-log.js';
import { zhCN } from '../../core/i18n/zh-CN.js';

const t = zhCN.dayLog;

/** A cell as the writers see it: text, a whole number, or a wall-clock time (offset ISO, shown as a date). */
export type ExportCell = { kind: 'text'; value: string } | { kind: 'number'; value: number } | { kind: 'time'; value: string };

export interface ExportColumn<T> {
  header: string;
  /** Width in Excel character units (CJK characters count about two). */
  width: number;
  cell: (item: T) => ExportCell;
}

/**
 * Text as every writer can hold it: one kind of line break (spreadsheets use LF inside a cell), no control
 * characters and no unpaired surrogates (XML, which XLSX is, cannot carry them; the log crossed a trust boundary).
 */
export function cleanText(value: string): string {
  return (
    value
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g, '')
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
  );
}

const text = (value: string): ExportCell => ({ kind: 'text', value: cleanText(value) });
const number = (value: number): ExportCell => ({ kind: 'number', value });
const time = (value: string): ExportCell => ({ kind: 'time', value });

/** The record columns in the one order the XLSX sheet, the CSV and the tests share. */
export const recordColumns: readonly ExportColumn<DayLogRow>[] = [
  { header: t.columns.seq, width: 7, cell: (r) => number(r.seq) },
  { header: t.columns.registrationNo, width: 18, cell: (r) => text(r.registrationNo) },
  { header: t.columns.name, width: 12, cell: (r) => text(r.name) },
  { header: t.columns.citizenId, width: 22, cell: (r) => text(r.citizenId) },
  { header: t.columns.candidateType, width: 16, cell: (r) => text(r.candidateType) },
  { header: t.columns.result, width: 12, cell: (r) => text(r.result) },
  { header: t.columns.verification, width: 24, cell: (r) => text(r.verification) },
  { header: t.columns.face, width: 24, cell: (r) => text(r.face) },
  { header: t.columns.fingerprints, width: 24, cell: (r) => text(r.fingerprints) },
  { header: t.columns.materials, width: 28, cell: (r) => text(r.materials) },
  { header: t.columns.operator, width: 18, cell: (r) => text(r.operator) },
  { header: t.columns.confirmedAt, width: 20, cell: (r) => time(r.confirmedAt) },
  { header: t.columns.sync, width: 10, cell: (r) => text(t.sync[r.sync]) },
  { header: t.columns.note, width: 40, cell: (r) => text(r.note) },
  { header: t.columns.recordId, width: 38, cell: (r) => text(r.recordId) },
];

export const exceptionColumns: readonly ExportColumn<DayLogException>[] = [
  { header: t.exceptionColumns.seq, width: 7, cell: (e) => number(e.seq) },
  { header: t.exceptionColumns.kind, width: 24, cell: (e) => text(exceptionKindLabel(e.kind)) },
  { header: t.exceptionColumns.recordSeq, width: 12, cell: (e) => number(e.recordSeq) },
  { header: t.exceptionColumns.registrationNo, width: 18, cell: (e) => text(e.registrationNo) },
  { header: t.exceptionColumns.name, width: 12, cell: (e) => text(e.name) },
  { header: t.exceptionColumns.citizenId, width: 22, cell: (e) => text(e.citizenId) },
  { header: t.exceptionColumns.detail, width: 40, cell: (e) => text(e.detail) },
  { header: t.exceptionColumns.approvedBy, width: 18, cell: (e) => text(e.approvedBy) },
  { header: t.exceptionColumns.review, width: 32, cell: (e) => text(e.review) },
  { header: t.exceptionColumns.at, width: 20, cell: (e) => time(e.at) },
];

/** Export file names: `现场确认日志-<point>-<day>.xlsx` and so on, safe on Windows. */
export function dayLogFileName(log: Pick<DayLog, 'point' | 'day'>, kind: 'xlsx' | 'csv' | 'pdf'): string {
  // Characters Windows forbids in file names, and control characters, become '_'.
  // eslint-disable-next-line no-control-regex
  const point = log.point.name.replace(/[<>:"/\\|?*\u0000-\u001f]/g, '_').trim().slice(0, 60) || log.point.code;
  return t.files[kind](point, log.day);
}
