import { createStore, type StoreApi } from 'zustand/vanilla';
import { buildDayLog } from '../../core/day-log/build-day-log.js';
import type { DayLog } from '../../core/day-log/day-log.js';
import { dayReportView, type DayReport } from '../../core/day-log/day-report.js';
import type { PrintPdfRequest, PrintPdfResult } from '../../core/contract/printing.js';
import type { StationInfo } from '../../core/contract/station-api.js';
import type { Actor } from '../../core/contract/staff.js';
import { toStationError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { latestVersions, unsettled, type LedgerEntry } from './day-ledger.js';

const t = zhCN.supervisorDesk;

export type ExportFormat = 'xlsx' | 'csv' | 'pdf';
export type ExportStep = keyof typeof t.export.steps;

/** Share of the bar each step fills when it starts: the file itself is written by the host. */
const stepProgress: Record<ExportStep, number> = { reading: 0.05, building: 0.3, writing: 0.5, saving: 0.9 };

export interface DaySummary {
  total: number;
  confirmed: number;
  rejected: number;
  /** Chains whose latest version the server has not acknowledged and which were not handed off. */
  unsettled: LedgerEntry[];
  handedOff: number;
}

export interface DayState {
  day: string;
  fullNumbers: boolean;
  exporting: { format: ExportFormat; step: ExportStep; progress: number } | undefined;
  exportResult: { ok: boolean; message: string } | undefined;
  summary: DaySummary | undefined;
  closed: boolean;
  closing: 'idle' | 'handoff' | 'close';
  closeMessage: { ok: boolean; message: string } | undefined;
  /** What the printed day report shows (the only thing on paper while it prints), and for which day. */
  report: { day: string; view: DayReport } | undefined;
  printing: boolean;
  printResult: { ok: boolean; message: string } | undefined;
  setDay(day: string): void;
  setFullNumbers(on: boolean): void;
  exportLog(format: ExportFormat): Promise<void>;
  /**
   * 打印日报: the day report on the page, then (Electron) a PDF copy through printToPDF in the station's folder
   * and the print dialog; the browser host's print dialog saves PDFs itself.
   */
  printReport(): Promise<void>;
  /** Sign-out or lock: the printed report (it names candidates) leaves the page. */
  forgetReport(): void;
  /** Reads the chosen day's records and whether it is closed. */
  refresh(): Promise<void>;
  /**
   * 离线移交 and 日结 in one step, for a point without a network: everything not acknowledged and the signed
   * day-close record go into one bundle for the central office; the records become 已移交 and the day closes.
   */
  handoff(): Promise<void>;
  /** 日结: refused while anything is unsettled. */
  closeDay(): Promise<void>;
}

export interface DayDeps {
  /** The chosen day's records (all versions), training excluded. */
  ledger: (day: string) => Promise<LedgerEntry[]>;
  actor: () => Actor | undefined;
  point: () => { code: string; name: string };
  station: () => { name: string; id?: string | undefined };
  /** Writes the file through the host (save dialog or download); returns what to tell the supervisor. */
  writeExport: (format: ExportFormat, log: DayLog) => Promise<{ fileName: string; savedTo?: string | undefined } | undefined>;
  /** Printing puts the day's list on paper: audited like an export. */
  recordPrint: (log: DayLog) => Promise<void>;
  printer: {
    hostKind(): StationInfo['hostKind'] | undefined;
    /** print.toPdf (Electron only). */
    toPdf(request: PrintPdfRequest): Promise<PrintPdfResult>;
    /** window.print(). */
    print(): void;
    /** Resolves once the report sheet is on the page, chosen for paper, with its font loaded. */
    rendered(): Promise<void>;
  };
  /** Builds the bundle (records, blobs, audit, the day close), saves it, marks the records 已移交 and the day closed. */
  handoff: (day: string, summary: DaySummary, entries: readonly LedgerEntry[]) => Promise<{ fileName: string; count: number } | undefined>;
  closeDay: (day: string, summary: DaySummary, entries: readonly LedgerEntry[]) => Promise<void>;
  isClosed: (day: string) => Promise<boolean>;
  today: () => string;
  now?: () => Date;
}

export function summarize(entries: readonly LedgerEntry[]): DaySummary {
  const latest = latestVersions(entries);
  return {
    total: latest.length,
    confirmed: latest.filter((e) => e.content.outcome === 'confirmed').length,
    rejected: latest.filter((e) => e.content.outcome === 'rejected').length,
    // Every version must be settled, not only the newest: the server needs the whole chain.
    unsettled: unsettled(entries),
    handedOff: entries.filter((e) => e.sync === 'handed-off').length,
  };
}

export function createDayStore(deps: DayDeps): StoreApi<DayState> {
  return createStore<DayState>()((set, get) => {
    const dayLogOf = (day: string, actor: Actor, fullNumbers: boolean, entries: LedgerEntry[]): DayLog =>
      buildDayLog({
        point: deps.point(),
        station: deps.station(),
        day,
        generatedBy: actor,
        ...(deps.now ? { generatedAt: deps.now() } : {}),
        fullNumbers,
        records: entries,
      });
    const supervisor = () => {
      const actor = deps.actor();
      return actor?.role === 'supervisor' ? actor : undefined;
    };
    return {
      day: deps.today(),
      fullNumbers: false,
      exporting: undefined,
      exportResult: undefined,
      summary: undefined,
      closed: false,
      closing: 'idle',
      closeMessage: undefined,
      report: undefined,
      printing: false,
      printResult: undefined,

      setDay(day) {
        set({ day, exportResult: undefined, closeMessage: undefined });
        void get().refresh();
      },
      setFullNumbers(on) {
        set({ fullNumbers: on });
      },

      async exportLog(format) {
        if (get().exporting) return;
        const actor = supervisor();
        if (!actor) {
          set({ exportResult: { ok: false, message: t.needsSupervisor } });
          return;
        }
        const step = (s: ExportStep) => set({ exporting: { format, step: s, progress: stepProgress[s] } });
        set({ exportResult: undefined });
        try {
          step('reading');
          const { day, fullNumbers } = get();
          const entries = await deps.ledger(day);
          step('building');
          const log = dayLogOf(day, actor, fullNumbers, entries);
          step('writing');
          const written = await deps.writeExport(format, log);
          set({
            exporting: undefined,
            exportResult: written ? { ok: true, message: written.savedTo ? t.export.savedTo(written.savedTo) : t.export.done(written.fileName) } : { ok: false, message: t.export.cancelled },
          });
        } catch (error) {
          set({ exporting: undefined, exportResult: { ok: false, message: toStationError(error).userMessage } });
        }
      },

      async printReport() {
        if (get().printing) return;
        const actor = supervisor();
        if (!actor) {
          set({ printResult: { ok: false, message: t.needsSupervisor } });
          return;
        }
        set({ printing: true, printResult: undefined });
        try {
          const { day, fullNumbers } = get();
          const log = dayLogOf(day, actor, fullNumbers, await deps.ledger(day));
          set({ report: { day, view: dayReportView(log) } });
          await deps.printer.rendered();
          await deps.recordPrint(log);
          let message: string = t.export.printed;
          if (deps.printer.hostKind() === 'electron') {
            // The PDF copy first: the print dialog blocks the page until it closes.
            const saved = await deps.printer.toPdf({ document: 'day-report', day });
            message = t.export.printedPdf(saved.fileName);
          }
          deps.printer.print();
          set({ printing: false, printResult: { ok: true, message } });
        } catch (error) {
          set({ printing: false, printResult: { ok: false, message: t.export.printFailed + toStationError(error).userMessage } });
        }
      },

      forgetReport() {
        set({ report: undefined, printResult: undefined });
      },

      async refresh() {
        const day = get().day;
        try {
          const [entries, closed] = await Promise.all([deps.ledger(day), deps.isClosed(day)]);
          if (get().day !== day) return;
          set({ summary: summarize(entries), closed });
        } catch (error) {
          set({ closeMessage: { ok: false, message: toStationError(error).userMessage } });
        }
      },

      async handoff() {
        if (get().closing !== 'idle') return;
        if (!supervisor()) {
          set({ closeMessage: { ok: false, message: t.needsSupervisor } });
          return;
        }
        set({ closing: 'handoff', closeMessage: undefined });
        try {
          const day = get().day;
          const entries = await deps.ledger(day);
          const done = await deps.handoff(day, summarize(entries), entries);
          set(
            done
              ? { closing: 'idle', closed: true, closeMessage: { ok: true, message: t.close.handoffDone(done.fileName, done.count) } }
              : { closing: 'idle', closeMessage: { ok: false, message: t.export.cancelled } },
          );
        } catch (error) {
          set({ closing: 'idle', closeMessage: { ok: false, message: toStationError(error).userMessage } });
        }
        await get().refresh();
      },

      async closeDay() {
        if (get().closing !== 'idle') return;
        if (!supervisor()) {
          set({ closeMessage: { ok: false, message: t.needsSupervisor } });
          return;
        }
        set({ closing: 'close', closeMessage: undefined });
        try {
          const day = get().day;
          if (await deps.isClosed(day)) {
            set({ closing: 'idle', closed: true, closeMessage: { ok: true, message: t.close.alreadyClosed(day) } });
            return;
          }
          const entries = await deps.ledger(day);
          const summary = summarize(entries);
          set({ summary });
          // Nothing is closed (and so nothing becomes purgeable) before the server has it or a bundle carries it.
          if (summary.unsettled.length > 0) {
            set({ closing: 'idle', closeMessage: { ok: false, message: t.close.unsettled(summary.unsettled.length) } });
            return;
          }
          await deps.closeDay(day, summary, entries);
          set({ closing: 'idle', closed: true, closeMessage: { ok: true, message: t.close.closed(day) } });
        } catch (error) {
          set({ closing: 'idle', closeMessage: { ok: false, message: toStationError(error).userMessage } });
        }
      },
    };
  });
}
