import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { NativeModuleStatus } from '../../../electron/main/native-modules.js';
import { createSmokeRun, parseSmokeArgs, smokeExitCodes, staffReadyProbe, type SmokeResult, type SmokeWebContents } from '../../../electron/main/smoke.js';

type Listener = (...args: never[]) => void;

class FakeContents implements SmokeWebContents {
  readonly listeners = new Map<string, Listener[]>();
  loading = true;
  url = '';
  destroyed = false;
  answers: unknown[] = [];
  probes = 0;
  getURL = () => this.url;
  isLoading = () => this.loading;
  isDestroyed = () => this.destroyed;
  executeJavaScript = async (code: string): Promise<unknown> => {
    expect(code).toBe(staffReadyProbe);
    this.probes += 1;
    return this.answers.length > 1 ? this.answers.shift() : this.answers[0];
  };
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: unknown[]) => void)(...args);
  }
  finishLoad(url: string): void {
    this.loading = false;
    this.url = url;
    this.emit('did-finish-load');
  }
}

const goodModules: NativeModuleStatus[] = [
  { name: 'node-hid', loaded: true, binaries: ['/app/resources/app.asar.unpacked/node_modules/node-hid/x.node'], fromUnpacked: true },
  { name: 'serialport', loaded: true, binaries: [], fromUnpacked: undefined },
  { name: 'koffi', loaded: true, binaries: [], fromUnpacked: undefined },
];

