import { parseReceiptQr } from '../../core/contract/receipt.js';
import { ValidationError } from '../../core/errors/station-error.js';
import { unwrapDexie } from '../db/dexie-errors.js';
import type { StationDb } from '../db/station-db.js';

/**
 * The receipts table: the signed QR of each saved record, so 补打回执 prints the very receipt the candidate
 * took home. One QR per record; a re-sign (a station enrolled after the save) replaces nothing already kept.
 */
export class ReceiptRepository {
  constructor(
    private readonly db: StationDb,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Keeps the record's QR. A QR that is not one of ours, or names another record, is refused (nothing stored). */
  async keepReceipt(recordId: string, qr: string): Promise<void> {
    const parsed = parseReceiptQr(qr);
    if (!parsed.ok) throw new ValidationError(`receipt qr: ${parsed.reason}`);
    if (parsed.payload.id !== recordId) throw new ValidationError('receipt qr names another record');
    await unwrapDexie(() => this.db.receipts.put({ recordId, qr: qr.trim(), keptAt: this.now().toISOString() }));
  }

  async qrFor(recordId: string): Promise<string | undefined> {
    return (await unwrapDexie(() => this.db.receipts.get(recordId)))?.qr;
  }
}

/**
 * The confirmation store's `signReceipt`, keeping what it signs: the QR is stored with the record as soon as the
 * host has signed it (the store itself only shows it). A failure to keep it does not hide the receipt on screen;
 * 补打回执 then signs again.
 */
export function keepingSignedReceipts<R extends { id: string }>(
  receipts: Pick<ReceiptRepository, 'keepReceipt'>,
  sign: (record: R) => Promise<{ qr: string }>,
  onKeepFailed?: (error: unknown) => void,
): (record: R) => Promise<{ qr: string }> {
  return async (record) => {
    const signed = await sign(record);
    await receipts.keepReceipt(record.id, signed.qr).catch((error: unknown) => onKeepFailed?.(error));
    return signed;
  };
}
