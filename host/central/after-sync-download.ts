import { toStationError } from '../../core/errors/station-error.js';
import type { Logger } from '../../core/logging/logger.js';

/** A finished roster sync refreshes what comes with it at most this often (the sync engine may finish every minute). */
export const AFTER_SYNC_INTERVAL_MS = 5 * 60_000;

/**
 * Something the station downloads with its roster (staff accounts, province rules): now on demand (enrollment),
 * and after a roster sync completes, throttled. A failed download keeps what the station has, so the desk goes on
 * offline with it.
 */
export class AfterSyncDownload<T> {
  #lastAt: number | undefined;
  #running: Promise<void> | undefined;

  constructor(
    private readonly deps: {
      /** For the log: "staff accounts", "rules". */
      what: string;
      download: () => Promise<T>;
      apply: (value: T) => Promise<void>;
      /** Counts for the log line (never personal data). */
      summary?: (value: T) => Record<string, string | number>;
      logger: Logger;
      now?: () => number;
      minIntervalMs?: number;
    },
  ) {}

  /** Now, whatever the interval. Resolves once applied; rejects when the download (or applying it) failed. */
  refresh(): Promise<void> {
    this.#running ??= (async () => {
      try {
        this.#lastAt = this.#now();
        const value = await this.deps.download();
        await this.deps.apply(value);
        this.deps.logger.info(`${this.deps.what} downloaded`, this.deps.summary?.(value) ?? {});
      } finally {
        this.#running = undefined;
      }
    })();
    return this.#running;
  }

  /** A roster sync reached its end: refresh unless one ran within the interval. Never throws. */
  async afterRosterSync(): Promise<void> {
    const last = this.#lastAt;
    if (this.#running || (last !== undefined && this.#now() - last < (this.deps.minIntervalMs ?? AFTER_SYNC_INTERVAL_MS))) return;
    await this.refresh().catch((error: unknown) => {
      this.deps.logger.warn(`${this.deps.what} download failed`, { code: toStationError(error).code });
    });
  }

  #now(): number {
    return (this.deps.now ?? Date.now)();
  }
}
