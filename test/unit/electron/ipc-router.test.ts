import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { Role } from '../../../core/contract/station-api.js';
import { callNames, ipcChannels } from '../../../core/contract/channels.js';
import { WireReply } from '../../../core/contract/wire.js';
import { parseStationConfig } from '../../../host/config/station-config.js';
import { silentLogger } from '../../../core/logging/logger.js';
import { createStationHost, type StationHost } from '../../../host/station-host.js';
import {
  registerIpcRouter,
  type IpcInvokeEventLike,
  type IpcMainLike,
  type WebContentsLike,
} from '../../../electron/main/ipc-router.js';

type Handler = (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>;

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What ipcRenderer.invoke(channel, method, payload) would produce in the main process. */
  async invoke(channel: string, event: IpcInvokeEventLike, method: unknown, payload: unknown): Promise<WireReply> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return WireReply.parse(await handler(event, method, payload));
  }
}

class FakeWebContents implements WebContentsLike {
  readonly sent: unknown[][] = [];
  destroyed = false;
  constructor(readonly id: number) {}
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, ...args]);
  }
}

const STAFF_URL = 'app://station/staff';
const KIOSK_URL = 'app://station/kiosk';
const from = (sender: FakeWebContents, url: string | null): IpcInvokeEventLike => ({
  sender,
  senderFrame: url === null ? null : { url },
});

const candidateView = {
  kind: 'verify-info',
  sessionId: '0b5f8a52-3c1e-4f7a-9d2b-6e4c8a1f0d3e',
  candidate: {
    name: '张三',
    citizenIdMasked: '110101********123X',
    sex: 'male',
    candidateType: 'fresh-graduate',
    major: '计算机科学与技术',
    examCity: '北京',
    confirmationPoint: '北京大学',
    registrationNo: '2025ABC123',
  },
} as const;

const config = parseStationConfig({}, 'test');
let host: StationHost;
let ipc: FakeIpcMain;
let staff: FakeWebContents;
let kiosk: FakeWebContents;
let dispose: () => void;
let windows: Partial<Record<Role, FakeWebContents>>;

beforeEach(async () => {
  host = await createStationHost({
    hostKind: 'electron',
    appVersion: '9.9.9',
    config,
    defaultRosterSeedFile: '/nonexistent/roster.json',
    logger: silentLogger,
    deviceSlots: [],
  });
  ipc = new FakeIpcMain();
  staff = new FakeWebContents(1);
  kiosk = new FakeWebContents(2);
  windows = { staff, kiosk };
  dispose = registerIpcRouter({ ipcMain: ipc, host, webContentsFor: (role) => windows[role], logger: silentLogger });
});

afterEach(async () => {
  dispose();
  await host.close();
});

