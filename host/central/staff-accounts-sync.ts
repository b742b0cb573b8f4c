import type { StaffAccountsReply } from '../../core/contract/central-api.js';
import type { StaffAccount } from '../../core/contract/staff.js';
import type { Logger } from '../../core/logging/logger.js';
import { AFTER_SYNC_INTERVAL_MS, AfterSyncDownload } from './after-sync-download.js';

/** A finished roster sync refreshes the accounts at most this often (the sync engine may finish every minute). */
export const STAFF_REFRESH_INTERVAL_MS = AFTER_SYNC_INTERVAL_MS;

/**
 * Downloads the point's staff accounts: at enrollment, and after a roster sync completes (throttled). A failed
 * download keeps the stored list, so sign-in goes on offline with what the station had.
 */
export class StaffAccountsSync extends AfterSyncDownload<StaffAccountsReply> {
  constructor(deps: {
    download: () => Promise<StaffAccountsReply>;
    apply: (pointCode: string, accounts: readonly StaffAccount[]) => Promise<void>;
    logger: Logger;
    now?: () => number;
    minIntervalMs?: number;
  }) {
    super({
      ...deps,
      what: 'staff accounts',
      apply: (reply) => deps.apply(reply.pointCode, reply.accounts),
      summary: (reply) => ({ accounts: reply.accounts.length }),
    });
  }
}
