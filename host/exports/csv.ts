import type { DayLog } from '../../core/day-log/day-log.js';
import { wallClockText } from '../../core/day-log/day-report.js';
import { recordColumns, type ExportCell } from './columns.js';

/**
 * Text a spreadsheet would run as a formula (CSV injection): a leading = + - @, or a tab or carriage return
 * that some programs strip before looking. Such a cell gets a leading apostrophe, which Excel shows as text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function guardFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** RFC 4180: quote a field holding a comma, quote, CR or LF; double the quotes inside. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Excel turns a long run of digits into a number: 报名号 like 202600000001 show as 2.026E+11, and a full citizen
 * number loses its last digits (15 significant digits). A leading tab keeps such a cell text in Excel; it comes
 * after the formula guard, and a tab followed by digits alone runs nothing.
 */
const LONG_DIGITS = /^\d{12,}$/;

export function keepDigitsText(value: string): string {
  return LONG_DIGITS.test(value) ? `\t${value}` : value;
}

/** A cell's text in the CSV: what a CSV reader gets back for it. */
export function csvCellText(cell: ExportCell): string {
  switch (cell.kind) {
    case 'number':
      return String(cell.value);
    case 'time':
      return wallClockText(cell.value);
    case 'text':
      return keepDigitsText(guardFormula(cell.value));
  }
}

/**
 * The record sheet as CSV for Excel on a Chinese Windows: UTF-8 with a BOM (without it Excel reads GBK and
 * garbles), CRLF line ends, the same columns as the XLSX.
 */
export function dayLogCsv(log: DayLog): Uint8Array {
  const lines = [recordColumns.map((c) => csvField(c.header)).join(',')];
  for (const row of log.rows) lines.push(recordColumns.map((c) => csvField(csvCellText(c.cell(row)))).join(','));
  const body = new TextEncoder().encode(`${lines.join('\r\n')}\r\n`);
  const out = new Uint8Array(body.length + 3);
  out.set([0xef, 0xbb, 0xbf]);
  out.set(body, 3);
  return out;
}
