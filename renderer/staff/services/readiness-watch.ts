import type { StoreApi } from 'zustand/vanilla';
import type { RulesState } from '../../rules/rules-store.js';
import type { CheckInState } from '../stores/check-in-store.js';
import type { ReadinessState } from '../stores/readiness-store.js';
import type { StationState } from '../stores/station-store.js';
import type { SyncState } from '../stores/sync-store.js';

/** While waiting for the next candidate, the host's figures are read again this often. */
const RECHECK_MS = 60_000;

/**
 * Runs the readiness check before each candidate (whenever the desk is back at 查找考生), reassesses when
 * devices, roster or backlog change, and re-reads disk and clock every minute while nobody is being served.
 * With `rules`, also when the desk adopts another province bundle: it may require a step (and so a device) the
 * station config had switched off.
 */
export function watchReadiness(deps: {
  readiness: StoreApi<ReadinessState>;
  station: StoreApi<StationState>;
  sync: StoreApi<SyncState>;
  checkIn: StoreApi<CheckInState>;
  rules?: Pick<StoreApi<RulesState>, 'subscribe'>;
}): () => void {
  const { readiness } = deps;
  const waiting = () => deps.checkIn.getState().flow.step === 'identify';
  void readiness.getState().check();
  const stops: (() => void)[] = [
    deps.checkIn.subscribe((state, previous) => {
      if (state.flow.step === 'identify' && previous.flow.step !== 'identify') void readiness.getState().check();
    }),
    deps.station.subscribe((state, previous) => {
      if (state.devices !== previous.devices || state.camera !== previous.camera || state.gate !== previous.gate || state.info !== previous.info) {
        readiness.getState().refresh();
      }
    }),
    deps.sync.subscribe((state, previous) => {
      if (state.status !== previous.status || state.central !== previous.central) readiness.getState().refresh();
    }),
  ];
  if (deps.rules) {
    stops.push(
      deps.rules.subscribe((state, previous) => {
        if (state.active !== previous.active) readiness.getState().refresh();
      }),
    );
  }
  const timer = setInterval(() => {
    if (waiting()) void readiness.getState().check();
  }, RECHECK_MS);
  return () => {
    stops.forEach((stop) => stop());
    clearInterval(timer);
  };
}
