import type { RecordOutcome } from '../../core/contract/record-outcome.js';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { normalizeDocumentNumber } from '../../core/citizen-id/document-number.js';
import { DEFAULT_RECEIPT_LAYOUT, type PrintPdfRequest, type PrintPdfResult, type ReceiptLayout } from '../../core/contract/printing.js';
import type { ReceiptOfflineVerifyReply } from '../../core/contract/receipt.js';
import type { StationInfo } from '../../core/contract/station-api.js';
import { toStationError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import type { ConfirmationRow } from '../db/station-db.js';
import { bytesToBase64 } from '../util/base64.js';
import type { ReceiptRepository } from './receipt-repository.js';
import { type ReceiptView, receiptView, standardPhotoOf } from './receipt-view.js';

const t = zhCN.receipts;

/** One saved record in the 补打回执 list (newest version first). */
export interface ReceiptRecordSummary {
  id: string;
  version: number;
  savedAt: string;
  outcome: RecordOutcome;
  candidateName: string;
}

export interface ReceiptState {
  layout: ReceiptLayout;
  /** What the print sheet shows (the only thing on paper). */
  sheet: ReceiptView | undefined;
  printing: boolean;
  notice: string | undefined;
  error: string | undefined;
  lookup: { input: string; searching: boolean; records: ReceiptRecordSummary[] | undefined };
  check: { input: string; busy: boolean; result: ReceiptOfflineVerifyReply | undefined };
  setLayout(layout: ReceiptLayout): void;
  /** 打印回执 (after a save) and 补打回执 (any saved record): the receipt rebuilt from the stored record and QR. */
  print(recordId: string, options?: { pdf?: boolean; reprint?: boolean }): Promise<void>;
  setLookupInput(input: string): void;
  find(): Promise<void>;
  setCheckInput(input: string): void;
  /** The scanned QR, checked offline against the point's station keys. */
  verifyQr(): Promise<void>;
  /** Sign-out or lock: nothing of the last candidate stays in the page. */
  forget(): void;
}

export interface ReceiptDeps {
  records: { get(id: string): Promise<ConfirmationRow | undefined>; history(citizenId: string): Promise<ConfirmationRow[]> };
  receipts: Pick<ReceiptRepository, 'qrFor' | 'keepReceipt'>;
  /** receipt.sign: for a record saved while the station was not yet enrolled. */
  sign(record: { id: string; contentSha256: string; savedAt: string }): Promise<{ qr: string }>;
  qrImage(text: string): Promise<string>;
  blob(sha256: string): Promise<{ mime: string; bytes: Uint8Array } | undefined>;
  place(): { pointName: string; stationName: string };
  hostKind(): StationInfo['hostKind'] | undefined;
  /** print.toPdf (Electron only). */
  toPdf(request: PrintPdfRequest): Promise<PrintPdfResult>;
  /** window.print(). */
  print(): void;
  /** Resolves once the sheet is on the page with its images decoded. */
  rendered(): Promise<void>;
  verifyOffline(qr: string): Promise<ReceiptOfflineVerifyReply>;
  /** 补打回执 is audited (the record id only). */
  audit?(entry: { kind: 'receipt-reprint'; confirmationId: string }): Promise<unknown>;
  now?: () => Date;
}

export function createReceiptStore(deps: ReceiptDeps): StoreApi<ReceiptState> {
  const now = deps.now ?? (() => new Date());

  const qrOf = async (record: ConfirmationRow): Promise<string | undefined> => {
    const kept = await deps.receipts.qrFor(record.id);
    if (kept) return kept;
    // Saved before enrollment (or the QR could not be kept): sign now, when the station can, and keep it.
    try {
      const { qr } = await deps.sign({ id: record.id, contentSha256: record.contentSha256, savedAt: record.savedAt });
      await deps.receipts.keepReceipt(record.id, qr);
      return qr;
    } catch {
      return undefined;
    }
  };

  const photoOf = async (record: ConfirmationRow): Promise<string | undefined> => {
    const sha256 = standardPhotoOf(record.content);
    const blob = sha256 ? await deps.blob(sha256).catch(() => undefined) : undefined;
    return blob ? `data:${blob.mime};base64,${bytesToBase64(blob.bytes)}` : undefined;
  };

  return createStore<ReceiptState>()((set, get) => ({
    layout: DEFAULT_RECEIPT_LAYOUT,
    sheet: undefined,
    printing: false,
    notice: undefined,
    error: undefined,
    lookup: { input: '', searching: false, records: undefined },
    check: { input: '', busy: false, result: undefined },
    setLayout: (layout) => set({ layout }),

    print: async (recordId, options = {}) => {
      if (get().printing) return;
      set({ printing: true, notice: undefined, error: undefined });
      try {
        const record = await deps.records.get(recordId);
        if (!record) {
          set({ printing: false, error: t.desk.notFound });
          return;
        }
        const qr = await qrOf(record);
        const sheet = receiptView({
          record,
          ...deps.place(),
          photo: await photoOf(record),
          qr,
          qrImage: qr ? await deps.qrImage(qr) : undefined,
          reprintedAt: options.reprint ? now().toISOString() : undefined,
        });
        set({ sheet });
        await deps.rendered();
        if (options.reprint) await deps.audit?.({ kind: 'receipt-reprint', confirmationId: record.id });
        let notice: string | undefined;
        if (deps.hostKind() === 'electron') {
          // The PDF copy first: the print dialog blocks the page until it closes.
          try {
            const saved = await deps.toPdf({ document: 'receipt', recordId: record.id, layout: get().layout });
            notice = t.print.savedPdf(saved.fileName);
          } catch (error) {
            if (options.pdf) throw error;
          }
          if (!options.pdf) deps.print();
        } else {
          // The browser host has no PDF printer: its print dialog saves as PDF.
          if (options.pdf) notice = t.print.browserPdf;
          deps.print();
        }
        set({ printing: false, notice });
      } catch (error) {
        set({ printing: false, error: t.print.failed + toStationError(error).userMessage });
      }
    },

    setLookupInput: (input) => set({ lookup: { ...get().lookup, input } }),
    find: async () => {
      const citizenId = normalizeDocumentNumber(get().lookup.input);
      set({ lookup: { ...get().lookup, searching: true, records: undefined }, error: undefined });
      try {
        const rows = await deps.records.history(citizenId);
        const records = rows
          .map((row) => ({ id: row.id, version: row.version, savedAt: row.savedAt, outcome: row.content.outcome, candidateName: row.content.candidate.name }))
          .sort((a, b) => b.savedAt.localeCompare(a.savedAt));
        set({ lookup: { ...get().lookup, searching: false, records } });
      } catch (error) {
        set({ lookup: { ...get().lookup, searching: false, records: [] }, error: toStationError(error).userMessage });
      }
    },

    forget: () =>
      set({ sheet: undefined, notice: undefined, error: undefined, lookup: { input: '', searching: false, records: undefined }, check: { input: '', busy: false, result: undefined } }),

    setCheckInput: (input) => set({ check: { ...get().check, input } }),
    verifyQr: async () => {
      const qr = get().check.input.trim();
      if (!qr || get().check.busy) return;
      set({ check: { input: qr, busy: true, result: undefined } });
      try {
        const result = await deps.verifyOffline(qr);
        set({ check: { input: '', busy: false, result } });
      } catch (error) {
        set({ check: { input: qr, busy: false, result: undefined }, error: toStationError(error).userMessage });
      }
    },
  }));
}
