import { z } from 'zod';
import { RosterDeltaReply } from '../../core/contract/central-api.js';
import { CentralBlobDownload } from '../../core/contract/station-api.js';
import { base64ToBytes } from '../util/base64.js';
import type { RosterMeta, RosterRow, StationDb } from '../db/station-db.js';
import { sealRosterRows } from '../roster/roster-repository.js';
import { backoffDelayMs, BACKOFF_CAP_MS, effectiveDueAt } from './backoff.js';
import type { CentralLink } from './central-link.js';
import { classifySyncError } from './sync-error.js';
import type { StagePassOptions, StagePassSummary, SyncStage } from './sync-stage.js';

export const rosterKeys = {
  /** Where the next delta starts; advanced in the same transaction as the page it follows. */
  cursor: 'roster.cursor',
  schedule: 'roster.schedule',
  progress: 'roster.progress',
} as const;

const Schedule = z.strictObject({
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: z.number(),
  lastSuccessAt: z.number().optional(),
  lastError: z.strictObject({ code: z.string(), message: z.string(), transient: z.boolean() }).optional(),
});
type Schedule = z.infer<typeof Schedule>;

/** The last roster download that brought something (a refresh that finds no change leaves it as it was). */
export const RosterProgress = z.strictObject({
  received: z.number().int().nonnegative(),
  /** What the server said this download would send (0 from stations that stored progress before it did). */
  total: z.number().int().nonnegative().default(0),
  done: z.boolean(),
  /** Roster photos fetched in this pass, and how many were still queued when it began. */
  photosFetched: z.number().int().nonnegative().default(0),
  photosQueued: z.number().int().nonnegative().default(0),
});
export type RosterProgress = z.infer<typeof RosterProgress>;

/** What the UI shows about the roster download, read from the database alone. */
export interface RosterSyncStatus {
  progress: RosterProgress | undefined;
  lastSuccessAt: number | undefined;
  lastError: { code: string; message: string; transient: boolean } | undefined;
}

export async function readRosterSyncStatus(db: StationDb): Promise<RosterSyncStatus> {
  const [progress, schedule] = await Promise.all([db.syncState.get(rosterKeys.progress), db.syncState.get(rosterKeys.schedule)]);
  const parsedProgress = RosterProgress.safeParse(progress?.value);
  const parsedSchedule = Schedule.safeParse(schedule?.value);
  return {
    progress: parsedProgress.success ? parsedProgress.data : undefined,
    lastSuccessAt: parsedSchedule.success ? parsedSchedule.data.lastSuccessAt : undefined,
    lastError: parsedSchedule.success ? parsedSchedule.data.lastError : undefined,
  };
}

export interface RosterStageOptions {
  /** The point the station is enrolled at: the downloaded roster replaces any other (e.g. the sample). */
  point: { code: string; name: string };
  pageSize?: number;
  /** How often to look for changes once the roster is complete. */
  refreshMs?: number;
  random?: () => number;
  /** Photos fetched one after another per pass at most (the rest wait for the next pass). */
  photosPerPass?: number;
}

/** A photo the server keeps failing to send is skipped after this many tries (the row keeps its hash). */
const MAX_PHOTO_ATTEMPTS = 5;

/**
 * Downloads the point's roster by cursor, page by page. Each page is written together with the cursor that
 * follows it, so a crash or a dropped connection resumes exactly after the last stored page: nothing is
 * skipped and nothing is counted twice. It never blocks uploads: the engine runs it in its own loop.
 */
export class RosterStage implements SyncStage {
  readonly name = 'roster';
  readonly #pageSize: number;
  readonly #refreshMs: number;
  readonly #random: () => number;
  readonly #photosPerPass: number;

  constructor(
    private readonly db: StationDb,
    private readonly link: CentralLink,
    private readonly options: RosterStageOptions,
  ) {
    this.#pageSize = options.pageSize ?? 1000;
    this.#refreshMs = options.refreshMs ?? 10 * 60_000;
    this.#random = options.random ?? Math.random;
    this.#photosPerPass = options.photosPerPass ?? 2000;
  }

  /** Nothing is ever half-written (pages commit with their cursor), so there is nothing to put back. */
  async recover(): Promise<void> {}

