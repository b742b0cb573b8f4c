import { mkdir, mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PrintToPDFOptions } from 'electron';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { PrintPdfRequest, PrintPdfResult } from '../../../core/contract/printing.js';
import { StationError } from '../../../core/errors/station-error.js';
import { createPdfPrinter, dayReportPdfOptions, pdfFileName, prunePrintedPdfs, receiptPdfOptions, type PdfWebContents } from '../../../electron/main/printing.js';

const RECORD = '3f2b8c1e-5d4a-4b6e-9c7d-1a2b3c4d5e6f';
const pdfBytes = new TextEncoder().encode('%PDF-1.7\n% fake but well-formed enough for the header check\n');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'station-print-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function contents(result: Uint8Array | Error = pdfBytes): PdfWebContents & { printToPDF: ReturnType<typeof vi.fn> } {
  return {
    isDestroyed: () => false,
    printToPDF: vi.fn(async (_options: PrintToPDFOptions) => {
      if (result instanceof Error) throw result;
      return result;
    }),
  };
}

describe('createPdfPrinter', () => {
  it('prints the staff window with the receipt page setup and writes receipt-<id>.pdf owner-only', async () => {
    const staff = contents();
    const outDir = path.join(dir, 'receipts');
    const result = await createPdfPrinter({ source: () => staff, outDir }).toPdf({ document: 'receipt', recordId: RECORD });
    expect(staff.printToPDF).toHaveBeenCalledWith(receiptPdfOptions.roll80);
    expect(result).toEqual({ fileName: `receipt-${RECORD}.pdf`, bytes: pdfBytes.byteLength });
    expect(PrintPdfResult.safeParse(result).success).toBe(true);
    const file = path.join(outDir, result.fileName);
    expect(new Uint8Array(await readFile(file))).toEqual(pdfBytes);
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
    // No temporary file is left beside it.
    expect(await readdir(outDir)).toEqual([result.fileName]);
  });

  it('the receipt page is 80 mm roll paper by default; A5 and A4 on request; portrait, one page, the CSS @page size preferred', async () => {
    const mm = (inches: number) => Math.round(inches * 25.4);
    const sizes: Record<string, [number, number]> = {};
    for (const layout of ['roll80', 'a5', 'a4'] as const) {
      const staff = contents();
      await createPdfPrinter({ source: () => staff, outDir: path.join(dir, layout) }).toPdf({ document: 'receipt', recordId: RECORD, layout });
      const options = staff.printToPDF.mock.calls[0]![0] as PrintToPDFOptions;
      expect(options).toMatchObject({ landscape: false, displayHeaderFooter: false, pageRanges: '1', preferCSSPageSize: true, printBackground: false });
      const size = options.pageSize as { width: number; height: number };
      sizes[layout] = [mm(size.width), mm(size.height)];
    }
    expect(sizes).toEqual({ roll80: [80, 200], a5: [148, 210], a4: [210, 297] });
  });

  it('refuses when the staff window is gone, and never writes a file', async () => {
    const write = vi.fn();
    const printer = createPdfPrinter({ source: () => undefined, outDir: dir, write });
    await expect(printer.toPdf({ document: 'receipt', recordId: RECORD })).rejects.toMatchObject({ code: 'INVALID_STATE', userMessage: '工作人员窗口已关闭，无法保存 PDF。' });
    const destroyed = createPdfPrinter({ source: () => ({ ...contents(), isDestroyed: () => true }), outDir: dir, write });
    await expect(destroyed.toPdf({ document: 'receipt', recordId: RECORD })).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect(write).not.toHaveBeenCalled();
  });

  it('a printToPDF failure or an empty buffer is an internal error, with nothing written', async () => {
    const write = vi.fn();
    for (const staff of [contents(new Error('Printing failed')), contents(new Uint8Array(0)), contents(new TextEncoder().encode('<html>'))]) {
      const error: unknown = await createPdfPrinter({ source: () => staff, outDir: dir, write })
        .toPdf({ document: 'receipt', recordId: RECORD })
        .catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(StationError);
      expect((error as StationError).code).toBe('INTERNAL');
    }
    expect(write).not.toHaveBeenCalled();
  });

  it('builds the file name only from a UUID (the contract checks too; this is the second lock)', () => {
    expect(pdfFileName({ document: 'receipt', recordId: RECORD.toUpperCase() })).toBe(`receipt-${RECORD}.pdf`);
    for (const recordId of ['../../etc/passwd', `${RECORD}/../x`, 'a'.repeat(36), '']) {
      expect(() => pdfFileName({ document: 'receipt', recordId })).toThrow(StationError);
    }
  });

  it('prints the day report on A4, every page (no page range), the CSS @page preferred, as day-report-<day>.pdf', async () => {
    const staff = contents();
    const outDir = path.join(dir, 'day-report');
    const result = await createPdfPrinter({ source: () => staff, outDir }).toPdf({ document: 'day-report', day: '2026-12-04' });
    const options = staff.printToPDF.mock.calls[0]![0] as PrintToPDFOptions;
    expect(options).toEqual(dayReportPdfOptions);
    expect(options.pageRanges).toBeUndefined();
    expect(options).toMatchObject({ landscape: false, preferCSSPageSize: true, displayHeaderFooter: false });
    const size = options.pageSize as { width: number; height: number };
    expect([Math.round(size.width * 25.4), Math.round(size.height * 25.4)]).toEqual([210, 297]);
    expect(result).toEqual({ fileName: 'day-report-2026-12-04.pdf', bytes: pdfBytes.byteLength });
    expect(PrintPdfResult.safeParse(result).success).toBe(true);
    expect(await readdir(outDir)).toEqual([result.fileName]);
  });

  it('the day report file name comes only from a YYYY-MM-DD day; the contract refuses anything else', () => {
    for (const day of ['../2026-12-04', '2026-12-04/..', '2026-13-01', '20261204', '']) {
      expect(PrintPdfRequest.safeParse({ document: 'day-report', day }).success).toBe(false);
      expect(() => pdfFileName({ document: 'day-report', day })).toThrow(StationError);
    }
    // A receipt needs its record and a day report has none: the union keeps the two apart.
    expect(PrintPdfRequest.safeParse({ document: 'day-report', day: '2026-12-04', recordId: RECORD }).success).toBe(false);
    expect(PrintPdfRequest.safeParse({ document: 'receipt', day: '2026-12-04' }).success).toBe(false);
  });

  it('PDF copies older than the retention period go after the next print; newer ones, and files it did not write, stay', async () => {
    const outDir = path.join(dir, 'retention');
    await mkdir(outDir, { recursive: true });
    const now = new Date('2026-12-04T10:00:00Z');
    const daysAgo = (n: number) => new Date(now.getTime() - n * 24 * 3600 * 1000);
    const old = `receipt-${RECORD.replace('3f2b', '0000')}.pdf`;
    const files: [string, Date][] = [
      [old, daysAgo(31)],
      ['day-report-2026-11-01.pdf', daysAgo(33)],
      ['day-report-2026-11-20.pdf', daysAgo(14)],
      ['notes.pdf', daysAgo(400)],
    ];
    for (const [name, at] of files) {
      await writeFile(path.join(outDir, name), 'x');
      await utimes(path.join(outDir, name), at, at);
    }
    const staff = contents();
    await createPdfPrinter({ source: () => staff, outDir, retentionDays: 30, now: () => now }).toPdf({ document: 'receipt', recordId: RECORD });
    expect((await readdir(outDir)).sort()).toEqual(['day-report-2026-11-20.pdf', 'notes.pdf', `receipt-${RECORD}.pdf`]);
    // Nothing to prune, or no folder yet: no error.
    await expect(prunePrintedPdfs({ outDir, retentionDays: 30, now })).resolves.toBe(0);
    await expect(prunePrintedPdfs({ outDir: path.join(dir, 'never-printed'), retentionDays: 30, now })).resolves.toBe(0);
  });
});
