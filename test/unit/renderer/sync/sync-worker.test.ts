import 'fake-indexeddb/auto';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { StationClient } from '../../../../core/api/client.js';
import type { ConfirmationUpload } from '../../../../core/contract/central-api.js';
import { createStationClient } from '../../../../core/api/client.js';
import { dispatcherFor } from '../../../support/fake-dispatch.js';
import { createSyncStore } from '../../../../renderer/staff/stores/sync-store.js';
import type { SyncEngineStatus } from '../../../../renderer/sync/sync-engine.js';
import { runSyncWorker } from '../../../../renderer/sync/worker/run-sync-worker.js';
import type { MessageEndpoint } from '../../../../renderer/sync/worker/sync-worker-protocol.js';
import { FakeCentral, closeAll, openDb, photo, revoked, saveRecords, testDataKey } from './sync-fixtures.js';
import { until } from '../../../support/eventually.js';

const stops: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  await closeAll();
});

/** Node's MessagePort is an EventTarget with the DOM's message event shape. */
const asEndpoint = (port: MessagePort) => port as unknown as MessageEndpoint & { terminate?(): void };

/**
 * The window's staff client, backed by a host whose central.* handlers talk to the fake server, so
 * replies and errors cross the same wire shape (WireReply) as in the app.
 */
function staffApi(central: FakeCentral, calls: string[]): StationClient<'staff'> {
  const dispatch = dispatcherFor('staff', {
    'central.status': async () => ({ enrolled: true, pointCode: 'ZZ-JS-01', pointName: '金水区确认点', stationId: '0190f4a8-0000-7000-8000-000000000001' }),
    'central.uploadBlob': async ({ sha256, mime, base64 }) => {
      await central.uploadBlob(sha256, mime, new Uint8Array(Buffer.from(base64, 'base64')));
      return { sha256, size: Buffer.from(base64, 'base64').length, created: true };
    },
    // The fake re-validates each item with the server's rules, as the real server does.
    'central.uploadBatch': async ({ confirmations }) => central.uploadBatch(confirmations as unknown as ConfirmationUpload[]),
    'central.rosterDelta': async ({ cursor, limit }) => central.rosterDelta(cursor ?? '', limit),
    'central.fetchBlob': async ({ sha256 }) => central.fetchBlob(sha256),
    'devices.list': async () => [],
  });
  return createStationClient('staff', {
    call: (method, payload) => {
      calls.push(method);
      return dispatch(method, payload);
    },
    onEvent: () => () => undefined,
  });
}

function setup() {
  const db = openDb();
  const central = new FakeCentral();
  const calls: string[] = [];
  const api = staffApi(central, calls);
  const sync = createSyncStore({
    api,
    dbName: db.name,
    dataKey: testDataKey,
    createWorker: () => {
      const channel = new MessageChannel();
      const worker = runSyncWorker(asEndpoint(channel.port1), { idleRecheckMs: 60_000 });
      stops.push(async () => {
        await worker.stop();
        channel.port1.close();
        channel.port2.close();
      });
      return Object.assign(asEndpoint(channel.port2), { terminate: () => undefined });
    },
  });
  stops.push(() => sync.getState().stop());
  return { db, central, calls, sync };
}

describe('sync worker and its window relay', () => {
  it('uploads saved records through the relayed central.* calls and reports an empty outbox', async () => {
    const { db, central, sync } = setup();
    const ids = await saveRecords(db, 7, { blobs: (i) => [photo(i + 1)] });
    await sync.getState().start();
    await until(() => sync.getState().engine.state === 'running', 'engine start');
    sync.getState().syncNow();
    await until(() => central.records.size === 7 && sync.getState().status?.pendingCount === 0, 'upload');
    expect([...central.records.keys()].sort()).toEqual([...ids].sort());
    expect(central.blobs.size).toBe(7);
    expect(await db.outbox.count()).toBe(0);
    const status = sync.getState().status as SyncEngineStatus;
    expect(status.lastSuccessAt).toBeTypeOf('number');
    expect(status.currentError).toBeUndefined();
  });

  it("carries the server's reason across the worker boundary: a revoked station lands in 需处理, requeue sends again", async () => {
    const { db, central, sync } = setup();
    await saveRecords(db, 2);
    central.beforeBatch = () => {
      throw revoked();
    };
    await sync.getState().start();
    await until(() => sync.getState().engine.state === 'running', 'engine start');
    sync.getState().syncNow();
    await until(() => (sync.getState().status?.needsAttention.length ?? 0) === 2, '需处理');
    const status = sync.getState().status!;
    expect(status.needsAttention[0]).toMatchObject({ code: 'STATION_REVOKED' });
    expect(status.currentError).toMatchObject({ code: 'STATION_REVOKED', transient: false });

    central.beforeBatch = undefined;
    sync.getState().requeue();
    sync.getState().syncNow();
    // The server holding both is not enough: the station applies the reply after it, and the status says so.
    await until(
      () => central.records.size === 2 && sync.getState().status?.needsAttention.length === 0 && sync.getState().status?.pendingCount === 0,
      'requeued upload applied',
    );
    expect(await db.outbox.count()).toBe(0);
  });

  it('starts only with the data key: a start message without one (or with another kind of key) is refused', async () => {
    const { ToWorker } = await import('../../../../renderer/sync/worker/sync-worker-protocol.js');
    expect(ToWorker.safeParse({ type: 'start', dbName: 'x', dataKey: testDataKey }).success).toBe(true);
    expect(ToWorker.safeParse({ type: 'start', dbName: 'x' }).success).toBe(false);
    expect(ToWorker.safeParse({ type: 'start', dbName: 'x', dataKey: { algorithm: { name: 'AES-GCM' } } }).success).toBe(false);
    const hmac = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    expect(ToWorker.safeParse({ type: 'start', dbName: 'x', dataKey: hmac }).success).toBe(false);
  });

  it('relays only the sync calls: a worker message naming another staff call is ignored', async () => {
    const calls: string[] = [];
    const channel = new MessageChannel();
    const endpoint = asEndpoint(channel.port2);
    const { startSyncWorker } = await import('../../../../renderer/staff/services/sync-worker-host.js');
    const handle = startSyncWorker({
      api: staffApi(new FakeCentral(), calls),
      endpoint,
      dbName: 'unused',
      dataKey: testDataKey,
      central: { enrolled: false },
      events: { onStatus: () => undefined, onStarted: () => undefined, onFailed: () => undefined },
    });
    stops.push(() => {
      handle.stop();
      channel.port1.close();
    });
    const replies: unknown[] = [];
    channel.port1.on('message', (message: unknown) => replies.push(message));
    channel.port1.postMessage({ type: 'call', id: 1, method: 'devices.list', payload: {} });
    channel.port1.postMessage({ type: 'call', id: 2, method: 'central.rosterDelta', payload: { cursor: '', limit: 10 } });
    await until(() => replies.some((r) => (r as { type?: string; id?: number }).type === 'reply'), 'relayed reply');
    expect(calls).toEqual(['central.rosterDelta']);
    expect(replies.filter((r) => (r as { type?: string }).type === 'reply')).toEqual([
      { type: 'reply', id: 2, reply: { ok: true, value: { entries: [], nextCursor: '0', done: true, remaining: 0 } } },
    ]);
  });
});
