import type { StationDb } from '../db/station-db.js';
import type { ConfirmationRepository } from '../confirmations/confirmation-repository.js';
import { AckInfo, syncKeys } from '../sync/sync-state.js';
import type { LedgerSource, ServerFlags } from './day-ledger.js';

/** 已移交 marks: a record carried in a handoff bundle, until the server acknowledges it online. */
const HANDED_OFF_PREFIX = 'handoff.record:';
export const handedOffKey = (confirmationId: string) => `${HANDED_OFF_PREFIX}${confirmationId}`;

/** The supervisor's ledger over the station database: records through the repository (decrypted), the rest as stored. */
export function stationLedger(db: StationDb, repository: Pick<ConfirmationRepository, 'all'>): LedgerSource {
  return {
    records: () => repository.all(),
    outbox: () => db.outbox.toArray(),
    acks: async () => {
      const prefix = syncKeys.ack('');
      const rows = await db.syncState.where('key').startsWith(prefix).toArray();
      const acks = new Map<string, ServerFlags>();
      for (const row of rows) {
        const parsed = AckInfo.safeParse(row.value);
        if (!parsed.success) continue;
        const { crossStation, unknownRules } = parsed.data;
        acks.set(row.key.slice(prefix.length), { crossStation, ...(unknownRules ? { unknownRules } : {}) });
      }
      return acks;
    },
    handedOff: async () => new Set((await db.syncState.where('key').startsWith(HANDED_OFF_PREFIX).primaryKeys()).map((key) => String(key).slice(HANDED_OFF_PREFIX.length))),
  };
}

/** Marks records as carried by a bundle (one transaction; a record acknowledged since is still marked, harmlessly). */
export async function markHandedOff(db: StationDb, ids: readonly string[], bundle: { fileName: string; sha256: string; at: string }): Promise<void> {
  await db.syncState.bulkPut(ids.map((id) => ({ key: handedOffKey(id), value: bundle })));
}
