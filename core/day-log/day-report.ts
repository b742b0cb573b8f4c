import { zhCN } from '../i18n/zh-CN.js';
import { exceptionKindLabel } from './build-day-log.js';
import type { CountEntry, DayLog } from './day-log.js';

const t = zhCN.dayLog;
const r = t.report;

/** A report lists at most this many exceptions; the XLSX's 异常记录 sheet always has all of them. */
export const maxReportExceptions = 1000;

export interface DayReportTable {
  title: string;
  columns: readonly string[];
  rows: readonly (readonly string[])[];
}

/**
 * What the day report (现场确认日报) says, as text: the host's PDF file (pdfkit) and the staff window's printed
 * sheet (printToPDF in Electron, the print dialog in the browser host) lay out this one content, so the paper a
 * supervisor signs and the file the office keeps never differ in what they report.
 */
export interface DayReport {
  title: string;
  /** Point and station; day, time made and maker; the full-numbers warning when the log has them. */
  lines: readonly string[];
  total: string;
  counts: readonly DayReportTable[];
  sync: { title: string; text: string };
  exceptions: {
    title: string;
    /** `异常类型 n` per kind that occurred, or the no-exceptions sentence. */
    summary: string;
    table: DayReportTable | undefined;
    /** How many were left out of the table (see maxReportExceptions), as a sentence. */
    more: string | undefined;
  };
  /** 经办人 / 负责人 / 日期, each followed by a line to sign on. */
  signatures: readonly string[];
}

/** `2026-11-23 09:30:05` from an offset ISO time: the point's wall clock. */
export function wallClockText(offsetIso: string): string {
  return `${offsetIso.slice(0, 10)} ${offsetIso.slice(11, 19)}`;
}

/** The time alone when it falls on the report's day (the usual case), else date and time. */
function timeOfDay(offsetIso: string, day: string): string {
  const text = wallClockText(offsetIso);
  return text.startsWith(day) ? text.slice(11) : text;
}

function countTable(title: string, entries: readonly CountEntry[]): DayReportTable {
  return { title, columns: [title.replace(/^按/, ''), r.count], rows: entries.map((e) => [e.label, String(e.count)]) };
}

export function dayReportView(log: DayLog): DayReport {
  const station = log.station.id ? `${log.station.name}（${log.station.id}）` : log.station.name;
  const s = log.sync;
  const ec = t.exceptionColumns;
  const listed = log.exceptions.slice(0, maxReportExceptions);
  return {
    title: r.title,
    lines: [
      `${r.point}：${log.point.name}（${log.point.code}）    ${r.station}：${station}`,
      `${r.day}：${log.day}    ${r.generatedAt}：${wallClockText(log.generatedAt)}    ${r.generatedBy}：${t.operator(log.generatedBy.name, log.generatedBy.accountId)}`,
      ...(log.fullNumbers ? [r.fullNumbers] : []),
    ],
    total: r.total(log.counts.total),
    counts: [
      countTable(r.byResult, log.counts.byResult),
      countTable(r.byType, log.counts.byCandidateType.filter((e) => e.count > 0)),
      countTable(r.byOperator, log.counts.byOperator),
    ],
    sync: {
      title: r.syncState,
      text: [`${t.sync.acknowledged} ${s.acknowledged}`, `${t.sync.pending} ${s.pending}`, `${t.sync['handed-off']} ${s.handedOff}`, `${t.sync['needs-attention']} ${s.needsAttention}`].join('    '),
    },
    exceptions: {
      title: r.exceptions,
      summary:
        log.exceptions.length === 0
          ? r.noExceptions
          : log.counts.byException
              .filter((e) => e.count > 0)
              .map((e) => `${e.label} ${e.count}`)
              .join('    '),
      table:
        listed.length === 0
          ? undefined
          : {
              title: r.exceptions,
              columns: [ec.seq, ec.kind, ec.name, ec.citizenId, ec.detail, r.approvedOrReviewed, ec.at],
              rows: listed.map((e) => [
                String(e.seq),
                exceptionKindLabel(e.kind),
                e.name,
                e.citizenId,
                e.detail || t.none,
                [e.approvedBy, e.review].filter(Boolean).join('；') || t.none,
                timeOfDay(e.at, log.day),
              ]),
            },
      more: log.exceptions.length > listed.length ? r.moreExceptions(log.exceptions.length - listed.length) : undefined,
    },
    signatures: [r.handler, r.supervisor, r.signDate],
  };
}
