import PDFDocument from 'pdfkit';
import type { DayLog } from '../../core/day-log/day-log.js';
import { dayReportView, type DayReportTable } from '../../core/day-log/day-report.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { resolveReportFont } from './font.js';
import type { ExportProgress } from './xlsx.js';

const r = zhCN.dayLog.report;
const MARGIN = 50;

interface TableColumn {
  header: string;
  width: number;
}

/**
 * The day report (现场确认日报) as a PDF: real text in an embedded, subsetted CJK font (searchable, and small:
 * only the glyphs used are embedded), for the supervisor to print, sign and file.
 */
export async function dayReportPdf(log: DayLog, onProgress?: ExportProgress, options: { fontPath?: string } = {}): Promise<Uint8Array> {
  const font = options.fontPath ?? resolveReportFont();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    // Opening with the CJK font also keeps pdfkit from loading its standard Helvetica metrics, which a bundle lacks.
    font,
    autoFirstPage: false,
    lang: 'zh-CN',
    displayTitle: true,
    info: { Title: `${r.title} ${log.point.name} ${log.day}`, Creator: zhCN.app.staffTitle },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.addPage();

  const width = doc.page.width - 2 * MARGIN;
  onProgress?.(0);

  const report = dayReportView(log);
  doc.fontSize(20).text(report.title, { align: 'center' });
  doc.moveDown(0.6);
  doc.fontSize(10.5);
  for (const line of report.lines) doc.text(line);
  doc.moveDown(0.4);
  doc.text(report.total);

  for (const table of report.counts) countTable(doc, table, width);

  heading(doc, report.sync.title);
  doc.text(report.sync.text);
  onProgress?.(0.2);

  const { exceptions } = report;
  heading(doc, exceptions.title);
  doc.text(exceptions.summary);
  const table = exceptions.table;
  if (table) {
    doc.moveDown(0.3);
    const widths = [28, 88, 46, 98, 95, 90];
    const columns: TableColumn[] = table.columns.map((header, i) => ({ header, width: widths[i] ?? width - widths.reduce((a, b) => a + b, 0) }));
    const headerRow = () => tableRow(doc, columns, table.columns, true);
    headerRow();
    table.rows.forEach((cells, i) => {
      tableRow(doc, columns, cells, false, headerRow);
      if ((i + 1) % 100 === 0) onProgress?.(0.2 + (0.6 * (i + 1)) / table.rows.length);
    });
  }
  if (exceptions.more) {
    doc.moveDown(0.4);
    doc.text(exceptions.more, MARGIN);
  }
  onProgress?.(0.8);

  signatures(doc, report.signatures, width);
  pageNumbers(doc);
  doc.end();
  await ended;
  onProgress?.(1);
  return new Uint8Array(Buffer.concat(chunks));
}

function ensureSpace(doc: PDFKit.PDFDocument, height: number): boolean {
  if (doc.y + height <= doc.page.height - MARGIN) return false;
  doc.addPage();
  return true;
}

function heading(doc: PDFKit.PDFDocument, text: string): void {
  doc.moveDown(0.8);
  ensureSpace(doc, 40);
  doc.x = MARGIN;
  doc.fontSize(13).text(text);
  doc.fontSize(10.5);
  doc.moveDown(0.2);
}

function countTable(doc: PDFKit.PDFDocument, table: DayReportTable, width: number): void {
  heading(doc, table.title);
  const columns: TableColumn[] = [
    { header: table.columns[0] ?? '', width: Math.min(300, width - 80) },
    { header: table.columns[1] ?? '', width: 80 },
  ];
  const headerRow = () => tableRow(doc, columns, table.columns, true);
  headerRow();
  for (const cells of table.rows) tableRow(doc, columns, cells, false, headerRow);
}

/** One table row with wrapped cells and a rule below; repeats the header (via `onNewPage`) after a page break. */
function tableRow(doc: PDFKit.PDFDocument, columns: readonly TableColumn[], cells: readonly string[], header: boolean, onNewPage?: () => void): void {
  const size = header ? 9.5 : 9;
  doc.fontSize(size);
  const padding = 3;
  const height = Math.max(...columns.map((c, i) => doc.heightOfString(cells[i] ?? '', { width: c.width - 2 * padding }))) + 2 * padding;
  if (ensureSpace(doc, height) && onNewPage) {
    onNewPage();
    doc.fontSize(size);
  }
  const top = doc.y;
  let x = MARGIN;
  columns.forEach((c, i) => {
    doc.text(cells[i] ?? '', x + padding, top + padding, { width: c.width - 2 * padding });
    x += c.width;
  });
  const bottom = top + height;
  doc
    .moveTo(MARGIN, bottom)
    .lineTo(x, bottom)
    .lineWidth(header ? 0.8 : 0.3)
    .strokeColor(header ? '#333333' : '#999999')
    .stroke();
  doc.x = MARGIN;
  doc.y = bottom;
  doc.fontSize(10.5);
}

function signatures(doc: PDFKit.PDFDocument, labels: readonly string[], width: number): void {
  doc.moveDown(2);
  ensureSpace(doc, 60);
  const y = doc.y;
  const third = width / 3;
  const line = '＿＿＿＿＿＿＿＿';
  doc.fontSize(11);
  labels.forEach((label, i) => doc.text(`${label}${line}`, MARGIN + i * third, y, { width: third, lineBreak: false }));
}

function pageNumbers(doc: PDFKit.PDFDocument): void {
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    // Writing into the bottom margin would otherwise make pdfkit start a new page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.fontSize(8.5).text(r.page(i + 1, range.count), MARGIN, doc.page.height - MARGIN + 16, { width: doc.page.width - 2 * MARGIN, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
}
