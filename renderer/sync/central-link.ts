import type { ConfirmationBatchReply, ConfirmationUpload, RosterDeltaReply } from '../../core/contract/central-api.js';
import type { CentralBlobDownload } from '../../core/contract/station-api.js';

/**
 * What the sync engine needs from the central server, and nothing more: the engine never does HTTP itself.
 * The implementation (signing, clock-skew correction, reply validation) lives on the host side and reaches
 * the engine through the StationApi `central.*` calls (see api-central-link.ts).
 *
 * Failures are thrown as StationErrors carrying `retryable` and, for the server's own
 * reasons, `reason` (e.g. STATION_REVOKED); `classifySyncError` turns them into retry-or-ask-a-person.
 * Replies are re-validated by the engine: they may have crossed a worker message boundary.
 */
export interface CentralLink {
  /** Stores the bytes under their SHA-256 (idempotent: the same bytes again are fine). */
  uploadBlob(sha256: string, mime: string, bytes: Uint8Array<ArrayBuffer>): Promise<unknown>;
  /** One request with up to MAX_BATCH_ITEMS confirmations; each item is answered on its own. */
  uploadBatch(items: readonly ConfirmationUpload[]): Promise<ConfirmationBatchReply>;
  /** One page of the point's roster changes after `cursor` ('' from the start). */
  rosterDelta(cursor: string, limit: number): Promise<RosterDeltaReply>;
  /** A roster photo by its address; the host has checked that the bytes hash to it. */
  fetchBlob(sha256: string): Promise<CentralBlobDownload>;
}
