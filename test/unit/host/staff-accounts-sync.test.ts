import { describe, expect, it } from 'vitest';
import type { StaffAccountsReply } from '../../../core/contract/central-api.js';
import { CentralError } from '../../../core/errors/station-error.js';
import { silentLogger } from '../../../core/logging/logger.js';
import { STAFF_REFRESH_INTERVAL_MS, StaffAccountsSync } from '../../../host/central/staff-accounts-sync.js';

function rig(replies: (StaffAccountsReply | Error)[]) {
  let now = Date.parse('2026-11-24T09:00:00+08:00');
  const applied: string[][] = [];
  let downloads = 0;
  const sync = new StaffAccountsSync({
    download: async () => {
      downloads += 1;
      const next = replies.shift();
      if (!next || next instanceof Error) throw next ?? new Error('no reply');
      return next;
    },
    apply: async (_point, accounts) => {
      applied.push(accounts.map((a) => a.id));
    },
    logger: silentLogger,
    now: () => now,
  });
  return { sync, applied, downloads: () => downloads, advance: (ms: number) => (now += ms) };
}

const reply = (...ids: string[]): StaffAccountsReply => ({
  pointCode: 'ZZ-JS-01',
  accounts: ids.map((id) => ({ id, name: id, role: 'operator', passwordHash: 'scrypt$1024$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', disabled: false })),
});

describe('StaffAccountsSync', () => {
  it('downloads at enrollment, then after a finished roster sync at most once per interval', async () => {
    const { sync, applied, downloads, advance } = rig([reply('li', 'wang'), reply('wang'), reply('wang', 'zhou')]);
    await sync.refresh();
    expect(applied).toEqual([['li', 'wang']]);
    await sync.afterRosterSync();
    expect(downloads()).toBe(1);
    advance(STAFF_REFRESH_INTERVAL_MS);
    await sync.afterRosterSync();
    expect(applied).toEqual([['li', 'wang'], ['wang']]);
    advance(60_000);
    await sync.afterRosterSync();
    expect(downloads()).toBe(2);
    advance(STAFF_REFRESH_INTERVAL_MS);
    await sync.afterRosterSync();
    expect(applied.at(-1)).toEqual(['wang', 'zhou']);
  });

  it('keeps the stored list when a download fails: refresh reports it, the roster hook swallows it', async () => {
    const offline = new CentralError('TRANSPORT', '无法连接中心服务器', 'UNREACHABLE', true);
    const { sync, applied } = rig([offline, offline]);
    await expect(sync.refresh()).rejects.toBe(offline);
    const { sync: other } = rig([offline]);
    await expect(other.afterRosterSync()).resolves.toBeUndefined();
    expect(applied).toEqual([]);
  });
});
