/** A spreadsheet row as read from CSV or XLSX: `row` is 1-based as the spreadsheet shows it (header = 1). */
export interface SheetRow {
  row: number;
  cells: string[];
}

/** A row whose cells are all empty after trimming: skipped, its number kept free. */
export function isBlankRow(row: SheetRow): boolean {
  return row.cells.every((cell) => cell.trim() === '');
}
