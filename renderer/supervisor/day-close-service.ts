import type { StationClient } from '../../core/api/client.js';
import type { Actor } from '../../core/contract/staff.js';
import { BlobMime } from '../../core/contract/central-api.js';
import { MAX_STAGED_BLOBS_PER_CALL } from '../../core/contract/station-api.js';
import { InvalidStateError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { ConfirmationRepository } from '../confirmations/confirmation-repository.js';
import type { StationDb } from '../db/station-db.js';
import { uploadOf } from '../sync/upload-stage.js';
import { bytesToBase64 } from '../util/base64.js';
import { latestVersions, type LedgerEntry } from './day-ledger.js';
import type { DaySummary } from './day-store.js';
import { markHandedOff } from './station-ledger.js';

export interface DayCloseDeps {
  api: Pick<StationClient<'staff'>, 'call'>;
  db: StationDb;
  repository: Pick<ConfirmationRepository, 'markDayClosed'>;
  audit: Pick<AuditLog, 'append' | 'entriesAfter'>;
  actor: () => Actor | undefined;
  /** Hands a saved file to the person (the browser host's one-time download). */
  download: (path: string, fileName: string) => void;
  now?: () => Date;
  newId?: () => string;
  /** Retention: what a closed day lets go (see purgeExpired). */
  purge?: () => Promise<void>;
}

function supervisorOf(deps: DayCloseDeps): Actor {
  const actor = deps.actor();
  if (actor?.role !== 'supervisor') throw new InvalidStateError('day close needs a supervisor', zhCN.supervisorDesk.needsSupervisor);
  return actor;
}

function draft(day: string, summary: DaySummary, entries: readonly LedgerEntry[], closedBy: Actor) {
  const latest = latestVersions(entries);
  return {
    day,
    closedBy,
    counts: {
      total: summary.total,
      confirmed: summary.confirmed,
      rejected: summary.rejected,
      acknowledged: latest.filter((e) => e.sync === 'acknowledged').length,
      handedOff: latest.filter((e) => e.sync === 'handed-off').length,
    },
    recordIds: entries.map((e) => e.id),
  };
}

/**
 * 日结 at the station: online, the host signs the day-close record and the server stores it; offline, everything
 * the server has not acknowledged, the audit chain and the signed close go into one handoff bundle. Either way the
 * day is then closed here, which is what lets retention purge it once the server has acknowledged it all.
 */
export function dayCloseService(deps: DayCloseDeps) {
  const closeLocally = async (day: string, actor: Actor, detail: string) => {
    await deps.repository.markDayClosed(day);
    await deps.audit.append({ kind: 'day-close', actor, detail });
    await deps.purge?.();
  };

  return {
    async closeDay(day: string, summary: DaySummary, entries: readonly LedgerEntry[]): Promise<void> {
      const actor = supervisorOf(deps);
      const result = await deps.api.call('central.dayClose', draft(day, summary, entries, actor));
      await closeLocally(day, actor, `online v${result.reply.version}`);
    },

    async handoff(day: string, summary: DaySummary, entries: readonly LedgerEntry[]): Promise<{ fileName: string; count: number } | undefined> {
      const actor = supervisorOf(deps);
      const carried = entries.filter((e) => e.sync !== 'acknowledged');
      const records = carried.flatMap((e) => {
        const parsed = uploadOf({ id: e.id, citizenId: e.content.candidate.citizenId, content: e.content });
        return parsed.success ? [parsed.data] : [];
      });
      // Photos, fingerprints and signatures go to the host a few at a time: a day's worth is more than one call.
      const draftId = (deps.newId ?? (() => crypto.randomUUID()))();
      let batch: { sha256: string; mime: BlobMime; base64: string }[] = [];
      const flush = async () => {
        if (batch.length > 0) await deps.api.call('handoff.stageBlobs', { draftId, blobs: batch });
        batch = [];
      };
      for (const sha256 of [...new Set(records.flatMap((r) => r.blobs))]) {
        const blob = await deps.db.vault.get(sha256);
        const mime = BlobMime.safeParse(blob?.mime);
        if (!blob || !mime.success) throw new InvalidStateError('a record refers to a blob this station does not hold', zhCN.supervisorDesk.close.blobMissing);
        batch.push({ sha256, mime: mime.data, base64: bytesToBase64(blob.bytes) });
        if (batch.length >= MAX_STAGED_BLOBS_PER_CALL) await flush();
      }
      await flush();
      // The server ignores audit entries it holds already, so the whole chain goes along.
      const audit = await deps.audit.entriesAfter(0);
      // The host signs, seals to the server's key and saves the file (save dialog, or a download here).
      const saved = await deps.api.call('handoff.build', { day, records, blobs: [], stagedBlobs: draftId, audit, dayClose: draft(day, summary, entries, actor) });
      if (saved.cancelled) return undefined;
      if (saved.downloadPath) deps.download(saved.downloadPath, saved.fileName);
      await markHandedOff(deps.db, carried.map((e) => e.id), { fileName: saved.fileName, sha256: saved.sha256, at: (deps.now ?? (() => new Date()))().toISOString() });
      await deps.audit.append({ kind: 'handoff', actor, count: records.length, detail: `bundle ${saved.sha256.slice(0, 16)}` });
      await closeLocally(day, actor, 'handoff');
      return { fileName: saved.fileName, count: records.length };
    },
  };
}
