import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { RosterProgress } from '../../sync/roster-stage.js';
import type { SyncEngineStatus } from '../../sync/sync-engine.js';
import { formatLocalTime } from '../../ui/format-time.js';

const t = zhCN.sync;

/** One bar: a fraction when the total is known, indeterminate (`percent` undefined) otherwise. */
export interface BarView {
  percent: number | undefined;
  detail: string;
}

/**
 * Everything the sync panel says, derived from one engine status: the upload line and the roster bar cannot
 * contradict each other because neither has state of its own.
 */
export interface SyncView {
  uploadLine: string;
  roster: BarView | undefined;
  busy: boolean;
}

export function rosterBar(progress: RosterProgress | undefined): BarView | undefined {
  if (!progress) return undefined;
  const { received, total, photosFetched, photosQueued, done } = progress;
  const planned = total + photosQueued;
  const reached = Math.min(received, total || received) + photosFetched;
  const percent = done ? 100 : planned > 0 ? Math.min(99, Math.floor((reached / planned) * 100)) : undefined;
  const photos = photosQueued > 0 ? ` · ${t.photos(photosFetched, photosQueued)}` : '';
  const detail = done ? `${t.rosterComplete(Math.max(received, total))}${photos}` : `${t.rosterReceived(received, total)}${photos}`;
  return { percent, detail };
}

export function syncView(status: SyncEngineStatus | undefined): SyncView | undefined {
  if (!status) return undefined;
  const waiting = status.pendingCount > 0 || status.needsAttention.length > 0;
  const parts = [
    waiting ? t.pending(status.pendingCount) : status.lastSuccessAt ? t.allSynced : t.nothingToSend,
    ...(status.needsAttention.length > 0 ? [t.needsAttentionCount(status.needsAttention.length)] : []),
    ...(status.lastSuccessAt ? [t.lastSuccess(formatLocalTime(status.lastSuccessAt))] : []),
  ];
  return { uploadLine: parts.join(' · '), roster: rosterBar(status.roster.progress), busy: status.running.upload || status.running.roster };
}
