import type { Actor } from '../../core/contract/staff.js';
import { parseDayLog, type DayLog } from '../../core/day-log/day-log.js';
import { StationError, UnauthorizedError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';

/**
 * What the host checks before writing a day log the renderer sent: the log's shape (a trust boundary), that it
 * names the account signed in at this window as its maker, and that full citizen numbers come only from a
 * supervisor (the renderer holds the numbers, so the host cannot rely on it to mask them).
 */
export function checkDayLogExport(payload: unknown, signedIn: Actor | undefined): DayLog {
  if (!signedIn) throw new UnauthorizedError('day log export without a signed-in account', zhCN.dayLog.signInFirst);
  const log = parseDayLog(payload);
  if (log.generatedBy.accountId !== signedIn.accountId || log.generatedBy.role !== signedIn.role) {
    throw new StationError('ACCESS_DENIED', zhCN.dayLog.notYours, 'day log names another account as its maker');
  }
  if (log.fullNumbers && signedIn.role !== 'supervisor') {
    throw new StationError('ACCESS_DENIED', zhCN.dayLog.fullNumbersSupervisorOnly, 'full citizen numbers asked for by a non-supervisor');
  }
  return log;
}
