import { describe, expect, it } from 'vitest';
import { rosterBar, syncView } from '../../../renderer/staff/services/sync-view.js';
import type { SyncEngineStatus } from '../../../renderer/sync/sync-engine.js';

function status(over: Partial<SyncEngineStatus> = {}): SyncEngineStatus {
  return {
    pendingCount: 0,
    needsAttention: [],
    running: { upload: false, roster: false },
    roster: { progress: undefined, lastSuccessAt: undefined, lastError: undefined },
    ...over,
  } as SyncEngineStatus;
}

describe('sync view (one status, no contradicting lines)', () => {
  it('never says "all synced" and "never synced" at once', () => {
    expect(syncView(status())!.uploadLine).toBe('暂无待上传的确认记录');
    // Today's upload shows the time; an older one its date (relative to the clock the test runs at).
    expect(syncView(status({ lastSuccessAt: Date.now() }))!.uploadLine).toMatch(/^全部已上传 · 上次上传 \d\d:\d\d/);
    expect(syncView(status({ lastSuccessAt: Date.now() - 3 * 86_400_000 }))!.uploadLine).toMatch(/^全部已上传 · 上次上传 \d+月\d+日/);
    expect(syncView(status({ pendingCount: 2 }))!.uploadLine).toBe('待同步 2 条');
  });

  it('the roster bar is a fraction of entries and photos that ends at 100 %', () => {
    expect(rosterBar({ received: 20, total: 40, done: false, photosFetched: 0, photosQueued: 0 })).toEqual({ percent: 50, detail: '已接收 20/40 人' });
    expect(rosterBar({ received: 40, total: 40, done: false, photosFetched: 10, photosQueued: 40 })).toEqual({
      percent: 62,
      detail: '已接收 40/40 人 · 照片 10/40',
    });
    expect(rosterBar({ received: 40, total: 40, done: true, photosFetched: 40, photosQueued: 40 })).toEqual({
      percent: 100,
      detail: '名单已下载 40 人 · 照片 40/40',
    });
    // A station that stored progress before the server sent totals: indeterminate, not a wrong fraction.
    expect(rosterBar({ received: 40, total: 0, done: false, photosFetched: 0, photosQueued: 0 })!.percent).toBeUndefined();
  });
});
