import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildDayLog } from '../../../../core/day-log/build-day-log.js';
import { wallClockText } from '../../../../core/day-log/day-report.js';
import { recordColumns } from '../../../../host/exports/columns.js';
import { csvField, dayLogCsv, guardFormula, keepDigitsText } from '../../../../host/exports/csv.js';
import { awkwardDay, csvRows, input } from './day-log-fixtures.js';

const log = buildDayLog(input(awkwardDay()));
const bytes = dayLogCsv(log);

function readBack(data: Uint8Array): Promise<string[][]> {
  return csvRows(Readable.from([Buffer.from(data)]));
}

describe('dayLogCsv', () => {
  it('starts with the UTF-8 BOM and ends every record with CRLF', () => {
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.slice(3));
    expect(text.startsWith('序号,考生号/报名号,姓名,身份证号,考生类型,确认结果,核验方式,人脸结果与距离,指纹,材料审核,操作员,确认时间,同步状态,备注,记录编号\r\n')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    // Outside quoted fields, every line break is CRLF.
    const unquoted = text.replace(/"(?:[^"]|"")*"/g, '');
    expect(unquoted).not.toMatch(/[^\r]\n/);
    expect(unquoted.split('\r\n').length - 1).toBe(log.rows.length + 1);
  });

  it('round-trips through a CSV reader cell for cell, commas, quotes and line breaks included', async () => {
    const read = await readBack(bytes.slice(3));
    const expected = [
      recordColumns.map((c) => c.header),
      ...log.rows.map((row) =>
        recordColumns.map((c) => {
          const cell = c.cell(row);
          if (cell.kind === 'number') return String(cell.value);
          if (cell.kind === 'time') return wallClockText(cell.value);
          return /^\d{12,}$/.test(cell.value) ? `\t${cell.value}` : guardFormula(cell.value);
        }),
      ),
    ];
    expect(read).toEqual(expected);
    const note = read.find((r) => r[13]!.includes('学信网'))![13]!;
    expect(note).toBe('原因：材料不全, 需补交 "学信网" 报告\n第二行；@SUM(A1)');
    expect(read.map((r) => r[0])).toEqual(['序号', ...log.rows.map((r) => String(r.seq))]);
  });

  it('keeps spreadsheets from running cells that start like a formula', async () => {
    const read = await readBack(bytes.slice(3));
    const byName = (start: string) => read.find((r) => r[2]!.includes(start))!;
    expect(byName('1+2')[2]).toBe("'=1+2");
    expect(byName('欧阳')[2]).toBe("'-欧阳\n娜娜");
    expect(byName('1+2')[10]).toBe(`'+陈, "小" 操作（op-3）`);
    // Nothing starts like a formula; a tab comes only before a run of digits (below).
    for (const row of read) for (const cell of row) expect(cell).toMatch(/^(?![=+\-@\r])(?!\t(?!\d+$))/s);
    expect(guardFormula('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(guardFormula('\t=1')).toBe("'\t=1");
    expect(guardFormula('正常')).toBe('正常');
    expect(guardFormula('1-2')).toBe('1-2');
  });

  it('keeps long digit runs (报名号, full citizen numbers) as text for Excel with a leading tab', async () => {
    const full = buildDayLog(input(awkwardDay(), { fullNumbers: true }));
    const read = await readBack(dayLogCsv(full).slice(3));
    const first = read[1]!;
    expect(first[1]).toBe(`\t${full.rows[0]!.registrationNo}`);
    expect(full.rows[0]!.registrationNo).toMatch(/^\d{12}$/);
    const digitsOnly = full.rows.find((r) => /^\d{18}$/.test(r.citizenId))!;
    expect(read.find((r) => r[2] === digitsOnly.name)![3]).toBe(`\t${digitsOnly.citizenId}`);
    // A registration number with letters, or a masked number, is text to Excel already.
    expect(read.find((r) => r[1]!.endsWith('AB'))![1]).toBe('2026000021AB');
    expect(keepDigitsText('410105********0223')).toBe('410105********0223');
    expect(keepDigitsText('12345678901')).toBe('12345678901');
  });

  it('quotes only fields that need it, doubling inner quotes (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
  });

  it('writes a header-only file for an empty day', async () => {
    const empty = dayLogCsv(buildDayLog(input([])));
    expect(await readBack(empty.slice(3))).toEqual([recordColumns.map((c) => c.header)]);
  });
});
