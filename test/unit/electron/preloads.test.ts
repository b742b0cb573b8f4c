import { beforeEach, describe, expect, it, vi } from 'vitest';

import { callNames, ipcChannels } from '../../../core/contract/channels.js';
import { WireReply } from '../../../core/contract/wire.js';

/**
 * The two preload entry points as Electron runs them, with 'electron' replaced by a recorder: what each one
 * puts into the page's world is exactly one frozen object with call and onEvent, and nothing of ipcRenderer.
 */
const exposed: { key: string; api: unknown }[] = [];
const invoke = vi.fn(async (..._args: unknown[]) => ({ ok: true, value: null }));
const ipcRenderer = { invoke, on: vi.fn(), removeListener: vi.fn(), send: vi.fn(), sendSync: vi.fn() };

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.push({ key, api }) },
  ipcRenderer,
}));

beforeEach(() => {
  exposed.length = 0;
  invoke.mockClear();
  vi.resetModules();
});

async function load(role: 'staff' | 'kiosk'): Promise<{ call(method: unknown, payload: unknown): Promise<unknown>; onEvent: unknown }> {
  await import(role === 'staff' ? '../../../electron/preload/staff.preload.js' : '../../../electron/preload/kiosk.preload.js');
  expect(exposed).toHaveLength(1);
  expect(exposed[0]?.key).toBe('stationBridge');
  return exposed[0]!.api as never;
}

describe('preload surface', () => {
  it.each(['staff', 'kiosk'] as const)('the %s preload exposes one frozen object: call and onEvent, no IPC object', async (role) => {
    const api = await load(role);
    expect(Object.keys(api).sort()).toEqual(['call', 'onEvent']);
    expect(Object.isFrozen(api)).toBe(true);
    for (const value of Object.values(api)) {
      expect(typeof value).toBe('function');
      expect(value).not.toBe(ipcRenderer.invoke);
    }
  });

  it('the kiosk preload refuses every staff method itself and sends only kiosk calls, on the kiosk channel', async () => {
    const api = await load('kiosk');
    for (const method of callNames.staff) {
      const reply = WireReply.parse(await api.call(method, {}));
      expect(reply.ok === false && reply.error.code, method).toBe('ACCESS_DENIED');
    }
    expect(invoke).not.toHaveBeenCalled();
    await api.call('kiosk.current', {});
    expect(invoke).toHaveBeenCalledWith(ipcChannels.kioskCall, 'kiosk.current', {});
  });

  it('the staff preload sends staff calls on the staff channel and refuses the kiosk answer call', async () => {
    const api = await load('staff');
    await api.call('print.toPdf', { document: 'receipt', recordId: 'x' });
    expect(invoke).toHaveBeenCalledWith(ipcChannels.staffCall, 'print.toPdf', { document: 'receipt', recordId: 'x' });
    const reply = WireReply.parse(await api.call('kiosk.respond', { kind: 'confirm' }));
    expect(reply.ok === false && reply.error.code).toBe('ACCESS_DENIED');
  });
});
