import { z } from 'zod';
import { AuditBatchReply, AuditBreak, MAX_AUDIT_BATCH } from '../../core/contract/central-api.js';
import { Sha256Hex } from '../../core/contract/confirmation.js';
import { CentralError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { AuditLog } from '../audit/audit-log.js';
import type { StationDb } from '../db/station-db.js';
import { backoffDelayMs, BACKOFF_CAP_MS, effectiveDueAt } from './backoff.js';
import { classifySyncError } from './sync-error.js';
import type { StagePassOptions, StagePassSummary, SyncStage } from './sync-stage.js';

/** What the audit stage needs of the central server (kept apart from CentralLink, which carries records). */
export interface AuditLink {
  /** Entries as stored (a damaged one too: the server records it as a break rather than never seeing it). */
  uploadAudit(entries: readonly ShippedEntry[]): Promise<AuditBatchReply>;
}

/** A chained row as it leaves the station; its seq is the table's key, so always a number. */
export type ShippedEntry = { seq: number } & Record<string, unknown>;

export const auditKeys = {
  /** The last entry the server answered for: the next pass sends what follows it. */
  acked: 'audit.acked',
  schedule: 'audit.schedule',
  /** Breaks the server flagged in this station's chain, for supervisors to see. */
  breaks: 'audit.breaks',
} as const;

const Acked = z.strictObject({ seq: z.number().int().nonnegative(), hash: Sha256Hex.optional() });
const Schedule = z.strictObject({
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: z.number(),
  lastSuccessAt: z.number().optional(),
  lastError: z.strictObject({ code: z.string().max(60), message: z.string().max(500), transient: z.boolean() }).optional(),
});
type Schedule = z.infer<typeof Schedule>;
const Breaks = z.array(AuditBreak).max(100);

/** Breaks kept for display; the server keeps all of them. */
const MAX_KEPT_BREAKS = 50;

export interface AuditSyncStatus {
  /** The last seq the server answered for (0: nothing shipped yet). */
  ackedSeq: number;
  lastSuccessAt: number | undefined;
  lastError: Schedule['lastError'];
  /** What the server found wrong in this station's chain, oldest seq first. */
  breaks: AuditBreak[];
}

export async function readAuditSyncStatus(db: StationDb): Promise<AuditSyncStatus> {
  const [acked, schedule, breaks] = await db.syncState.bulkGet([auditKeys.acked, auditKeys.schedule, auditKeys.breaks]);
  const a = Acked.safeParse(acked?.value);
  const s = Schedule.safeParse(schedule?.value);
  const b = Breaks.safeParse(breaks?.value);
  return {
    ackedSeq: a.success ? a.data.seq : 0,
    lastSuccessAt: s.success ? s.data.lastSuccessAt : undefined,
    lastError: s.success ? s.data.lastError : undefined,
    breaks: b.success ? b.data : [],
  };
}

export interface AuditStageOptions {
  /** Entries per request (≤ MAX_AUDIT_BATCH). */
  batchSize?: number;
  random?: () => number;
}

/**
 * Ships the audit chain to the server in seq order, in batches. After each answered batch the last seq
 * sent is remembered (with the server's breaks) in one write, so a crash re-sends at most one batch, which
 * the server answers as duplicates. Only chained entries ship; rows from before the chain stay local,
 * sealed into it by its chain-start. Training does not change this: entries always ship once enrolled.
 */
export class AuditStage implements SyncStage {
  readonly name = 'audit';
  readonly #log: AuditLog;
  readonly #batchSize: number;
  readonly #random: () => number;

  constructor(
    private readonly db: StationDb,
    private readonly link: AuditLink,
    options: AuditStageOptions = {},
  ) {
    this.#log = new AuditLog(db);
    this.#batchSize = Math.min(Math.max(1, Math.floor(options.batchSize ?? MAX_AUDIT_BATCH)), MAX_AUDIT_BATCH);
    this.#random = options.random ?? Math.random;
  }

  /** Nothing is half-done between passes: the acknowledged seq moves only after an answer. */
  async recover(): Promise<void> {}

  async nextWakeAt(now: number): Promise<number | undefined> {
    const acked = await this.#acked();
    if ((await this.#log.entriesAfter(acked.seq, 1)).length === 0) return undefined;
    return effectiveDueAt((await this.#schedule()).nextAttemptAt, now);
  }

  async runOnce(now: number, options: StagePassOptions = {}): Promise<StagePassSummary & { sent: number; breaks: number }> {
    const schedule = await this.#schedule();
    if (!options.force && effectiveDueAt(schedule.nextAttemptAt, now) > now) return { worked: false, sent: 0, breaks: 0 };
    let sent = 0;
    let breaks = 0;
    try {
      for (;;) {
        if (options.signal?.aborted) break;
        const acked = await this.#acked();
        const entries: ShippedEntry[] = await this.#log.entriesAfter(acked.seq, this.#batchSize);
        if (entries.length === 0) break;
        const parsed = AuditBatchReply.safeParse(await this.link.uploadAudit(entries));
        if (!parsed.success) throw new CentralError('INTERNAL', zhCN.sync.badReply, 'BAD_REPLY', true);
        const last = entries.at(-1)!;
        const hash = Sha256Hex.safeParse(last['hash']);
        await this.#settle({ seq: last.seq, ...(hash.success ? { hash: hash.data } : {}) }, parsed.data, now);
        sent += entries.length;
        breaks += parsed.data.breaks.length;
        options.onProgress?.();
        if (entries.length < this.#batchSize) break;
      }
      if (sent > 0) await this.#setSchedule({ attempts: 0, nextAttemptAt: 0, lastSuccessAt: now });
      return { worked: sent > 0, sent, breaks };
    } catch (thrown) {
      const failure = classifySyncError(thrown);
      const attempts = schedule.attempts + 1;
      await this.#setSchedule({
        attempts,
        nextAttemptAt: now + (failure.transient ? backoffDelayMs(attempts, this.#random) : BACKOFF_CAP_MS),
        ...(schedule.lastSuccessAt === undefined ? {} : { lastSuccessAt: schedule.lastSuccessAt }),
        lastError: { code: failure.code, message: failure.message, transient: failure.transient },
      });
      return { worked: sent > 0, sent, breaks };
    }
  }

  /** The acknowledged seq and the server's breaks, in one transaction. */
  async #settle(acked: z.infer<typeof Acked>, reply: AuditBatchReply, now: number): Promise<void> {
    await this.db.transaction('rw', this.db.syncState, async () => {
      const known = Breaks.safeParse((await this.db.syncState.get(auditKeys.breaks))?.value);
      const merged = new Map((known.success ? known.data : []).map((b) => [`${b.seq}:${b.reason}`, b]));
      for (const b of reply.breaks) if (!merged.has(`${b.seq}:${b.reason}`)) merged.set(`${b.seq}:${b.reason}`, b);
      const breaks = [...merged.values()].sort((a, b) => a.seq - b.seq).slice(0, MAX_KEPT_BREAKS);
      await this.db.syncState.bulkPut([
        { key: auditKeys.acked, value: acked },
        { key: auditKeys.breaks, value: breaks },
        { key: auditKeys.schedule, value: { attempts: 0, nextAttemptAt: 0, lastSuccessAt: now } satisfies Schedule },
      ]);
    });
  }

  async #acked(): Promise<z.infer<typeof Acked>> {
    const parsed = Acked.safeParse((await this.db.syncState.get(auditKeys.acked))?.value);
    return parsed.success ? parsed.data : { seq: 0 };
  }

  async #schedule(): Promise<Schedule> {
    const parsed = Schedule.safeParse((await this.db.syncState.get(auditKeys.schedule))?.value);
    return parsed.success ? parsed.data : { attempts: 0, nextAttemptAt: 0 };
  }

  async #setSchedule(schedule: Schedule): Promise<void> {
    await this.db.syncState.put({ key: auditKeys.schedule, value: schedule });
  }
}
