import ExcelJS from 'exceljs';
import { FileInvalidError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import type { SheetRow } from './table.js';

const messages = zhCN.central.roster.file;

/**
 * The first worksheet as text cells. `cell.text` is what Excel displays (rich text joined, formula results,
 * numbers without exponent for the sizes that occur here), which is what the admin checked by eye.
 */
export async function readXlsx(bytes: Uint8Array): Promise<SheetRow[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs declares its own `Buffer extends ArrayBuffer`; at run time it takes Node's Buffer.
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch {
    throw new FileInvalidError('xlsx could not be loaded', messages.notXlsx);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new FileInvalidError('xlsx has no worksheet', messages.noSheet);
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    // Columns are 1-based; a gap (an empty cell) becomes ''.
    for (let col = 1; col <= row.cellCount; col++) cells.push(row.getCell(col).text);
    rows.push({ row: rowNumber, cells });
  });
  return rows;
}
