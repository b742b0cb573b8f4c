import type { StationClient } from '../../../core/api/client.js';
import type { StationInfo } from '../../../core/contract/station-api.js';
import type { SavedRecord } from '../stores/confirmation-store.js';

export interface PrintReceiptDeps {
  api: Pick<StationClient<'staff'>, 'call'>;
  hostKind(): StationInfo['hostKind'] | undefined;
  saved(): SavedRecord | undefined;
  /** window.print(): the paper copy, with the page's print style. */
  print(): void;
  /** A PDF copy that could not be saved; the paper copy is printed all the same. */
  onPdfFailed?(message: string): void;
}

/**
 * 打印回执. In Electron the host first keeps a PDF copy of the receipt in the station's data folder
 * (webContents.printToPDF, print.toPdf), then the print dialog opens; the browser host has no such copy.
 * The PDF comes first because the print dialog blocks the page until it closes.
 */
export function createPrintReceipt(deps: PrintReceiptDeps): () => Promise<void> {
  return async () => {
    const saved = deps.saved();
    if (saved && deps.hostKind() === 'electron') {
      try {
        await deps.api.call('print.toPdf', { document: 'receipt', recordId: saved.id });
      } catch (error) {
        deps.onPdfFailed?.(error instanceof Error ? error.message : String(error));
      }
    }
    deps.print();
  };
}
