import type { StationClient } from '../../../core/api/client.js';
import type { CallInput, CentralStatus } from '../../../core/contract/station-api.js';
import type { WireReply } from '../../../core/contract/wire.js';
import { toStationError, toWireError } from '../../../core/errors/station-error.js';
import type { SyncCall } from '../../sync/api-central-link.js';
import type { SyncEngineStatus } from '../../sync/sync-engine.js';
import { FromWorker, type MessageEndpoint, type ToWorker } from '../../sync/worker/sync-worker-protocol.js';

export interface SyncWorkerEvents {
  onStatus(status: SyncEngineStatus): void;
  onStarted(): void;
  onFailed(code: string, message: string): void;
}

export interface SyncWorkerHandle {
  syncNow(): void;
  wake(): void;
  requeue(confirmationIds?: readonly string[]): void;
  stop(): void;
}

/**
 * The window's side of the sync worker: starts it for the current enrollment and relays its central.*
 * calls to the host. Only the calls the protocol names are relayed (the schema rejects any other), so a
 * worker cannot reach the rest of the staff API.
 */
export function startSyncWorker(deps: {
  api: Pick<StationClient<'staff'>, 'call'>;
  endpoint: MessageEndpoint & { terminate?(): void };
  dbName: string;
  central: CentralStatus;
  /** The station's data key (non-extractable); the worker decrypts blobs to upload and encrypts roster photos. */
  dataKey: CryptoKey;
  events: SyncWorkerEvents;
}): SyncWorkerHandle {
  const { endpoint, events } = deps;
  const send = (message: ToWorker) => endpoint.postMessage(message);

  const onMessage = (event: MessageEvent) => {
    const parsed = FromWorker.safeParse(event.data);
    if (!parsed.success) return;
    const message = parsed.data;
    switch (message.type) {
      case 'call':
        void relay(message.method, message.payload).then((reply) => send({ type: 'reply', id: message.id, reply }));
        return;
      case 'status':
        events.onStatus(message.status);
        return;
      case 'started':
        events.onStarted();
        return;
      case 'failed':
        events.onFailed(message.code, message.message);
        return;
      case 'log':
        return;
    }
  };

  const relay = async (method: SyncCall, payload: unknown): Promise<WireReply> => {
    try {
      // The host validates the payload against the contract, as for any other call from this window.
      const value: unknown = await deps.api.call(method, payload as CallInput<'staff', SyncCall>);
      return { ok: true, value };
    } catch (thrown) {
      return { ok: false, error: toWireError(toStationError(thrown)) };
    }
  };

  endpoint.addEventListener('message', onMessage);
  const { central } = deps;
  send({
    type: 'start',
    dbName: deps.dbName,
    dataKey: deps.dataKey,
    ...(central.enrolled && central.pointCode ? { point: { code: central.pointCode, name: central.pointName ?? central.pointCode } } : {}),
  });

  return {
    syncNow: () => send({ type: 'sync-now' }),
    wake: () => send({ type: 'wake' }),
    requeue: (confirmationIds) => send({ type: 'requeue', ...(confirmationIds ? { confirmationIds: [...confirmationIds] } : {}) }),
    stop: () => {
      endpoint.removeEventListener('message', onMessage);
      endpoint.terminate?.();
    },
  };
}
