import type { StaffAccountsReply } from '../../core/contract/central-api.js';
import type { StaffAccount } from '../../core/contract/staff.js';
import { toStationError } from '../../core/errors/station-error.js';
import type { Logger } from '../../core/logging/logger.js';

/** A finished roster sync refreshes the accounts at most this often (the sync engine may finish every minute). */
export const STAFF_REFRESH_INTERVAL_MS = 5 * 60_000;

/**
 * Downloads the point's staff accounts: at enrollment, and after a roster sync completes (throttled). A failed
 * download keeps the stored list, so sign-in goes on offline with what the station had.
 */
export class StaffAccountsSync {
  #lastAt: number | undefined;
  #running: Promise<void> | undefined;

  constructor(
    private readonly deps: {
      download: () => Promise<StaffAccountsReply>;
      apply: (pointCode: string, accounts: readonly StaffAccount[]) => Promise<void>;
      logger: Logger;
      now?: () => number;
      minIntervalMs?: number;
    },
  ) {}

  /** Now, whatever the interval (enrollment). Resolves once applied; rejects when the download failed. */
  refresh(): Promise<void> {
    this.#running ??= (async () => {
      try {
        this.#lastAt = this.#now();
        const reply = await this.deps.download();
        await this.deps.apply(reply.pointCode, reply.accounts);
        this.deps.logger.info('staff accounts downloaded', { accounts: reply.accounts.length });
      } finally {
        this.#running = undefined;
      }
    })();
    return this.#running;
  }

  /** A roster sync reached its end: refresh unless one ran within the interval. Never throws. */
  async afterRosterSync(): Promise<void> {
    const last = this.#lastAt;
    if (this.#running || (last !== undefined && this.#now() - last < (this.deps.minIntervalMs ?? STAFF_REFRESH_INTERVAL_MS))) return;
    await this.refresh().catch((error: unknown) => {
      this.deps.logger.warn('staff accounts download failed', { code: toStationError(error).code });
    });
  }

  #now(): number {
    return (this.deps.now ?? Date.now)();
  }
}
