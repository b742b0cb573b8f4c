/** Time and timers, injectable so tests drive the engine without real waiting. */
export interface SyncClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The worker's own clock and timers (globalThis: there is no `window` in a worker). */
export const systemClock: SyncClock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};
