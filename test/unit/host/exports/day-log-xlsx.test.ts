import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDayLog } from '../../../../core/day-log/build-day-log.js';
import type { DayLog } from '../../../../core/day-log/day-log.js';
import { zhCN } from '../../../../core/i18n/zh-CN.js';
import { wallClockText } from '../../../../core/day-log/day-report.js';
import { exceptionColumns, recordColumns, type ExportCell, type ExportColumn } from '../../../../host/exports/columns.js';
import { dayLogXlsx } from '../../../../host/exports/xlsx.js';
import { awkwardDay, content, csvRows, input, record } from './day-log-fixtures.js';

const run = promisify(execFile);
const t = zhCN.dayLog;

/** LibreOffice reads the workbook, not us: its CSV of every sheet and its flat ODS (which keeps cell types). */
let dir: string;
let log: DayLog;
let bytes: Uint8Array;
const sheetsAsRead: Record<string, string[][]> = {};
let fods: string;

async function soffice(args: string[]): Promise<void> {
  await run('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', ...args], { timeout: 120_000 });
}

/** CSV as LibreOffice wrote it, read back by exceljs's CSV reader. */
function readCsv(file: string): Promise<string[][]> {
  return csvRows(createReadStream(file));
}

function expectedText(cell: ExportCell): string {
  return cell.kind === 'number' ? String(cell.value) : cell.kind === 'time' ? wallClockText(cell.value) : cell.value;
}

function expectedSheet<T>(columns: readonly ExportColumn<T>[], items: readonly T[]): string[][] {
  return [columns.map((c) => c.header), ...items.map((item) => columns.map((c) => expectedText(c.cell(item))))];
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'day-log-xlsx-'));
  log = buildDayLog(input(awkwardDay()));
  bytes = await dayLogXlsx(log);
  const file = path.join(dir, 'log.xlsx');
  await writeFile(file, bytes);
  // Token 12 = -1: every sheet to its own file, log-<sheet>.csv; UTF-8 (76), comma, double quote.
  await soffice(['--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1', '--outdir', dir, file]);
  for (const sheet of [t.sheets.records, t.sheets.exceptions]) sheetsAsRead[sheet] = await readCsv(path.join(dir, `log-${sheet}.csv`));
  await soffice(['--convert-to', 'fods', '--outdir', dir, file]);
  fods = await readFile(path.join(dir, 'log.fods'), 'utf8');
}, 180_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('dayLogXlsx, as LibreOffice reads it', () => {
  it('has the record sheet cell for cell, Chinese headers in order, awkward text intact and never run as a formula', () => {
    const read = sheetsAsRead[t.sheets.records]!;
    expect(read[0]).toEqual(['序号', '考生号/报名号', '姓名', '身份证号', '考生类型', '确认结果', '核验方式', '人脸结果与距离', '指纹', '材料审核', '操作员', '确认时间', '同步状态', '备注', '记录编号']);
    expect(read).toEqual(expectedSheet(recordColumns, log.rows));
    const names = read.slice(1).map((r) => r[2]);
    expect(names).toContain('=1+2');
    expect(names).toContain('-欧阳\n娜娜');
    expect(read.some((r) => r[13]!.includes('材料不全, 需补交 "学信网" 报告'))).toBe(true);
  });

  it('has the exceptions sheet cell for cell', () => {
    const read = sheetsAsRead[t.sheets.exceptions]!;
    expect(read).toEqual(expectedSheet(exceptionColumns, log.exceptions));
    expect(read.length).toBe(log.exceptions.length + 1);
    expect(read.slice(1).map((r) => r[1])).toContain('人工认证');
  });

  it('writes the times as dates (the point’s wall clock), not as text', () => {
    const dates = [...fods.matchAll(/office:value-type="date" office:date-value="([^"]+)"/g)].map((m) => m[1]);
    expect(dates).toEqual([...log.rows.map((r) => r.confirmedAt.slice(0, 19)), ...log.exceptions.map((e) => e.at.slice(0, 19))]);
    expect(dates[0]).toBe('2026-11-23T09:01:00');
  });

  it('freezes the header row and sets column widths on both sheets', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as Parameters<typeof workbook.xlsx.load>[0]);
    for (const [name, columns] of [[t.sheets.records, recordColumns], [t.sheets.exceptions, exceptionColumns]] as const) {
      const sheet = workbook.getWorksheet(name)!;
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(columns.map((_, i) => sheet.getColumn(i + 1).width)).toEqual(columns.map((c) => c.width));
      expect(sheet.getRow(1).font?.bold).toBe(true);
    }
    // LibreOffice keeps the widths too: the 身份证号 column is about three times the 序号 column.
    const widths = Object.fromEntries([...fods.matchAll(/style:name="(co\d+)" style:family="table-column">\s*<style:table-column-properties[^>]*style:column-width="([\d.]+)in"/g)].map((m) => [m[1]!, Number(m[2])]));
    const firstTable = fods.slice(fods.indexOf('<table:table '), fods.indexOf('</table:table>'));
    const colStyles = [...firstTable.matchAll(/<table:table-column table:style-name="(co\d+)"/g)].map((m) => m[1]!);
    const seqWidth = widths[colStyles[0]!]!;
    const idWidth = widths[colStyles[3]!]!;
    expect(idWidth / seqWidth).toBeGreaterThan(2.5);
  });
});

describe('dayLogXlsx progress', () => {
  it('reports rising fractions ending at 1', async () => {
    const records = Array.from({ length: 1200 }, (_, i) => record(i + 1, content(i + 1, { decidedAt: new Date(Date.UTC(2026, 10, 23, 1, 0, i)).toISOString() })));
    const big = buildDayLog(input(records));
    const seen: number[] = [];
    await dayLogXlsx(big, (f) => seen.push(f));
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.at(-1)).toBe(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
  });
});
