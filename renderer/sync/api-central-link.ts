import { BlobMime, type ConfirmationBatchReply, type ConfirmationUpload, type RosterDeltaReply } from '../../core/contract/central-api.js';
import type { CallInput, CallResult } from '../../core/contract/station-api.js';
import { bytesToBase64 } from '../util/base64.js';
import type { CentralLink } from './central-link.js';
import type { AuditLink } from './audit-stage.js';

/** The staff calls the sync engine may make, and no others (the worker relay enforces the same list). */
export const syncCalls = ['central.uploadBlob', 'central.uploadBatch', 'central.rosterDelta', 'central.fetchBlob', 'central.uploadAudit'] as const;
export type SyncCall = (typeof syncCalls)[number];

/** The part of a staff StationClient the engine uses. */
export interface SyncCaller {
  call<M extends SyncCall>(method: M, payload: CallInput<'staff', M>): Promise<CallResult<'staff', M>>;
}

/**
 * The sync engine's CentralLink over the StationApi: the host signs and sends, the engine only sees typed
 * replies and StationErrors (with `reason` and `retryable`, rebuilt by the client from the wire).
 */
export function apiCentralLink(api: SyncCaller): CentralLink & AuditLink {
  return {
    uploadBlob: (sha256, mime, bytes) =>
      api.call('central.uploadBlob', { sha256, mime: BlobMime.parse(mime), base64: bytesToBase64(bytes) }),
    uploadBatch: (items: readonly ConfirmationUpload[]): Promise<ConfirmationBatchReply> =>
      api.call('central.uploadBatch', { confirmations: [...items] }),
    rosterDelta: (cursor: string, limit: number): Promise<RosterDeltaReply> => api.call('central.rosterDelta', { cursor, limit }),
    fetchBlob: (sha256) => api.call('central.fetchBlob', { sha256 }),
    uploadAudit: (entries) => api.call('central.uploadAudit', { entries: [...entries] }),
  };
}