describe('registerIpcRouter: calls', () => {
  it('registers exactly the two call channels', () => {
    expect([...ipc.handlers.keys()].sort()).toStrictEqual([ipcChannels.kioskCall, ipcChannels.staffCall].sort());
  });

  it('serves a staff call from the staff window', async () => {
    const reply = await ipc.invoke(ipcChannels.staffCall, from(staff, STAFF_URL), 'station.info', {});
    expect(reply).toStrictEqual({
      ok: true,
      // Name and simulator state come from the (integrator-owned) config defaults, so they are taken from there.
      value: { hostKind: 'electron', appVersion: '9.9.9', stationName: config.stationName, simulatorsActive: host.info.simulatorsActive, policy: config.policy, face: config.face, fingerprint: { fingers: config.fingerprintScanner.fingers, qualityThreshold: config.fingerprintScanner.qualityThreshold, maxAttempts: config.fingerprintScanner.maxAttempts }, staff: { idleLockMinutes: config.idleLockMinutes, demo: host.info.staff?.demo }, retentionDays: config.retentionDays },
    });
  });

  it('serves a kiosk call from the kiosk window', async () => {
    const reply = await ipc.invoke(ipcChannels.kioskCall, from(kiosk, KIOSK_URL), 'kiosk.current', {});
    expect(reply).toStrictEqual({ ok: true, value: { kind: 'idle' } });
  });

  it('denies the kiosk window calling on the staff channel, without reaching the host', async () => {
    const dispatch = vi.spyOn(host, 'dispatch');
    const reply = await ipc.invoke(ipcChannels.staffCall, from(kiosk, KIOSK_URL), 'station.info', {});
    expect(reply.ok).toBe(false);
    expect(reply.ok === false && reply.error.code).toBe('ACCESS_DENIED');
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('refuses every staff method from the kiosk window, on either channel, and the host never sees one', async () => {
    const dispatch = vi.spyOn(host, 'dispatch');
    for (const method of callNames.staff) {
      const onStaff = await ipc.invoke(ipcChannels.staffCall, from(kiosk, KIOSK_URL), method, {});
      expect(onStaff.ok === false && onStaff.error.code, method).toBe('ACCESS_DENIED');
    }
    expect(dispatch).not.toHaveBeenCalled();
    for (const method of callNames.staff) {
      // On its own channel the call reaches the kiosk dispatcher, which knows no staff method.
      const onKiosk = await ipc.invoke(ipcChannels.kioskCall, from(kiosk, KIOSK_URL), method, {});
      expect(onKiosk.ok, method).toBe(false);
      expect(dispatch).toHaveBeenLastCalledWith('kiosk', method, {});
    }
  });

  it('print.toPdf without a printer (this host has none) is a clear INVALID_STATE, not a crash', async () => {
    const reply = await ipc.invoke(ipcChannels.staffCall, from(staff, STAFF_URL), 'print.toPdf', { document: 'receipt', recordId: '3f2b8c1e-5d4a-4b6e-9c7d-1a2b3c4d5e6f' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'INVALID_STATE', message: '当前运行方式不能保存 PDF，请使用“打印”直接打印（打印对话框可另存为 PDF）。' } });
    const invalid = await ipc.invoke(ipcChannels.staffCall, from(staff, STAFF_URL), 'print.toPdf', { document: 'receipt', recordId: '../x' });
    expect(invalid.ok === false && invalid.error.code).toBe('VALIDATION');
  });

  it('print.toPdf of the day report: nobody signed in is UNAUTHORIZED before any printer is asked; a bad day is VALIDATION', async () => {
    const reply = await ipc.invoke(ipcChannels.staffCall, from(staff, STAFF_URL), 'print.toPdf', { document: 'day-report', day: '2026-12-04' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED', message: '请先登录后再导出日志。' } });
    for (const day of ['2026-12-04/../x', '2026-02-30x', '']) {
      const invalid = await ipc.invoke(ipcChannels.staffCall, from(staff, STAFF_URL), 'print.toPdf', { document: 'day-report', day });
      expect(invalid.ok === false && invalid.error.code, day).toBe('VALIDATION');
    }
  });

  it('denies the staff window calling on the kiosk channel', async () => {
    const reply = await ipc.invoke(ipcChannels.kioskCall, from(staff, STAFF_URL), 'kiosk.current', {});
    expect(reply.ok === false && reply.error.code).toBe('ACCESS_DENIED');
  });

  it('denies a staff method invoked by the kiosk on its own channel (the dispatcher refuses it)', async () => {
    const reply = await ipc.invoke(ipcChannels.kioskCall, from(kiosk, KIOSK_URL), 'roster.loadSeed', {});
    expect(reply.ok === false && reply.error.code).toBe('ACCESS_DENIED');
    expect(reply.ok === false && reply.error.detail).toContain('kiosk bridge may not call roster.loadSeed');
  });

  it.each([
    ['a foreign page', 'https://evil.example/staff'],
    ['a look-alike origin', 'app://station.evil/staff'],
    ['a file page', 'file:///C:/station/staff/index.html'],
    ['an empty url', ''],
  ])('denies a call from the right window but %s', async (_label, url) => {
    const reply = await ipc.invoke(ipcChannels.staffCall, from(staff, url), 'station.info', {});
    expect(reply.ok === false && reply.error.code).toBe('ACCESS_DENIED');
  });

  it('denies a call whose frame is gone (senderFrame null or missing)', async () => {
    const nullFrame = await ipc.invoke(ipcChannels.staffCall, from(staff, null), 'station.info', {});
    expect(nullFrame.ok === false && nullFrame.error.code).toBe('ACCESS_DENIED');
    const noFrame = await ipc.invoke(ipcChannels.staffCall, { sender: staff }, 'station.info', {});
    expect(noFrame.ok === false && noFrame.error.code).toBe('ACCESS_DENIED');
  });

  it('denies calls from a third webContents and once the role has no window', async () => {
    const stranger = new FakeWebContents(3);
    const reply = await ipc.invoke(ipcChannels.staffCall, from(stranger, STAFF_URL), 'station.info', {});
    expect(reply.ok === false && reply.error.code).toBe('ACCESS_DENIED');
    windows = { kiosk };
    const closed = await ipc.invoke(ipcChannels.staffCall, from(staff, STAFF_URL), 'station.info', {});
    expect(closed.ok === false && closed.error.code).toBe('ACCESS_DENIED');
  });

  it('denies a destroyed window', async () => {
    staff.destroyed = true;
    const reply = await ipc.invoke(ipcChannels.staffCall, from(staff, STAFF_URL), 'station.info', {});
    expect(reply.ok === false && reply.error.code).toBe('ACCESS_DENIED');
  });

  it('answers an invalid payload with VALIDATION', async () => {
    const reply = await ipc.invoke(ipcChannels.staffCall, from(staff, STAFF_URL), 'kiosk.show', { kind: 'nonsense' });
    expect(reply.ok === false && reply.error.code).toBe('VALIDATION');
    const extra = await ipc.invoke(ipcChannels.staffCall, from(staff, STAFF_URL), 'station.info', { admin: true });
    expect(extra.ok === false && extra.error.code).toBe('VALIDATION');
  });

  it('answers an unknown method with UNKNOWN_METHOD and a non-string method without throwing', async () => {
    const unknown = await ipc.invoke(ipcChannels.staffCall, from(staff, STAFF_URL), 'station.shutdown', {});
    expect(unknown.ok === false && unknown.error.code).toBe('UNKNOWN_METHOD');
    const weird = await ipc.invoke(ipcChannels.staffCall, from(staff, STAFF_URL), { toString: 'x' }, {});
    expect(weird.ok === false && weird.error.code).toBe('UNKNOWN_METHOD');
  });

  it('turns a host that throws into an INTERNAL reply instead of an IPC rejection', async () => {
    vi.spyOn(host, 'dispatch').mockRejectedValueOnce(new Error('boom'));
    const reply = await ipc.invoke(ipcChannels.staffCall, from(staff, STAFF_URL), 'station.info', {});
    expect(reply.ok === false && reply.error.code).toBe('INTERNAL');
    expect(reply.ok === false && reply.error.message).not.toContain('boom');
  });
});

describe('registerIpcRouter: events', () => {
  it("delivers 'kiosk.view' to the kiosk window only", async () => {
    const reply = await ipc.invoke(ipcChannels.staffCall, from(staff, STAFF_URL), 'kiosk.show', candidateView);
    expect(reply).toStrictEqual({ ok: true, value: { ok: true } });
    expect(kiosk.sent).toStrictEqual([[ipcChannels.event, 'kiosk.view', candidateView]]);
    expect(staff.sent).toStrictEqual([]);
  });

  it("delivers 'kiosk.responded' to the staff window only", async () => {
    await ipc.invoke(ipcChannels.staffCall, from(staff, STAFF_URL), 'kiosk.show', candidateView);
    kiosk.sent.length = 0;
    const answer = { kind: 'confirm', sessionId: candidateView.sessionId };
    const reply = await ipc.invoke(ipcChannels.kioskCall, from(kiosk, KIOSK_URL), 'kiosk.respond', answer);
    expect(reply).toStrictEqual({ ok: true, value: { ok: true } });
    expect(staff.sent).toStrictEqual([[ipcChannels.event, 'kiosk.responded', answer]]);
    expect(kiosk.sent).toStrictEqual([]);
  });

  it('skips a destroyed or missing window and the call still succeeds', async () => {
    kiosk.destroyed = true;
    const reply = await ipc.invoke(ipcChannels.staffCall, from(staff, STAFF_URL), 'kiosk.show', { kind: 'idle' });
    expect(reply).toStrictEqual({ ok: true, value: { ok: true } });
    expect(kiosk.sent).toStrictEqual([]);
    windows = { staff };
    const again = await ipc.invoke(ipcChannels.staffCall, from(staff, STAFF_URL), 'kiosk.show', { kind: 'idle' });
    expect(again.ok).toBe(true);
  });

  it('a send that throws does not fail the call that raised the event', async () => {
    vi.spyOn(kiosk, 'send').mockImplementation(() => {
      throw new Error('Object has been destroyed');
    });
    const reply = await ipc.invoke(ipcChannels.staffCall, from(staff, STAFF_URL), 'kiosk.show', { kind: 'idle' });
    expect(reply).toStrictEqual({ ok: true, value: { ok: true } });
  });
});

describe('registerIpcRouter: disposer', () => {
  it('removes both handlers and stops event delivery, and may run twice', async () => {
    dispose();
    expect(ipc.handlers.size).toBe(0);
    await host.dispatch('staff', 'kiosk.show', { kind: 'idle' });
    expect(kiosk.sent).toStrictEqual([]);
    dispose();
    // Registering again works: nothing was left behind.
    dispose = registerIpcRouter({ ipcMain: ipc, host, webContentsFor: (role) => windows[role] });
    expect(ipc.handlers.size).toBe(2);
  });
});
