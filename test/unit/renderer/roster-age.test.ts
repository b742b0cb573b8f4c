import { describe, expect, it } from 'vitest';
import type { RosterMeta } from '../../../renderer/db/station-db.js';
import { rosterAge } from '../../../renderer/roster/roster-age.js';
import { nextUploadProgress } from '../../../renderer/staff/stores/sync-store.js';
import type { SyncEngineStatus } from '../../../renderer/sync/sync-engine.js';
import { rosterGate, type StationState } from '../../../renderer/staff/stores/station-store.js';
import { defaultFaceConfig } from '../../../core/contract/face-config.js';

const H = 3_600_000;
const now = Date.parse('2026-11-23T08:00:00Z');
const meta = (source: 'seed' | 'central', generatedAt: string, loadedAt: string): RosterMeta => ({
  key: 'roster',
  pointCode: 'ZZ-JS-01',
  pointName: '金水区',
  generatedAt,
  loadedAt,
  count: 40,
  synthetic: source === 'seed',
  source,
});

describe('roster age', () => {
  it('a bundled roster is as old as its export, a downloaded one as its last answered sync', () => {
    const seed = meta('seed', '2026-11-20T08:00:00Z', '2026-11-23T07:59:00Z');
    expect(rosterAge(seed, now - H, 24, now)).toEqual({ updatedAt: Date.parse('2026-11-20T08:00:00Z'), ageHours: 72, stale: true });
    const central = meta('central', '2026-11-21T00:00:00Z', '2026-11-21T00:00:00Z');
    expect(rosterAge(central, now - 2 * H, 24, now)).toMatchObject({ ageHours: 2, stale: false });
    expect(rosterAge(central, undefined, 24, now)).toMatchObject({ ageHours: 56, stale: true });
    expect(rosterAge(central, now - 24 * H, 24, now).stale).toBe(false);
    expect(rosterAge(central, now - 24 * H - 1, 24, now).stale).toBe(true);
  });

  it('a stale roster blocks until a supervisor approves; the gate follows the configured limit', () => {
    const state = {
      roster: { status: 'ready', meta: meta('seed', '2026-11-20T08:00:00Z', '2026-11-23T07:00:00Z') },
      info: { hostKind: 'browser', appVersion: 't', stationName: 't', simulatorsActive: true, policy: { rosterMaxAgeHours: 24, faceCheck: 'off', standardPhoto: 'off' }, face: defaultFaceConfig },
      rosterSyncAt: undefined,
      rosterOverride: undefined,
    } as unknown as StationState;
    expect(rosterGate(state, now)).toMatchObject({ blocked: true, limitHours: 24 });
    expect(rosterGate({ ...state, rosterOverride: { approvalId: 'x' } } as unknown as StationState, now)?.blocked).toBe(false);
    const lenient = { ...state, info: { ...state.info!, policy: { ...state.info!.policy, rosterMaxAgeHours: 100 } } } as StationState;
    expect(rosterGate(lenient, now)?.blocked).toBe(false);
    // A stricter limit from the province rules wins over the station's 100 h.
    expect(rosterGate(lenient, now, (hours) => Math.min(hours, 24))).toMatchObject({ blocked: true, limitHours: 24 });
    expect(rosterGate({ ...state, roster: { status: 'loading' } } as StationState, now)).toBeUndefined();
  });
});

describe('upload progress bar', () => {
  const status = (pendingCount: number, running: boolean) => ({ pendingCount, running: { upload: running, roster: false } }) as SyncEngineStatus;
  it('starts at the waiting count, fills as it drops, grows with records saved meanwhile, and ends with the pass', () => {
    let p = nextUploadProgress(undefined, status(100, true));
    expect(p).toEqual({ done: 0, total: 100 });
    p = nextUploadProgress(p, status(60, true));
    expect(p).toEqual({ done: 40, total: 100 });
    p = nextUploadProgress(p, status(65, true));
    expect(p).toEqual({ done: 40, total: 105 });
    p = nextUploadProgress(p, status(0, true));
    expect(p).toEqual({ done: 105, total: 105 });
    expect(nextUploadProgress(p, status(0, false))).toBeUndefined();
  });
});
