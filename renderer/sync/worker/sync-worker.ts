/// <reference lib="webworker" />
import { runSyncWorker } from './run-sync-worker.js';

/**
 * The sync worker's entry. A Web Lock makes it the only engine for this origin's database, so a second
 * staff window (or a reload racing the old page) cannot run a second engine beside it. The lock is held
 * for the worker's lifetime and released by the browser when the worker ends.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;

function holdSyncLock(): Promise<void> {
  if (!('locks' in navigator)) return Promise.resolve();
  return new Promise<void>((acquired) => {
    void navigator.locks.request('xianchang-station-sync', () => {
      acquired();
      return new Promise<never>(() => undefined);
    });
  });
}

runSyncWorker(scope, { exclusive: holdSyncLock });
