import { maskCitizenId } from '../../core/citizen-id/citizen-id.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import type { StationDb } from '../db/station-db.js';
import { readLastError, readLastSuccessAt } from './sync-state.js';
import { ConfirmationRepository } from '../confirmations/confirmation-repository.js';
import { StorageError } from '../db/blob-vault.js';

/** One record staff must look at (需处理), with the server's reason. */
export interface NeedsAttentionItem {
  confirmationId: string;
  savedAt: string | undefined;
  candidateName: string | undefined;
  /** Masked (410105********0223): enough to find the candidate, not the whole number on screen. */
  citizenIdMasked: string | undefined;
  code: string;
  /** Chinese: the server's message or the station's own reason. */
  message: string;
  attempts: number;
}

/** What the UI shows about sync, computed from the database alone (so it survives restarts). */
export interface SyncStatus {
  /** 待同步: waiting for or in an upload; will go by itself. */
  pendingCount: number;
  /** Of those, in a request right now. */
  inFlightCount: number;
  /** 需处理, oldest save first. */
  needsAttention: NeedsAttentionItem[];
  /** The last time the server answered an upload (ms since the epoch). */
  lastSuccessAt: number | undefined;
  /** Why the last upload request failed; cleared by the next answered one. */
  currentError: { code: string; message: string; at: number; transient: boolean } | undefined;
}

export async function readSyncStatus(db: StationDb): Promise<SyncStatus> {
  const snapshot = await db.transaction('r', [db.outbox, db.syncState], async () => ({
    pendingCount: await db.outbox.where('state').anyOf(['pending', 'in-flight']).count(),
    inFlightCount: await db.outbox.where('state').equals('in-flight').count(),
    attentionRows: await db.outbox.where('state').equals('needs-attention').toArray(),
    lastSuccessAt: await readLastSuccessAt(db),
    currentError: await readLastError(db),
  }));
  const { attentionRows, ...counts } = snapshot;
  // Records are sealed at rest: decrypted through the repository, outside the transaction (WebCrypto would
  // end it). A record 需处理 is never purged, so it is still there.
  const records = await new ConfirmationRepository(db).getMany(attentionRows.map((row) => row.confirmationId));
  const needsAttention = attentionRows
    .map((row, i): NeedsAttentionItem => {
      const found = records[i];
      const record = found instanceof StorageError ? undefined : found;
      return {
        confirmationId: row.confirmationId,
        savedAt: record?.savedAt,
        candidateName: record?.content.candidate.name,
        citizenIdMasked: record ? maskCitizenId(record.citizenId) : undefined,
        code: row.lastError?.code ?? 'UNKNOWN',
        message: row.lastError?.message ?? zhCN.sync.unexpected,
        attempts: row.attempts,
      };
    })
    .sort((a, b) => ((a.savedAt ?? '') < (b.savedAt ?? '') ? -1 : (a.savedAt ?? '') > (b.savedAt ?? '') ? 1 : 0));
  return { ...counts, needsAttention };
}
