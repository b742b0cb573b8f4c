import type { StoreApi } from 'zustand/vanilla';
import type { SupervisorApproval } from '../../../core/contract/supervisor.js';
import { effectiveRosterMaxAgeHours } from '../../../core/rules/apply.js';
import type { RulesState } from '../../rules/rules-store.js';
import type { RosterRepository } from '../../roster/roster-repository.js';
import { rosterGate, type StationState } from '../stores/station-store.js';
import type { SyncState } from '../stores/sync-store.js';

/**
 * Keeps the staff screen's roster facts current: after each roster download the stored meta (point,
 * count) is read again, and the roster-age gate is recomputed on every change and once a minute. A
 * supervisor's stale-roster approval ends when the roster is brought up to date. With `rules`, the limit is the
 * stricter of the station's and the active province bundle's, recomputed when the desk adopts another bundle.
 */
export function watchRoster(deps: {
  station: StoreApi<StationState>;
  sync: StoreApi<SyncState>;
  roster: Pick<RosterRepository, 'meta'>;
  rules?: Pick<StoreApi<RulesState>, 'getState' | 'subscribe'>;
  now?: () => number;
}): () => void {
  const now = deps.now ?? Date.now;
  const { station, sync, rules } = deps;
  const limit = rules ? (stationLimit: number) => effectiveRosterMaxAgeHours(stationLimit, rules.getState().active.bundle) : undefined;

  const regate = () => {
    const next = rosterGate(station.getState(), now(), limit);
    const current = station.getState().gate;
    if (JSON.stringify(next) !== JSON.stringify(current)) station.setState({ gate: next });
  };

  const stopStation = station.subscribe((state, previous) => {
    if (state.roster !== previous.roster || state.info !== previous.info || state.rosterSyncAt !== previous.rosterSyncAt || state.rosterOverride !== previous.rosterOverride) {
      regate();
    }
  });

  const stopSync = sync.subscribe((state, previous) => {
    const at = state.status?.roster.lastSuccessAt;
    const received = state.status?.roster.progress?.received;
    if (at === previous.status?.roster.lastSuccessAt && received === previous.status?.roster.progress?.received) return;
    void deps.roster.meta().then((meta) => {
      const fresh = at !== undefined && at !== station.getState().rosterSyncAt;
      station.setState({
        ...(meta ? { roster: { status: 'ready', meta } } : {}),
        rosterSyncAt: at,
        ...(fresh ? { rosterOverride: undefined } : {}),
      });
    });
  });

  // Only the active bundle counts: one that waits for the next candidate does not change the gate yet.
  const stopRules = rules?.subscribe((state, previous) => {
    if (state.active !== previous.active) regate();
  });

  regate();
  const timer = setInterval(regate, 60_000);
  return () => {
    clearInterval(timer);
    stopStation();
    stopSync();
    stopRules?.();
  };
}

/** 主管授权继续办理 on a stale roster. */
export async function overrideStaleRoster(deps: {
  station: StoreApi<StationState>;
  ask: (action: 'roster-stale') => Promise<SupervisorApproval | undefined>;
}): Promise<void> {
  const approval = await deps.ask('roster-stale');
  if (approval) deps.station.setState({ rosterOverride: approval });
}
