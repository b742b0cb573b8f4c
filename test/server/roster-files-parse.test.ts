import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { FileInvalidError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { mapColumns } from '../../server/roster-files/columns.js';
import { decodeCsv, parseCsv } from '../../server/roster-files/csv.js';
import { sniffPhotoMime } from '../../server/roster-files/photos.js';
import { readXlsx } from '../../server/roster-files/xlsx.js';

const cells = (text: string) => parseCsv(text).map((r) => r.cells);

describe('CSV (RFC 4180)', () => {
  it('split fields and records, with quoted commas, doubled quotes and line breaks', () => {
    expect(cells('a,b,c\r\n1,"x,y","say ""hi"""\r\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x,y', 'say "hi"'],
    ]);
    expect(cells('a,"line 1\r\nline 2",c\nd,e,f')).toEqual([
      ['a', 'line 1\r\nline 2', 'c'],
      ['d', 'e', 'f'],
    ]);
    expect(cells('a,,\n"",b,""\n')).toEqual([
      ['a', '', ''],
      ['', 'b', ''],
    ]);
    expect(cells('a\rb\r')).toEqual([['a'], ['b']]);
    expect(cells('')).toEqual([]);
  });

  it('number records as a spreadsheet shows them, blank lines included', () => {
    const rows = parseCsv('h1,h2\n"multi\nline",x\n\nlast,y');
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3, 4]);
    expect(rows[2]?.cells).toEqual(['']);
  });

  it('keep a quote inside an unquoted field, refuse unbalanced or misplaced quotes by record number', () => {
    expect(cells('5"9,x')).toEqual([['5"9', 'x']]);
    expect(() => parseCsv('a,b\nc,"open')).toThrow(FileInvalidError);
    expect(() => parseCsv('a,b\nc,"open')).toThrow(/record 2/u);
    try {
      parseCsv('a\n"q"x,b');
    } catch (error) {
      expect(error).toBeInstanceOf(FileInvalidError);
      expect((error as FileInvalidError).userMessage).toBe(zhCN.central.roster.file.strayQuote(2));
    }
    expect.assertions(5);
  });

  it('decide the encoding by a strict UTF-8 decode, falling back to GB18030', () => {
    const text = '姓名,身份证号\n测试考生,410105200303140011\n';
    expect(decodeCsv(new Uint8Array(Buffer.from(text, 'utf8')))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeCsv(new Uint8Array(Buffer.from(`\ufeff${text}`, 'utf8')))).toEqual({ text, encoding: 'utf-8-bom' });
    expect(decodeCsv(new Uint8Array(iconv.encode(text, 'gbk')))).toEqual({ text, encoding: 'gb18030' });
    expect(decodeCsv(new Uint8Array(iconv.encode('𠀀,珺', 'gb18030')))).toEqual({ text: '𠀀,珺', encoding: 'gb18030' });
    expect(() => decodeCsv(new Uint8Array(Buffer.from(`\ufeff${text}`, 'utf16le')))).toThrow(FileInvalidError);
  });
});

describe('header mapping', () => {
  const required = ['报名号', '姓名', '身份证号', '考生类型', '报考专业', '考点所在地', '确认点'];

  it('tolerate spaces and aliases, prefer the first alias, list unused columns', () => {
    const map = mapColumns([' 报名号 ', '姓名', '证件号码', '考生类型', '招考类别', '报考专业', '考点所在地', '确认点\u3000', '毕业学校', '']);
    expect(map.index).toMatchObject({ registrationNo: 0, citizenId: 2, major: 5, confirmationPoint: 7 });
    expect(map.index.sex).toBeUndefined();
    expect(map.ignored).toEqual(['招考类别', '毕业学校']);
  });

  it('refuse missing required columns by their names, and an ambiguous duplicate', () => {
    expect(() => mapColumns(required.filter((h) => h !== '身份证号' && h !== '确认点'))).toThrow(
      expect.objectContaining({ userMessage: zhCN.central.roster.file.missingColumns('身份证号、确认点') }),
    );
    expect(() => mapColumns([...required, '姓名'])).toThrow(
      expect.objectContaining({ userMessage: zhCN.central.roster.file.duplicateColumn('姓名') }),
    );
  });
});

describe('photo and workbook sniffing', () => {
  it('tell JPEG and PNG by their first bytes only', () => {
    expect(sniffPhotoMime(new Uint8Array([0xff, 0xd8, 0xff, 0xdb]))).toBe('image/jpeg');
    expect(sniffPhotoMime(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffPhotoMime(new Uint8Array(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')))).toBeUndefined();
    expect(sniffPhotoMime(new Uint8Array([0xff, 0xd8]))).toBeUndefined();
  });

  it('refuse bytes that are not an XLSX workbook', async () => {
    await expect(readXlsx(new Uint8Array(Buffer.from('姓名,身份证号\n')))).rejects.toThrow(
      expect.objectContaining({ userMessage: zhCN.central.roster.file.notXlsx }),
    );
  });
});
