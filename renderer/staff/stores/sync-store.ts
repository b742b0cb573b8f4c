import { createStore, type StoreApi } from 'zustand/vanilla';
import type { StationClient } from '../../../core/api/client.js';
import type { CallInput, CentralStatus } from '../../../core/contract/station-api.js';
import { toStationError } from '../../../core/errors/station-error.js';
import type { SyncEngineStatus } from '../../sync/sync-engine.js';
import type { MessageEndpoint } from '../../sync/worker/sync-worker-protocol.js';
import { startSyncWorker, type SyncWorkerHandle } from '../services/sync-worker-host.js';

export type EngineState = { state: 'off' } | { state: 'starting' } | { state: 'running' } | { state: 'failed'; message: string };

export interface Progress {
  done: number;
  total: number;
}

/** What the staff window shows about sync and the central server. */
export interface SyncState {
  central: CentralStatus | undefined;
  engine: EngineState;
  status: SyncEngineStatus | undefined;
  /** This upload pass: records answered out of those waiting when it began. */
  uploadProgress: Progress | undefined;
  enrollment: { status: 'idle' } | { status: 'busy' } | { status: 'failed'; message: string };
  enrollOpen: boolean;
  setEnrollOpen(open: boolean): void;
  /** Reads the enrollment and starts the engine for it. */
  start(): Promise<void>;
  enroll(request: CallInput<'staff', 'central.enroll'>): Promise<boolean>;
  syncNow(): void;
  /** A confirmation was saved. */
  wake(): void;
  requeue(confirmationIds?: readonly string[]): void;
  stop(): void;
}

export interface SyncDeps {
  api: Pick<StationClient<'staff'>, 'call'>;
  /** A new sync worker (the app's Web Worker; a MessagePort-backed one in tests). */
  createWorker: () => MessageEndpoint & { terminate?(): void };
  dbName: string;
  /** The station's data key, handed to each worker in its start message. */
  dataKey: CryptoKey;
}

export function createSyncStore(deps: SyncDeps): StoreApi<SyncState> {
  let worker: SyncWorkerHandle | undefined;

  return createStore<SyncState>()((set, get) => {
    const launch = (central: CentralStatus) => {
      worker?.stop();
      set({ engine: { state: 'starting' }, uploadProgress: undefined });
      worker = startSyncWorker({
        api: deps.api,
        endpoint: deps.createWorker(),
        dbName: deps.dbName,
        dataKey: deps.dataKey,
        central,
        events: {
          onStarted: () => set({ engine: { state: 'running' } }),
          onFailed: (_code, message) => set({ engine: { state: 'failed', message } }),
          onStatus: (status) => set({ status, uploadProgress: nextUploadProgress(get().uploadProgress, status) }),
        },
      });
    };

    return {
      central: undefined,
      engine: { state: 'off' },
      status: undefined,
      uploadProgress: undefined,
      enrollment: { status: 'idle' },
      enrollOpen: false,
      setEnrollOpen: (enrollOpen) => set({ enrollOpen, enrollment: { status: 'idle' } }),

      async start() {
        let central: CentralStatus;
        try {
          central = await deps.api.call('central.status', {});
        } catch (error) {
          // Without the station's identity nothing can be sent; records still save locally.
          set({ engine: { state: 'failed', message: toStationError(error).userMessage } });
          return;
        }
        set({ central });
        launch(central);
      },

      async enroll(request) {
        set({ enrollment: { status: 'busy' } });
        try {
          const central = await deps.api.call('central.enroll', request);
          set({ central, enrollment: { status: 'idle' }, enrollOpen: false });
          // The new point's roster and the records waiting for it: a fresh engine for this enrollment.
          launch(central);
          return true;
        } catch (error) {
          set({ enrollment: { status: 'failed', message: toStationError(error).userMessage } });
          return false;
        }
      },

      syncNow: () => worker?.syncNow(),
      wake: () => worker?.wake(),
      requeue: (ids) => worker?.requeue(ids),
      stop() {
        worker?.stop();
        worker = undefined;
        set({ engine: { state: 'off' } });
      },
    };
  });
}

/**
 * The upload bar: when a pass starts, everything waiting is its total; it fills as the waiting count
 * drops. Records saved during the pass raise the total rather than moving the bar backwards.
 */
export function nextUploadProgress(previous: Progress | undefined, status: SyncEngineStatus): Progress | undefined {
  if (!status.running.upload) return undefined;
  const waiting = status.pendingCount;
  if (!previous) return { done: 0, total: waiting };
  const total = Math.max(previous.total, previous.done + waiting);
  return { done: total - waiting, total };
}
