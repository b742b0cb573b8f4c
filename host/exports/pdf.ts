import PDFDocument from 'pdfkit';
import type { CountEntry, DayLog } from '../../core/day-log/day-log.js';
import { exceptionKindLabel } from '../../core/day-log/build-day-log.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { wallClockText } from './columns.js';
import { resolveReportFont } from './font.js';
import type { ExportProgress } from './xlsx.js';

const t = zhCN.dayLog;
const r = t.report;
const MARGIN = 50;
/** A report lists at most this many exceptions; the XLSX's 异常记录 sheet always has all of them. */
export const maxReportExceptions = 1000;

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

  doc.fontSize(20).text(r.title, { align: 'center' });
  doc.moveDown(0.6);
  doc.fontSize(10.5);
  const station = log.station.id ? `${log.station.name}（${log.station.id}）` : log.station.name;
  doc.text(`${r.point}：${log.point.name}（${log.point.code}）    ${r.station}：${station}`);
  doc.text(`${r.day}：${log.day}    ${r.generatedAt}：${wallClockText(log.generatedAt)}    ${r.generatedBy}：${t.operator(log.generatedBy.name, log.generatedBy.accountId)}`);
  if (log.fullNumbers) doc.text(r.fullNumbers);
  doc.moveDown(0.4);
  doc.text(r.total(log.counts.total));

  countTable(doc, r.byResult, log.counts.byResult, width);
  countTable(doc, r.byType, log.counts.byCandidateType.filter((e) => e.count > 0), width);
  countTable(doc, r.byOperator, log.counts.byOperator, width);

  heading(doc, r.syncState);
  const s = log.sync;
  doc.text(
    [`${t.sync.acknowledged} ${s.acknowledged}`, `${t.sync.pending} ${s.pending}`, `${t.sync['handed-off']} ${s.handedOff}`, `${t.sync['needs-attention']} ${s.needsAttention}`].join('    '),
  );
  onProgress?.(0.2);

  heading(doc, r.exceptions);
  if (log.exceptions.length === 0) doc.text(r.noExceptions);
  else {
    doc.text(
      log.counts.byException
        .filter((e) => e.count > 0)
        .map((e) => `${e.label} ${e.count}`)
        .join('    '),
    );
    doc.moveDown(0.3);
    const ec = t.exceptionColumns;
    const columns: TableColumn[] = [
      { header: ec.seq, width: 28 },
      { header: ec.kind, width: 88 },
      { header: ec.name, width: 46 },
      { header: ec.citizenId, width: 98 },
      { header: ec.detail, width: 95 },
      { header: r.approvedOrReviewed, width: 90 },
      { header: ec.at, width: width - 28 - 88 - 46 - 98 - 95 - 90 },
    ];
    const listed = log.exceptions.slice(0, maxReportExceptions);
    tableRow(doc, columns, columns.map((c) => c.header), true);
    listed.forEach((e, i) => {
      const who = [e.approvedBy, e.review].filter(Boolean).join('；') || t.none;
      tableRow(doc, columns, [String(e.seq), exceptionKindLabel(e.kind), e.name, e.citizenId, e.detail || t.none, who, timeOfDay(e.at, log.day)], false, () =>
        tableRow(doc, columns, columns.map((c) => c.header), true),
      );
      if ((i + 1) % 100 === 0) onProgress?.(0.2 + (0.6 * (i + 1)) / listed.length);
    });
    if (log.exceptions.length > listed.length) {
      doc.moveDown(0.4);
      doc.text(r.moreExceptions(log.exceptions.length - listed.length), MARGIN);
    }
  }
  onProgress?.(0.8);

  signatures(doc, width);
  pageNumbers(doc);
  doc.end();
  await ended;
  onProgress?.(1);
  return new Uint8Array(Buffer.concat(chunks));
}

/** The time alone when it falls on the report's day (the usual case), else date and time. */
function timeOfDay(offsetIso: string, day: string): string {
  const text = wallClockText(offsetIso);
  return text.startsWith(day) ? text.slice(11) : text;
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

function countTable(doc: PDFKit.PDFDocument, title: string, entries: readonly CountEntry[], width: number): void {
  heading(doc, title);
  const columns: TableColumn[] = [
    { header: title.replace(/^按/, ''), width: Math.min(300, width - 80) },
    { header: r.count, width: 80 },
  ];
  tableRow(doc, columns, columns.map((c) => c.header), true);
  for (const entry of entries) tableRow(doc, columns, [entry.label, String(entry.count)], false, () => tableRow(doc, columns, columns.map((c) => c.header), true));
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

function signatures(doc: PDFKit.PDFDocument, width: number): void {
  doc.moveDown(2);
  ensureSpace(doc, 60);
  const y = doc.y;
  const third = width / 3;
  const line = '＿＿＿＿＿＿＿＿';
  doc.fontSize(11);
  doc.text(`${r.handler}${line}`, MARGIN, y, { width: third, lineBreak: false });
  doc.text(`${r.supervisor}${line}`, MARGIN + third, y, { width: third, lineBreak: false });
  doc.text(`${r.signDate}${line}`, MARGIN + 2 * third, y, { width: third, lineBreak: false });
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
