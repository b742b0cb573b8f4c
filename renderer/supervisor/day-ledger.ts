import type { ConfirmationContent } from '../../core/contract/confirmation.js';
import type { SyncState } from '../../core/day-log/day-log.js';
import { stationDay } from '../confirmations/confirmation-repository.js';

/** Where a record stands with the central server, as the supervisor's screens and exports show it. */
export type RecordSync = SyncState;

/** A saved record as the supervisor's day sees it (decrypted by the repository). */
export interface LedgerRecord {
  id: string;
  version: number;
  supersedes?: string | undefined;
  content: ConfirmationContent;
  savedAt: string;
}

export interface LedgerEntry extends LedgerRecord {
  sync: RecordSync;
  /** The server flagged another station's confirmation of the same candidate. */
  crossStation: boolean;
  /** The server stored the record under a rules version it does not know for the point. */
  unknownRules: boolean;
  /** The server's (or station's) reason when the record needs attention. */
  syncError?: { code: string; message: string } | undefined;
}

/** What the server said about a record when it acknowledged it (absent unknownRules: not flagged, or an older ack). */
export type ServerFlags = { crossStation: boolean; unknownRules?: boolean };

/** Everything the ledger reads; the station database provides it (tests give plain data). */
export interface LedgerSource {
  /** Every saved record, all versions, decrypted. */
  records(): Promise<LedgerRecord[]>;
  /** Outbox entries: records the server has not acknowledged yet. */
  outbox(): Promise<{ confirmationId: string; state: 'pending' | 'in-flight' | 'needs-attention'; lastError?: { code: string; message: string } | undefined }[]>;
  /** The server's acknowledgement of a record, if it came. */
  acks(): Promise<Map<string, ServerFlags>>;
  /** Records carried to the server in a handoff bundle (已移交), not yet acknowledged online. */
  handedOff(): Promise<Set<string>>;
}


/**
 * The day's records with their sync state, oldest first. Training records are left out: they are never synced
 * and never part of a day's log.
 */
export async function readLedger(source: LedgerSource, day?: string): Promise<LedgerEntry[]> {
  const [records, outbox, acks, handedOff] = await Promise.all([source.records(), source.outbox(), source.acks(), source.handedOff()]);
  const waiting = new Map(outbox.map((row) => [row.confirmationId, row]));
  return records
    // The day of the decision, as the day log counts it.
    .filter((record) => record.content.training !== true && (day === undefined || stationDay(record.content.decidedAt) === day))
    .map((record): LedgerEntry => {
      const ack = acks.get(record.id);
      const queued = waiting.get(record.id);
      const sync: RecordSync = ack && !queued ? 'acknowledged' : queued?.state === 'needs-attention' ? 'needs-attention' : handedOff.has(record.id) ? 'handed-off' : 'pending';
      return { ...record, sync, crossStation: ack?.crossStation === true, unknownRules: ack?.unknownRules === true, ...(queued?.lastError ? { syncError: queued.lastError } : {}) };
    })
    .sort((a, b) => (a.savedAt < b.savedAt ? -1 : a.savedAt > b.savedAt ? 1 : 0));
}

/** The newest version of each record chain (a correction or a review supersedes what came before). */
export function latestVersions<T extends LedgerRecord>(entries: readonly T[]): T[] {
  const superseded = new Set(entries.flatMap((entry) => (entry.supersedes ? [entry.supersedes] : [])));
  return entries.filter((entry) => !superseded.has(entry.id));
}

/** What the day close needs to know: everything either acknowledged or handed off. */
export function unsettled(entries: readonly LedgerEntry[]): LedgerEntry[] {
  return entries.filter((entry) => entry.sync !== 'acknowledged' && entry.sync !== 'handed-off');
}
