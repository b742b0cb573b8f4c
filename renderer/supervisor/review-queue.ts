import { maskCitizenId } from '../../core/citizen-id/citizen-id.js';
import type { ConfirmationContent } from '../../core/contract/confirmation.js';
import { exceptionsOf, latestPerChain } from '../../core/day-log/build-day-log.js';
import type { ExceptionKind } from '../../core/day-log/day-log.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import type { LedgerEntry } from './day-ledger.js';

/** Why a record is in 待复核: what the day log calls an exception, plus what only the sync knows. */
export type ReviewKind = ExceptionKind | 'cross-station' | 'unknown-rules' | 'sync-attention';

/** The kinds only the queue has (the sync knows them, the record does not); labels: zhCN.supervisorDesk.review.kinds. */
export const queueOnlyKinds = ['cross-station', 'unknown-rules', 'sync-attention'] as const satisfies readonly ReviewKind[];
export type QueueOnlyKind = (typeof queueOnlyKinds)[number];

export function isQueueOnlyKind(kind: ReviewKind): kind is QueueOnlyKind {
  return (queueOnlyKinds as readonly string[]).includes(kind);
}

export interface ReviewItem {
  /** The chain's newest version: a decision supersedes it. */
  recordId: string;
  name: string;
  citizenIdMasked: string;
  decidedAt: string;
  kinds: ReviewKind[];
  /** Per kind, what the record says (distance, approval reason, server message …). */
  details: string[];
  sync: LedgerEntry['sync'];
  /** The newest supervisor decision in the chain, if any; `approved` takes the item off the open queue. */
  review: ConfirmationContent['review'];
}

export type ReviewFilter = { state: 'open' | 'done' | 'all'; kind: ReviewKind | 'all' };

/** Everything that needs a second look, newest first. */
export function reviewItems(entries: readonly LedgerEntry[]): ReviewItem[] {
  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  return latestPerChain(entries)
    .flatMap((chain): ReviewItem[] => {
      const latest = byId.get(chain.latest.id)!;
      const found = exceptionsOf(latest.content);
      const kinds: ReviewKind[] = found.map((f) => f.kind);
      const details = found.map((f) => f.detail);
      if (latest.crossStation) {
        kinds.push('cross-station');
        details.push('');
      }
      if (latest.unknownRules) {
        // The version the record names: what to ask the province office about.
        kinds.push('unknown-rules');
        details.push(latest.content.rulesVersion ? zhCN.supervisorDesk.review.unknownRulesDetail(latest.content.rulesVersion) : '');
      }
      if (latest.sync === 'needs-attention') {
        kinds.push('sync-attention');
        details.push(latest.syncError?.message ?? '');
      }
      if (kinds.length === 0) return [];
      const c = latest.content;
      return [
        {
          recordId: latest.id,
          name: c.candidate.name,
          citizenIdMasked: maskCitizenId(c.candidate.citizenId),
          decidedAt: c.decidedAt,
          kinds,
          details,
          sync: latest.sync,
          review: chain.review,
        },
      ];
    })
    .sort((a, b) => (a.decidedAt > b.decidedAt ? -1 : a.decidedAt < b.decidedAt ? 1 : 0));
}

export function filterReviewItems(items: readonly ReviewItem[], filter: ReviewFilter): ReviewItem[] {
  return items.filter((item) => {
    const done = item.review?.decision === 'approved';
    if (filter.state === 'open' && done) return false;
    if (filter.state === 'done' && !done) return false;
    return filter.kind === 'all' || item.kinds.includes(filter.kind);
  });
}
