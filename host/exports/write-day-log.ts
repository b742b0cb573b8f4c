import type { DayLogExportRequest } from '../../core/contract/station-files.js';
import { dayLogCsv, dayLogFileName, dayLogXlsx, dayReportPdf, type ExportProgress } from './index.js';

const mimes = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  pdf: 'application/pdf',
} as const;

/** The day log in the asked-for format, with its file name and type. */
export async function writeDayLog(request: DayLogExportRequest, onProgress?: ExportProgress): Promise<{ fileName: string; bytes: Uint8Array; mime: string }> {
  const { format, log } = request;
  const bytes = format === 'xlsx' ? await dayLogXlsx(log, onProgress) : format === 'csv' ? dayLogCsv(log) : await dayReportPdf(log, onProgress);
  return { fileName: dayLogFileName(log, format), bytes, mime: mimes[format] };
}
