import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PrintToPDFOptions } from 'electron';
import { DEFAULT_RECEIPT_LAYOUT, PrintPdfResult, type PrintPdfRequest, type ReceiptLayout } from '../../core/contract/printing.js';
import { DayString } from '../../core/day-log/day-log.js';
import { InternalError, InvalidStateError, ValidationError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import type { Logger } from '../../core/logging/logger.js';
import type { DocumentPrinter } from '../../host/station-host.js';

/**
 * print.toPdf in Electron: webContents.printToPDF of the staff window (its print style shows only the
 * document), written to the station's data folder. Kept free of Electron values (types only) so it is
 * unit-tested with a fake webContents.
 */
export interface PdfWebContents {
  isDestroyed(): boolean;
  printToPDF(options: PrintToPDFOptions): Promise<Uint8Array>;
}

const inches = (mm: number) => mm / 25.4;

/**
 * Page setup per receipt paper. The page style (renderer/receipts/receipt.css) has the same @page sizes and
 * `preferCSSPageSize` lets it win, so the PDF and the paper copy match; the sizes here are the fallback. The
 * 80 mm roll is laid out 72 mm wide and is long enough for the photo, the QR and the text; the printer cuts after it.
 */
const margins = (mm: number) => ({ top: inches(mm), bottom: inches(mm), left: inches(mm), right: inches(mm) });
const sheet = (widthMm: number, heightMm: number, marginMm: number): PrintToPDFOptions => ({
  pageSize: { width: inches(widthMm), height: inches(heightMm) },
  margins: margins(marginMm),
  printBackground: false,
  landscape: false,
  displayHeaderFooter: false,
  preferCSSPageSize: true,
  pageRanges: '1',
});
export const receiptPdfOptions: Readonly<Record<ReceiptLayout, PrintToPDFOptions>> = {
  roll80: sheet(80, 200, 4),
  a5: sheet(148, 210, 10),
  a4: sheet(210, 297, 15),
};

/**
 * The day report: A4 portrait like the day-report style's @page (renderer/supervisor/day-report.css), and every
 * page, since a busy day's table runs over several (the style numbers them in the page margin).
 */
const { pageRanges: _firstPageOnly, ...a4 } = sheet(210, 297, 15);
export const dayReportPdfOptions: PrintToPDFOptions = a4;

/** Page setup per document (the receipt: per paper, default the 80 mm roll; the day report: A4). */
export function pdfOptionsFor(request: PrintPdfRequest): PrintToPDFOptions {
  return request.document === 'day-report' ? dayReportPdfOptions : receiptPdfOptions[request.layout ?? DEFAULT_RECEIPT_LAYOUT];
}

export interface PdfPrinterDeps {
  /** The staff window's webContents now (undefined once closed). */
  source(): PdfWebContents | undefined;
  /** The folder the PDFs go to (Electron: <userData>/receipts). */
  outDir: string;
  write?: (file: string, data: Uint8Array) => Promise<void>;
  /** PDF copies older than this many days are deleted after each print (the station's retentionDays). */
  retentionDays?: number;
  now?: () => Date;
  logger?: Logger;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Written beside the target and renamed, so a half-written PDF never carries the record's name. */
async function writeAtomically(file: string, data: Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, data, { mode: 0o600 });
  await rename(temporary, file);
}

export function pdfFileName(request: PrintPdfRequest): string {
  // The contract already checks these; the file name is built from them, so check again here.
  if (request.document === 'day-report') {
    if (!DayString.safeParse(request.day).success) throw new ValidationError('day is not YYYY-MM-DD');
    return `day-report-${request.day}.pdf`;
  }
  const id = request.recordId.toLowerCase();
  if (!UUID.test(id)) throw new ValidationError('recordId is not a UUID');
  return `receipt-${id}.pdf`;
}

/** The names this printer writes, and only those: pruning never touches anything else in the folder. */
const PRINTED_PDF = /^(?:receipt-[0-9a-f-]{36}|day-report-\d{4}-\d{2}-\d{2})\.pdf$/;

/**
 * Deletes the PDF copies older than `retentionDays`: they carry names and (masked, or for a day report the
 * supervisor's choice of full) citizen numbers in clear, so they go like the station's other personal data.
 * The record itself lives in the station database, so a purged copy is printed again from it (补打回执).
 */
export async function prunePrintedPdfs(options: { outDir: string; retentionDays: number; now?: Date; logger?: Logger }): Promise<number> {
  const cutoff = (options.now ?? new Date()).getTime() - options.retentionDays * 24 * 3600 * 1000;
  const names = await readdir(options.outDir).catch((): string[] => []);
  let removed = 0;
  for (const name of names) {
    if (!PRINTED_PDF.test(name)) continue;
    const file = path.join(options.outDir, name);
    try {
      if ((await stat(file)).mtimeMs < cutoff) {
        await unlink(file);
        removed += 1;
      }
    } catch {
      // Gone meanwhile, or locked by a PDF viewer on Windows: tried again after the next print.
    }
  }
  if (removed > 0) options.logger?.info('printed PDF copies purged', { removed, retentionDays: options.retentionDays });
  return removed;
}

export function createPdfPrinter(deps: PdfPrinterDeps): DocumentPrinter {
  const write = deps.write ?? writeAtomically;
  return {
    toPdf: async (request) => {
      const fileName = pdfFileName(request);
      const contents = deps.source();
      if (!contents || contents.isDestroyed()) throw new InvalidStateError('staff window gone', zhCN.printing.windowGone);
      let pdf: Uint8Array;
      try {
        pdf = await contents.printToPDF(pdfOptionsFor(request));
      } catch (error) {
        deps.logger?.error('printToPDF failed', { document: request.document, error: error instanceof Error ? error.name : typeof error });
        throw new InternalError('printToPDF failed', { cause: error });
      }
      // Chromium answers an empty buffer for a page that could not be laid out; that is no receipt.
      if (pdf.byteLength < 5 || Buffer.from(pdf.subarray(0, 5)).toString('latin1') !== '%PDF-') {
        throw new InternalError('printToPDF returned no PDF');
      }
      await write(path.join(deps.outDir, fileName), pdf);
      if (deps.retentionDays !== undefined) {
        await prunePrintedPdfs({ outDir: deps.outDir, retentionDays: deps.retentionDays, ...(deps.now ? { now: deps.now() } : {}), ...(deps.logger ? { logger: deps.logger } : {}) });
      }
      const layout = request.document === 'receipt' ? (request.layout ?? DEFAULT_RECEIPT_LAYOUT) : 'a4';
      deps.logger?.info('document printed to PDF', { document: request.document, layout, bytes: pdf.byteLength });
      return PrintPdfResult.parse({ fileName, bytes: pdf.byteLength });
    },
  };
}
