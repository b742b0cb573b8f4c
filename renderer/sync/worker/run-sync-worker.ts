import { createStationClient, type StationTransport } from '../../../core/api/client.js';
import { toStationError } from '../../../core/errors/station-error.js';
import { StationDb } from '../../db/station-db.js';
import { apiCentralLink } from '../api-central-link.js';
import { AuditStage } from '../audit-stage.js';
import { RosterStage } from '../roster-stage.js';
import { SyncEngine } from '../sync-engine.js';
import { UploadStage } from '../upload-stage.js';
import { FromWorker, ToWorker, type MessageEndpoint } from './sync-worker-protocol.js';

/**
 * The sync worker's body, on any message endpoint (the worker global in the app, a MessagePort in tests).
 * One engine per worker; the window starts it once it knows the enrollment and restarts the worker when
 * the enrollment changes.
 */
export function runSyncWorker(
  endpoint: MessageEndpoint,
  options: {
    idleRecheckMs?: number;
    /** Resolves once this worker may run the engine (holds the origin's sync lock); messages are heard meanwhile. */
    exclusive?: () => Promise<void>;
  } = {},
): { stop(): Promise<void> } {
  const post = (message: FromWorker) => endpoint.postMessage(message);
  const pending = new Map<number, (reply: unknown) => void>();
  let nextId = 0;
  let ready: Promise<SyncEngine> | undefined;
  let db: StationDb | undefined;
  let stopping = false;

  const transport: StationTransport = {
    call: (method, payload) =>
      new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        post(FromWorker.parse({ type: 'call', id, method, payload }));
      }),
    onEvent: () => () => undefined,
  };
  const api = createStationClient('staff', transport);

  const withEngine = (command: (engine: SyncEngine) => unknown) => {
    // A failed start was reported once already; a command after it has nothing to act on.
    void ready?.then(command).catch(() => undefined);
  };

  const onMessage = (event: MessageEvent) => {
    const parsed = ToWorker.safeParse(event.data);
    if (!parsed.success) return;
    const message = parsed.data;
    // While stopping, only replies: a pass waiting on a relayed call must be able to end.
    if (stopping && message.type !== 'reply') return;
    switch (message.type) {
      case 'reply': {
        const resolve = pending.get(message.id);
        pending.delete(message.id);
        resolve?.(message.reply);
        return;
      }
      case 'start': {
        if (ready) return;
        const opened = new StationDb(message.dbName, { dataKey: message.dataKey });
        db = opened;
        const link = apiCentralLink(api);
        const engine = new SyncEngine({
          db: opened,
          upload: new UploadStage(opened, link),
          // Enrolled: the roster comes down and the audit chain goes up, each in its own loop.
          ...(message.point ? { roster: new RosterStage(opened, link, { point: message.point }), audit: new AuditStage(opened, link) } : {}),
          ...(options.idleRecheckMs === undefined ? {} : { idleRecheckMs: options.idleRecheckMs }),
          onStatus: (status) => post({ type: 'status', status }),
          log: (name, fields) => post({ type: 'log', event: name, fields }),
        });
        ready = (options.exclusive ?? (() => Promise.resolve()))()
          .then(() => engine.start())
          .then(() => engine);
        ready.then(
          () => post({ type: 'started' }),
          (thrown: unknown) => {
            const error = toStationError(thrown);
            post({ type: 'failed', code: error.code, message: error.userMessage });
          },
        );
        return;
      }
      // Commands wait for a started engine: a pass must never run before recovery.
      case 'sync-now':
        withEngine((engine) => engine.syncNow());
        return;
      case 'wake':
        withEngine((engine) => engine.wake());
        return;
      case 'requeue':
        withEngine((engine) => engine.requeue(message.confirmationIds));
        return;
    }
  };
  endpoint.addEventListener('message', onMessage);

  return {
    async stop() {
      stopping = true;
      const engine = await ready?.catch(() => undefined);
      await engine?.stop();
      endpoint.removeEventListener('message', onMessage);
      db?.close();
    },
  };
}