  async nextWakeAt(now: number): Promise<number | undefined> {
    return effectiveDueAt((await this.#schedule()).nextAttemptAt, now, this.#refreshMs);
  }

  async runOnce(now: number, options: StagePassOptions = {}): Promise<StagePassSummary> {
    const schedule = await this.#schedule();
    if (!options.force && effectiveDueAt(schedule.nextAttemptAt, now, this.#refreshMs) > now) return { worked: false };
    let received = 0;
    let total = 0;
    try {
      for (;;) {
        if (options.signal?.aborted) return { worked: received > 0 };
        const cursor = await this.#cursor();
        const raw = await this.link.rosterDelta(cursor, this.#pageSize);
        // Re-checked here: the reply crossed the worker boundary.
        const page = RosterDeltaReply.parse(raw);
        await this.#store(page, now);
        // Rows changed during the download come again, so the total can only grow.
        total = Math.max(total, received + page.remaining);
        received += page.entries.length;
        if (page.entries.length > 0) {
          await this.#progress({ received, total, done: false, photosFetched: 0, photosQueued: await this.#fetchableCount() });
          options.onProgress?.();
        }
        if (page.done || page.entries.length === 0) break;
      }
      await this.#fetchPhotos(received, total, options);
      await this.#setSchedule({ attempts: 0, nextAttemptAt: now + this.#refreshMs, lastSuccessAt: now });
      return { worked: true };
    } catch (thrown) {
      const failure = classifySyncError(thrown);
      const attempts = schedule.attempts + 1;
      const delay = failure.transient ? backoffDelayMs(attempts, this.#random) : BACKOFF_CAP_MS;
      await this.#setSchedule({
        attempts,
        nextAttemptAt: now + delay,
        ...(schedule.lastSuccessAt === undefined ? {} : { lastSuccessAt: schedule.lastSuccessAt }),
        lastError: { code: failure.code, message: failure.message, transient: failure.transient },
      });
      return { worked: received > 0 };
    }
  }

  /**
   * Drains the photo queue: each photo is stored and dequeued in one transaction, so a crash re-fetches at
   * most the photo in hand. A transport failure ends the pass (backoff); a photo the server refuses is
   * retried a few times, then left (the candidate card shows no roster photo, staff see the chip's).
   */
  async #fetchPhotos(received: number, total: number, options: StagePassOptions): Promise<void> {
    const queued = Math.min(await this.#fetchableCount(), this.#photosPerPass);
    // A refresh that found nothing new keeps showing the last download (complete) rather than "0 received".
    if (received === 0 && queued === 0) return;
    let fetched = 0;
    await this.#progress({ received, total, done: queued === 0, photosFetched: 0, photosQueued: queued });
    options.onProgress?.();
    const batch = await this.db.photoQueue.filter((row) => row.attempts < MAX_PHOTO_ATTEMPTS).limit(this.#photosPerPass).toArray();
    for (const { sha256, attempts } of batch) {
      if (options.signal?.aborted) return;
      let photo;
      try {
        photo = CentralBlobDownload.parse(await this.link.fetchBlob(sha256));
        if (photo.sha256 !== sha256) throw new Error('photo reply for another address');
      } catch (thrown) {
        const failure = classifySyncError(thrown);
        if (failure.transient && failure.code !== 'BLOB_HASH_MISMATCH') throw thrown;
        await this.db.photoQueue.put({ sha256, attempts: attempts + 1 });
        continue;
      }
      // Encrypted before the transaction: WebCrypto inside it would end the transaction.
      const sealed = await this.db.vault.seal({ sha256, mime: photo.mime, bytes: base64ToBytes(photo.base64) });
      await this.db.transaction('rw', [this.db.blobs, this.db.photoQueue], async () => {
        await this.db.vault.putSealed([sealed]);
        await this.db.photoQueue.delete(sha256);
      });
      fetched++;
      await this.#progress({ received, total, done: fetched === queued, photosFetched: fetched, photosQueued: queued });
      options.onProgress?.();
    }
    // Photos the server refused count as handled for this pass: the bar ends full, the queue keeps them.
    await this.#progress({ received, total, done: true, photosFetched: queued, photosQueued: queued });
  }

  async #fetchableCount(): Promise<number> {
    return this.db.photoQueue.filter((row) => row.attempts < MAX_PHOTO_ATTEMPTS).count();
  }

  async #progress(progress: RosterProgress): Promise<void> {
    await this.db.syncState.put({ key: rosterKeys.progress, value: progress });
  }

  /** One page and the cursor after it, in one transaction; the first page for a new point replaces the roster. */
  async #store(page: RosterDeltaReply, now: number): Promise<void> {
    const { point } = this.options;
    const entries: RosterRow[] = page.entries.map(({ photoSha256, ...entry }) => ({ ...entry, ...(photoSha256 ? { photoSha256 } : {}) }));
    // Sealed before the transaction: WebCrypto inside it would end the transaction.
    const rows = await sealRosterRows(this.db, entries);
    await this.db.transaction('rw', [this.db.sealedRoster, this.db.meta, this.db.syncState, this.db.blobs, this.db.photoQueue], async () => {
      const meta = await this.db.meta.get('roster');
      // The bundled sample uses a real-looking point code: a seed roster is always replaced, never mixed in.
      if (!meta || meta.source !== 'central' || meta.pointCode !== point.code) await this.db.sealedRoster.clear();
      await this.db.sealedRoster.bulkPut(rows);
      const hashes = [...new Set(entries.flatMap((row) => (row.photoSha256 ? [row.photoSha256] : [])))];
      const present = await this.db.blobs.bulkGet(hashes);
      const missing = hashes.filter((_, i) => present[i] === undefined);
      // Existing queue rows keep their attempt count.
      const queued = await this.db.photoQueue.bulkGet(missing);
      await this.db.photoQueue.bulkPut(missing.filter((_, i) => queued[i] === undefined).map((sha256) => ({ sha256, attempts: 0 })));
      const next: RosterMeta = {
        key: 'roster',
        pointCode: point.code,
        pointName: point.name,
        generatedAt: new Date(now).toISOString(),
        loadedAt: new Date(now).toISOString(),
        count: await this.db.sealedRoster.count(),
        synthetic: false,
        source: 'central',
      };
      await this.db.meta.put(next);
      await this.db.syncState.put({ key: rosterKeys.cursor, value: page.nextCursor });
    });
  }

  async #cursor(): Promise<string> {
    const parsed = z.string().safeParse((await this.db.syncState.get(rosterKeys.cursor))?.value);
    return parsed.success ? parsed.data : '';
  }

  async #schedule(): Promise<Schedule> {
    const parsed = Schedule.safeParse((await this.db.syncState.get(rosterKeys.schedule))?.value);
    return parsed.success ? parsed.data : { attempts: 0, nextAttemptAt: 0 };
  }

  async #setSchedule(schedule: Schedule): Promise<void> {
    await this.db.syncState.put({ key: rosterKeys.schedule, value: schedule });
  }
}
