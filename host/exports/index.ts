/** The daily log exports (导出日志): XLSX and CSV of the records, the PDF day report, and their file names. */
export { dayLogXlsx, type ExportProgress } from './xlsx.js';
export { dayLogCsv } from './csv.js';
export { dayReportPdf } from './pdf.js';
export { dayLogFileName } from './columns.js';
export { resolveReportFont } from './font.js';
export { checkDayLogExport } from './export-guard.js';
