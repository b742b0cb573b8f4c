import { ConfirmationUpload, type SignedConfirmationUpload } from '../../core/contract/central-api.js';
import { encodeRecordSignature, recordSigningText } from '../../core/records/record-signature.js';
import type { StationIdentity } from './station-identity.js';

/** The part of the station's identity a record signature needs: its key. */
export type RecordSigningKey = Pick<StationIdentity, 'sign'>;

/**
 * Signs one confirmation record for the central server (core/records/record-signature.ts) with the station key,
 * as station `stationId`. The host signs; the renderer never holds the key. The record is sent as parsed here
 * (blobs defaulted), so the server checks exactly the text that was signed.
 */
export function signRecord(key: RecordSigningKey, stationId: string, record: ConfirmationUpload): SignedConfirmationUpload {
  const signature = new Uint8Array(Buffer.from(key.sign(recordSigningText(stationId, record)), 'base64'));
  return { ...record, signature: encodeRecordSignature(signature) };
}

/**
 * The items of a batch (or a bundle's records) as the staff window sent them, each signed. An item that is not a
 * record goes on as it is, unsigned: the server answers that one item `invalid` with its reason, as before, and
 * the others of the batch are stored.
 */
export function signRecordItems<T extends { id: string }>(key: RecordSigningKey, stationId: string, items: readonly T[]): Array<T | SignedConfirmationUpload> {
  return items.map((item) => {
    const parsed = ConfirmationUpload.safeParse(item);
    return parsed.success ? signRecord(key, stationId, parsed.data) : item;
  });
}
