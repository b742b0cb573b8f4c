import { z } from 'zod';
import { DayString } from '../day-log/day-log.js';

/**
 * Printing a document the staff window shows to PDF, with the page's print style. Only the Electron host can
 * (webContents.printToPDF); the browser host answers INVALID_STATE and the page prints with window.print().
 * The receipt (one record, on the chosen paper) and the day report (现场确认日报 of one day, A4, every page).
 */
export const printDocuments = ['receipt', 'day-report'] as const;
export const PrintDocument = z.enum(printDocuments);
export type PrintDocument = z.infer<typeof PrintDocument>;

/**
 * The receipt's paper: A4 or A5 sheets (office printers) or an 80 mm thermal roll (72 mm printable). The page
 * style (renderer/receipts/receipt.css, @page) and Electron's printToPDF page size follow the same choice.
 */
export const receiptLayouts = ['roll80', 'a5', 'a4'] as const;
export const ReceiptLayout = z.enum(receiptLayouts);
export type ReceiptLayout = z.infer<typeof ReceiptLayout>;
export const DEFAULT_RECEIPT_LAYOUT: ReceiptLayout = 'roll80';

export const ReceiptPdfRequest = z.strictObject({
  document: z.literal('receipt'),
  /** The receipt's paper (default: the 80 mm roll). */
  layout: ReceiptLayout.optional(),
  /** The saved record the document belongs to; it names the file, so it must be a plain UUID. */
  recordId: z.uuid(),
});
export const DayReportPdfRequest = z.strictObject({
  document: z.literal('day-report'),
  /** The day the sheet on the page reports; it names the file. */
  day: DayString,
});
export const PrintPdfRequest = z.discriminatedUnion('document', [ReceiptPdfRequest, DayReportPdfRequest]);
export type PrintPdfRequest = z.infer<typeof PrintPdfRequest>;

export const PrintPdfResult = z.strictObject({
  /** The file's name in the station's PDF folder (never a path: the window has no business with those). */
  fileName: z.string().regex(/^(?:receipt-[0-9a-f-]{36}|day-report-\d{4}-\d{2}-\d{2})\.pdf$/),
  bytes: z.number().int().positive(),
});
export type PrintPdfResult = z.infer<typeof PrintPdfResult>;
