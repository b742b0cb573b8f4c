import type { PrintDocument } from '../../core/contract/printing.js';
import './print.css';

/**
 * Which sheet is on paper. Each printable document (the receipt, the day report) is rendered straight under
 * body, beside the app's root, and print.css shows only the one named here; the print dialog and printToPDF
 * both print the page as it is, so this is set before either.
 */
export function choosePrintSheet(document_: PrintDocument): void {
  document.documentElement.dataset['print'] = document_;
}

/**
 * Makes `kind` the sheet on paper and resolves once React has put it on the page with its images decoded and
 * its font loaded, so neither the print dialog nor printToPDF catches a sheet without its QR or with fallback
 * glyphs.
 */
export async function sheetRendered(kind: PrintDocument): Promise<void> {
  choosePrintSheet(kind);
  // Two frames: React commits the store's new sheet, then the browser lays it out.
  await new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
  const sheet = document.querySelector(`.print-sheet[data-print-sheet='${kind}']`);
  if (!sheet) return;
  const images = [...sheet.querySelectorAll('img')].map((image) => image.decode().catch(() => undefined));
  const text = sheet.textContent ?? '';
  await Promise.all([...images, document.fonts.load("16px 'Receipt Sans'", text).catch(() => undefined)]);
}
