import { describe, expect, it, vi } from 'vitest';

import { createStationClient, RemoteStationError } from '../../../core/api/client.js';
import { ipcChannels } from '../../../core/contract/channels.js';
import { WireReply } from '../../../core/contract/wire.js';
import { parseStationConfig } from '../../../host/config/station-config.js';
import { silentLogger } from '../../../core/logging/logger.js';
import { createStationHost } from '../../../host/station-host.js';
import { registerIpcRouter, type IpcInvokeEventLike, type IpcMainLike } from '../../../electron/main/ipc-router.js';
import { createPreloadBridge, type IpcListener, type IpcRendererLike } from '../../../electron/preload/bridge.js';

class FakeIpcRenderer implements IpcRendererLike {
  readonly listeners = new Map<string, Set<IpcListener>>();
  readonly invoke = vi.fn(async (_channel: string, ..._args: unknown[]): Promise<unknown> => ({ ok: true, value: 'from-main' }));
  on(channel: string, listener: IpcListener): this {
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    set.add(listener);
    return this;
  }
  removeListener(channel: string, listener: IpcListener): this {
    this.listeners.get(channel)?.delete(listener);
    return this;
  }
  /** What Electron does when main calls webContents.send(channel, ...args). */
  emit(channel: string, event: unknown, ...args: unknown[]): void {
    for (const listener of this.listeners.get(channel) ?? []) listener(event, ...args);
  }
  count(channel: string): number {
    return this.listeners.get(channel)?.size ?? 0;
  }
}

describe('createPreloadBridge: calls', () => {
  it('the kiosk bridge refuses a staff method without touching ipcRenderer', async () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createPreloadBridge('kiosk', ipc);
    const reply = WireReply.parse(await bridge.call('roster.loadSeed', {}));
    expect(reply.ok).toBe(false);
    expect(reply.ok === false && reply.error.code).toBe('ACCESS_DENIED');
    expect(reply.ok === false && reply.error.detail).toBe('kiosk bridge may not call roster.loadSeed');
    expect(ipc.invoke).not.toHaveBeenCalled();
  });

  it.each([
    ['an unknown method', 'station.shutdown'],
    ['a prototype key', 'constructor'],
    ['a prototype key', '__proto__'],
    ['a non-string method', 42],
  ])('the staff bridge refuses %s locally', async (_label, method) => {
    const ipc = new FakeIpcRenderer();
    const reply = WireReply.parse(await createPreloadBridge('staff', ipc).call(method as string, {}));
    expect(reply.ok === false && reply.error.code).toBe('ACCESS_DENIED');
    expect(ipc.invoke).not.toHaveBeenCalled();
  });

  it('the staff bridge forwards its own methods to the staff channel, reply untouched', async () => {
    const ipc = new FakeIpcRenderer();
    const payload = { kind: 'idle' };
    const result = await createPreloadBridge('staff', ipc).call('kiosk.show', payload);
    expect(ipc.invoke).toHaveBeenCalledExactlyOnceWith(ipcChannels.staffCall, 'kiosk.show', payload);
    expect(result).toStrictEqual({ ok: true, value: 'from-main' });
  });

  it('the kiosk bridge forwards its own methods to the kiosk channel', async () => {
    const ipc = new FakeIpcRenderer();
    await createPreloadBridge('kiosk', ipc).call('kiosk.current', {});
    expect(ipc.invoke).toHaveBeenCalledExactlyOnceWith(ipcChannels.kioskCall, 'kiosk.current', {});
  });

  it('lets an IPC failure reject, which the client reports as TRANSPORT', async () => {
    const ipc = new FakeIpcRenderer();
    ipc.invoke.mockRejectedValueOnce(new Error("No handler registered for 'station:staff:call'"));
    const client = createStationClient('staff', createPreloadBridge('staff', ipc));
    await expect(client.call('station.info', {})).rejects.toMatchObject({ code: 'TRANSPORT' });
  });

  it('a local refusal surfaces in the typed client as a RemoteStationError ACCESS_DENIED', async () => {
    const client = createStationClient('kiosk', createPreloadBridge('kiosk', new FakeIpcRenderer()));
    const untypedCall = client.call as (method: string, payload: unknown) => Promise<unknown>;
    const failure = untypedCall('roster.loadSeed', {});
    await expect(failure).rejects.toBeInstanceOf(RemoteStationError);
    await expect(failure).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
  });
});

