import { createStore, type StoreApi } from 'zustand/vanilla';
import type { HostReadiness } from '../../../core/contract/station-api.js';
import { assessReadiness, type ReadinessInput, type ReadinessProblem } from '../services/readiness.js';

export interface ReadinessState {
  problems: ReadinessProblem[];
  /** The host's figures from the last check (disk, clock). */
  host: HostReadiness | undefined;
  checking: boolean;
  /** Asks the host again and reassesses everything. */
  check(): Promise<void>;
  /** Reassesses with the last host figures (devices, roster or backlog changed). */
  refresh(): void;
}

export function createReadinessStore(deps: {
  probe: () => Promise<HostReadiness>;
  /** Everything but the host's figures, read from the other stores at the moment of the check. */
  inputs: () => Omit<ReadinessInput, 'host' | 'now'>;
  now?: () => number;
}): StoreApi<ReadinessState> {
  const now = deps.now ?? Date.now;
  return createStore<ReadinessState>()((set, get) => ({
    problems: [],
    host: undefined,
    checking: false,
    async check() {
      set({ checking: true });
      let host: HostReadiness | undefined;
      try {
        host = await deps.probe();
      } catch {
        // The host is unreachable: the connection indicator says so; assess what the window knows.
        host = get().host;
      }
      set({ host, checking: false, problems: assessReadiness({ ...deps.inputs(), host, now: now() }) });
    },
    refresh() {
      set({ problems: assessReadiness({ ...deps.inputs(), host: get().host, now: now() }) });
    },
  }));
}
