/**
 * CSV as the online registration system (and Excel's "save as CSV") writes it: UTF-8 with or without BOM, or
 * GBK/GB18030 from Chinese Windows; fields per RFC 4180 (quoted fields may hold commas, doubled quotes and
 * line breaks).
 */
import iconv from 'iconv-lite';
import { FileInvalidError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import type { SheetRow } from './table.js';

export type CsvEncoding = 'utf-8-bom' | 'utf-8' | 'gb18030';

const messages = zhCN.central.roster.file;

/**
 * Decodes by a strict UTF-8 attempt first: GBK text of any length is almost never valid UTF-8, while a valid
 * UTF-8 file decoded as GB18030 would silently become mojibake. GB18030 is a superset of GBK, so it reads both.
 */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new FileInvalidError('csv is UTF-16', messages.utf16);
  }
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    // ignoreBOM: false strips a leading BOM from the text.
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text, encoding: hasBom ? 'utf-8-bom' : 'utf-8' };
  } catch {
    if (hasBom) throw new FileInvalidError('csv has a UTF-8 BOM but invalid UTF-8', messages.unreadable);
    return { text: iconv.decode(Buffer.from(bytes), 'gb18030'), encoding: 'gb18030' };
  }
}

/**
 * Splits CSV text into records per RFC 4180, tolerating LF or CR line ends and a missing final line break.
 * `row` is the record's 1-based position, which is the row a spreadsheet shows for it (a quoted line break
 * stays inside its cell). Blank lines are records too (one empty cell), so numbering stays aligned.
 */
export function parseCsv(text: string): SheetRow[] {
  const rows: SheetRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let i = 0;
  const endCell = (): void => {
    cells.push(cell);
    cell = '';
  };
  const endRecord = (): void => {
    endCell();
    rows.push({ row: rows.length + 1, cells });
    cells = [];
  };
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"' && cell === '') {
      // A quoted field: runs to the next quote not doubled.
      const startRow = rows.length + 1;
      i += 1;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close === -1) throw new FileInvalidError(`csv record ${startRow}: unclosed quote`, messages.unclosedQuote(startRow));
        cell += text.slice(i, close);
        if (text[close + 1] === '"') {
          cell += '"';
          i = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        throw new FileInvalidError(`csv record ${startRow}: text after a closing quote`, messages.strayQuote(startRow));
      }
      // An empty quoted field ("") leaves `cell` empty; mark nothing else, the separator logic below handles it.
      if (next === undefined) break;
      continue;
    }
    if (ch === ',') {
      endCell();
      i += 1;
    } else if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      // A quote inside an unquoted field is kept as it is (lenient, as spreadsheets are).
      const stop = nextSpecial(text, i);
      cell += text.slice(i, stop);
      i = stop;
    }
  }
  // A final record without a line break; a trailing line break does not start another record.
  if (cell !== '' || cells.length > 0 || (text.length > 0 && text.at(-1) === '"')) endRecord();
  return rows;
}

/** Index of the next comma or line break from `from` (or the end): one slice per run of plain text. */
function nextSpecial(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44 || c === 10 || c === 13) return i;
  }
  return text.length;
}