describe('createPreloadBridge: events', () => {
  it('passes only (name, payload) to the page, never the IpcRendererEvent', () => {
    const ipc = new FakeIpcRenderer();
    const listener = vi.fn();
    createPreloadBridge('kiosk', ipc).onEvent(listener);
    const ipcEvent = { sender: ipc, senderId: 0, ports: [] };
    ipc.emit(ipcChannels.event, ipcEvent, 'kiosk.view', { kind: 'idle' });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener.mock.calls[0]).toStrictEqual(['kiosk.view', { kind: 'idle' }]);
    expect(listener.mock.calls.flat()).not.toContain(ipcEvent);
    expect(listener.mock.calls.flat()).not.toContain(ipc);
  });

  it('listens on the event channel only and ignores frames without a string name', () => {
    const ipc = new FakeIpcRenderer();
    const listener = vi.fn();
    createPreloadBridge('staff', ipc).onEvent(listener);
    expect([...ipc.listeners.keys()]).toStrictEqual([ipcChannels.event]);
    ipc.emit(ipcChannels.event, {}, 42, { x: 1 });
    ipc.emit(ipcChannels.event, {});
    expect(listener).not.toHaveBeenCalled();
  });

  it('unsubscribes exactly its own listener, once', () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createPreloadBridge('staff', ipc);
    const first = vi.fn();
    const second = vi.fn();
    const offFirst = bridge.onEvent(first);
    bridge.onEvent(second);
    expect(ipc.count(ipcChannels.event)).toBe(2);
    offFirst();
    offFirst();
    expect(ipc.count(ipcChannels.event)).toBe(1);
    ipc.emit(ipcChannels.event, {}, 'devices.changed', []);
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledExactlyOnceWith('devices.changed', []);
  });
});

describe('createPreloadBridge: shape', () => {
  it('is a plain frozen object with exactly call and onEvent', () => {
    const bridge = createPreloadBridge('kiosk', new FakeIpcRenderer());
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.getPrototypeOf(bridge)).toBe(Object.prototype);
    expect(Object.keys(bridge).sort()).toStrictEqual(['call', 'onEvent']);
    expect(typeof bridge.call).toBe('function');
    expect(typeof bridge.onEvent).toBe('function');
    expect(() => {
      (bridge as { call: unknown }).call = () => Promise.resolve({ ok: true, value: 'forged' });
    }).toThrow(TypeError);
  });
});

describe('preload bridge ↔ IPC router ↔ StationHost', () => {
  it('a staff client reaches the real host through the bridge and the router', async () => {
    const host = await createStationHost({
      hostKind: 'electron',
      appVersion: '1.2.3',
      config: parseStationConfig({}, 'test'),
      defaultRosterSeedFile: '/nonexistent/roster.json',
      logger: silentLogger,
      deviceSlots: [],
    });
    const handlers = new Map<string, (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
    const ipcMain: IpcMainLike = { handle: (c, l) => void handlers.set(c, l), removeHandler: (c) => void handlers.delete(c) };
    const staffContents = { id: 7, isDestroyed: () => false, send: vi.fn() };
    const dispose = registerIpcRouter({ ipcMain, host, webContentsFor: (role) => (role === 'staff' ? staffContents : undefined) });
    const ipc = new FakeIpcRenderer();
    ipc.invoke.mockImplementation(async (channel, ...args) =>
      handlers.get(channel)!({ sender: staffContents, senderFrame: { url: 'app://station/staff' } }, ...args),
    );
    try {
      const client = createStationClient('staff', createPreloadBridge('staff', ipc));
      const info = await client.call('station.info', {});
      expect(info.hostKind).toBe('electron');
      expect(info.appVersion).toBe('1.2.3');
    } finally {
      dispose();
      await host.close();
    }
  });
});

describe('zod-free call names used by the preloads', () => {
  it('list exactly the calls of each bridge in the contract', async () => {
    const { callNames } = await import('../../../core/contract/channels.js');
    const { stationApi } = await import('../../../core/contract/station-api.js');
    expect([...callNames.staff].sort()).toStrictEqual(Object.keys(stationApi.staff.calls).sort());
    expect([...callNames.kiosk].sort()).toStrictEqual(Object.keys(stationApi.kiosk.calls).sort());
  });
});
