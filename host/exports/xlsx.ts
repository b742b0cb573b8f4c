import ExcelJS from 'exceljs';
import { wallClockDate } from '../../core/day-log/build-day-log.js';
import type { DayLog } from '../../core/day-log/day-log.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { exceptionColumns, recordColumns, type ExportCell, type ExportColumn } from './columns.js';

export type ExportProgress = (fraction: number) => void;

const t = zhCN.dayLog;
const DATE_FORMAT = 'yyyy-mm-dd hh:mm:ss';
/** Rows between progress reports (and a turn of the event loop, so the report can reach the window). */
const CHUNK = 500;

const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function cellValue(cell: ExportCell): string | number | Date {
  // Excel dates have no zone: the point's wall-clock time is written as the date's fields.
  return cell.kind === 'time' ? wallClockDate(cell.value) : cell.value;
}

function addSheet<T>(workbook: ExcelJS.Workbook, name: string, columns: readonly ExportColumn<T>[]): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', horizontal: 'center' };
  return sheet;
}

async function fillSheet<T>(
  sheet: ExcelJS.Worksheet,
  columns: readonly ExportColumn<T>[],
  items: readonly T[],
  progress: (done: number) => void,
): Promise<void> {
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const cells = columns.map((c) => c.cell(item));
    const row = sheet.addRow(cells.map(cellValue));
    cells.forEach((cell, col) => {
      if (cell.kind === 'time') row.getCell(col + 1).numFmt = DATE_FORMAT;
    });
    if ((i + 1) % CHUNK === 0) {
      progress(i + 1);
      await yieldTurn();
    }
  }
}

/** The day log as an XLSX workbook: 确认记录 (one row per candidate) and 异常记录, frozen headers, dates as dates. */
export async function dayLogXlsx(log: DayLog, onProgress?: ExportProgress): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = zhCN.app.staffTitle;
  workbook.created = new Date(Date.parse(log.generatedAt));
  const total = log.rows.length + log.exceptions.length;
  // Building the sheets is most of the work; writing the zip takes the last tenth.
  const report = (done: number) => onProgress?.(total === 0 ? 0.9 : (0.9 * done) / total);
  report(0);
  const records = addSheet(workbook, t.sheets.records, recordColumns);
  await fillSheet(records, recordColumns, log.rows, report);
  const exceptions = addSheet(workbook, t.sheets.exceptions, exceptionColumns);
  await fillSheet(exceptions, exceptionColumns, log.exceptions, (done) => report(log.rows.length + done));
  report(total);
  const buffer = await workbook.xlsx.writeBuffer();
  onProgress?.(1);
  return new Uint8Array(buffer as ArrayBuffer);
}