function setup(options = { timeoutMs: 60_000, reportFile: undefined }) {
  const results: SmokeResult[] = [];
  const run = createSmokeRun({ options, finish: (result) => results.push(result), pollMs: 100 });
  const staff = new FakeContents();
  const kiosk = new FakeContents();
  return { run, staff, kiosk, results };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('parseSmokeArgs', () => {
  it('is off without --smoke, whatever else is passed', () => {
    expect(parseSmokeArgs(['electron', '.', '--smoke-timeout=9000'])).toBeUndefined();
  });
  it('reads the time limit and report file, and keeps the limit within bounds', () => {
    expect(parseSmokeArgs(['x.exe', '--smoke'])).toEqual({ timeoutMs: 60_000, reportFile: undefined });
    expect(parseSmokeArgs(['x.exe', '--smoke', '--smoke-timeout=90000', '--smoke-report=C:\\ci\\smoke.json'])).toEqual({
      timeoutMs: 90_000,
      reportFile: 'C:\\ci\\smoke.json',
    });
    for (const bad of ['10', '9999999', 'abc', '5000.5', '']) expect(parseSmokeArgs(['x', '--smoke', `--smoke-timeout=${bad}`])?.timeoutMs).toBe(60_000);
    expect(parseSmokeArgs(['x', '--smoke', '--smoke-report='])?.reportFile).toBeUndefined();
  });
});

describe('createSmokeRun', () => {
  it('exits 0 once both windows loaded and the staff page is ready, with the native module figures', async () => {
    const { run, staff, kiosk, results } = setup();
    staff.answers = [{ state: 'waiting' }, { state: 'waiting' }, { state: 'ready' }];
    const nativeCheck = vi.fn(async () => goodModules);
    run.watch({ staff, kiosk }, nativeCheck);
    staff.finishLoad('app://station/staff');
    await vi.advanceTimersByTimeAsync(1_000);
    // Nothing is probed until the kiosk has loaded too.
    expect(staff.probes).toBe(0);
    kiosk.finishLoad('app://station/kiosk');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(staff.probes).toBe(3);
    expect(nativeCheck).toHaveBeenCalledTimes(1);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ ok: true, exitCode: smokeExitCodes.ok, staffUrl: 'app://station/staff', nativeModules: goodModules });
  });

  it('notices windows that finished loading before it started watching', async () => {
    const { run, staff, kiosk, results } = setup();
    staff.loading = false;
    staff.url = 'app://station/staff';
    kiosk.loading = false;
    kiosk.url = 'app://station/kiosk';
    staff.answers = [{ state: 'ready' }];
    run.watch({ staff, kiosk }, async () => goodModules);
    await vi.advanceTimersByTimeAsync(10);
    expect(results[0]?.exitCode).toBe(smokeExitCodes.ok);
  });

  it('fails when a native module did not load, or loaded from outside app.asar.unpacked', async () => {
    for (const bad of [
      { name: 'koffi', loaded: false, error: 'Error', binaries: [], fromUnpacked: undefined },
      { name: 'koffi', loaded: true, binaries: ['/tmp/.org.chromium/koffi.node'], fromUnpacked: false },
    ] as NativeModuleStatus[]) {
      const { run, staff, kiosk, results } = setup();
      staff.answers = [{ state: 'ready' }];
      run.watch({ staff, kiosk }, async () => [...goodModules.slice(0, 2), bad]);
      staff.finishLoad('app://station/staff');
      kiosk.finishLoad('app://station/kiosk');
      await vi.advanceTimersByTimeAsync(10);
      expect(results[0]).toMatchObject({ ok: false, exitCode: smokeExitCodes.failed, reason: 'native modules did not load from app.asar.unpacked' });
    }
  });

  it('fails on the fatal screen, a failed main-frame load or a crashed renderer, and only once', async () => {
    const fatal = setup();
    fatal.staff.answers = [{ state: 'failed', message: 'fatal screen: 连接未授权' }];
    fatal.run.watch({ staff: fatal.staff, kiosk: fatal.kiosk }, async () => goodModules);
    fatal.staff.finishLoad('app://station/staff');
    fatal.kiosk.finishLoad('app://station/kiosk');
    await vi.advanceTimersByTimeAsync(10);
    expect(fatal.results).toEqual([expect.objectContaining({ exitCode: smokeExitCodes.failed, reason: 'staff window: fatal screen: 连接未授权' })]);

    const load = setup();
    load.run.watch({ staff: load.staff, kiosk: load.kiosk }, async () => goodModules);
    load.kiosk.emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND', 'app://station/kiosk', false);
    expect(load.results).toHaveLength(0); // a sub-frame failure is not the window's
    load.kiosk.emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND', 'app://station/kiosk', true);
    load.staff.emit('render-process-gone', {}, { reason: 'crashed' });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(load.results).toEqual([expect.objectContaining({ exitCode: smokeExitCodes.failed, reason: 'kiosk window failed to load (-6 ERR_FILE_NOT_FOUND)' })]);

    const gone = setup();
    gone.run.watch({ staff: gone.staff, kiosk: gone.kiosk }, async () => goodModules);
    gone.staff.emit('render-process-gone', {}, { reason: 'oom' });
    expect(gone.results[0]?.reason).toBe('staff renderer gone (oom)');
  });

  it('an answer the probe does not know, or a probe that throws, is a failure rather than a wait', async () => {
    const odd = setup();
    odd.staff.answers = [42];
    odd.run.watch({ staff: odd.staff, kiosk: odd.kiosk }, async () => goodModules);
    odd.staff.finishLoad('app://station/staff');
    odd.kiosk.finishLoad('app://station/kiosk');
    await vi.advanceTimersByTimeAsync(10);
    expect(odd.results[0]?.reason).toBe('staff window: probe gave no answer');

    const throws = setup();
    throws.staff.executeJavaScript = async () => {
      throw new TypeError('gone');
    };
    throws.run.watch({ staff: throws.staff, kiosk: throws.kiosk }, async () => goodModules);
    throws.staff.finishLoad('app://station/staff');
    throws.kiosk.finishLoad('app://station/kiosk');
    await vi.advanceTimersByTimeAsync(10);
    expect(throws.results[0]?.reason).toBe('staff window: probe threw TypeError');
  });

  it('times out with exit code 2 when the staff page never gets ready, or startup never makes windows', async () => {
    const stuck = setup({ timeoutMs: 30_000, reportFile: undefined });
    stuck.staff.answers = [{ state: 'waiting' }];
    stuck.run.watch({ staff: stuck.staff, kiosk: stuck.kiosk }, async () => goodModules);
    stuck.staff.finishLoad('app://station/staff');
    stuck.kiosk.finishLoad('app://station/kiosk');
    await vi.advanceTimersByTimeAsync(29_000);
    expect(stuck.results).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(stuck.results).toEqual([expect.objectContaining({ ok: false, exitCode: smokeExitCodes.timeout, reason: 'staff window not ready within 30000 ms' })]);
    const probes = stuck.staff.probes;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(stuck.staff.probes).toBe(probes); // polling stopped with the result

    const noWindows = setup({ timeoutMs: 5_000, reportFile: undefined });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(noWindows.results[0]?.exitCode).toBe(smokeExitCodes.timeout);
  });

  it('a startup failure ends the run at once, without waiting for the limit', () => {
    const { run, results } = setup();
    run.fail('startup failed: FILE_INVALID');
    run.fail('second');
    expect(results).toEqual([expect.objectContaining({ ok: false, exitCode: smokeExitCodes.failed, reason: 'startup failed: FILE_INVALID' })]);
  });
});

describe('staffReadyProbe', () => {
  it('is a self-contained expression that looks for the desktop badge and a loaded roster', () => {
    expect(staffReadyProbe.startsWith('(() => {')).toBe(true);
    expect(staffReadyProbe).toContain('"桌面版"');
    expect(staffReadyProbe).toContain('[data-testid="roster-status"]');
    expect(staffReadyProbe).toContain('[data-testid="fatal"]');
    // It parses as JavaScript (no TypeScript left in it).
    expect(() => new Function(`return ${staffReadyProbe}`)).not.toThrow();
  });
});
