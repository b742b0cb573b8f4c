import path from 'node:path';
import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';
import { describe, expect, it, vi } from 'vitest';

import { zhCN } from '../../../core/i18n/zh-CN.js';
import {
  centeredBounds,
  createStationWindows,
  stationWindowOptions,
  type PreventableEvent,
  type ScreenLike,
  type StationWindowLike,
} from '../../../electron/main/windows.js';
import { buildWebPreferences } from '../../../electron/main/security.js';

// Accepts every listener shape Electron's overloads use; emit() calls them with whatever the test passes.
type Listener = (...args: never[]) => void;

class FakeWindow implements StationWindowLike {
  readonly webContents: { id: number; isDestroyed: () => boolean; send: () => void };
  readonly loaded: string[] = [];
  readonly calls: string[] = [];
  readonly listeners = new Map<string, Listener[]>();
  destroyed = false;
  shown = 0;
  loadResult: Promise<void> = Promise.resolve();
  constructor(
    readonly options: BrowserWindowConstructorOptions,
    id: number,
  ) {
    this.webContents = { id, isDestroyed: () => this.destroyed, send: () => undefined };
  }
  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    return this.loadResult;
  }
  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: unknown[]) => void)(...args);
  }
  show(): void {
    this.shown += 1;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setBounds(bounds: Partial<Rectangle>): void {
    this.calls.push(`setBounds ${JSON.stringify(bounds)}`);
  }
  setKiosk(flag: boolean): void {
    this.calls.push(`setKiosk ${flag}`);
  }
  setFullScreen(flag: boolean): void {
    this.calls.push(`setFullScreen ${flag}`);
  }
}

const primary = { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1040 } };
const second = { id: 2, bounds: { x: 1920, y: 0, width: 1280, height: 1024 } };

function fakeScreen(displays: { id: number; bounds: Rectangle }[]) {
  const listeners = new Map<string, Set<() => void>>();
  const screen = {
    displays,
    getAllDisplays: () => screen.displays,
    getPrimaryDisplay: () => primary,
    on: (event: string, listener: () => void) => {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
    },
    removeListener: (event: string, listener: () => void) => {
      listeners.get(event)?.delete(listener);
    },
    fire: (event: string) => listeners.get(event)?.forEach((listener) => listener()),
    count: () => [...listeners.values()].reduce((n, set) => n + set.size, 0),
  };
  return screen as typeof screen & ScreenLike;
}

function setup(displays = [primary, second], quitting = false) {
  const created: FakeWindow[] = [];
  const screen = fakeScreen(displays);
  const onStaffClosed = vi.fn();
  const windows = createStationWindows<FakeWindow>({
    createWindow: (options) => {
      const win = new FakeWindow(options, created.length + 1);
      created.push(win);
      return win;
    },
    screen,
    preloadDir: '/app/dist/electron/preload',
    isQuitting: () => quitting,
    onStaffClosed,
  });
  return { windows, screen, onStaffClosed, staff: windows.staff, kiosk: windows.kiosk, created };
}

const preventable = () => {
  const event: PreventableEvent & { prevented: boolean } = {
    prevented: false,
    preventDefault() {
      event.prevented = true;
    },
  };
  return event;
};

describe('stationWindowOptions', () => {
  it('gives each role its title, preload and the hardened webPreferences, hidden until ready', () => {
    const staff = stationWindowOptions('staff', { preloadDir: '/pre' });
    expect(staff.title).toBe(zhCN.app.staffTitle);
    expect(staff.show).toBe(false);
    expect(staff.webPreferences).toStrictEqual(
      buildWebPreferences(path.join('/pre', 'staff.cjs'), { partition: 'persist:station-staff' }),
    );
    const kiosk = stationWindowOptions('kiosk', { preloadDir: '/pre' });
    expect(kiosk.title).toBe(zhCN.app.kioskTitle);
    expect(kiosk.webPreferences?.preload).toBe(path.join('/pre', 'kiosk.cjs'));
    expect(kiosk.kiosk).toBeUndefined();
  });

  it('keeps the two windows in separate sessions, the kiosk in memory only', () => {
    const staff = stationWindowOptions('staff', { preloadDir: '/pre' }).webPreferences?.partition;
    const kiosk = stationWindowOptions('kiosk', { preloadDir: '/pre' }).webPreferences?.partition;
    expect(staff).toBe('persist:station-staff');
    expect(kiosk).toBe('station-kiosk');
    expect(kiosk?.startsWith('persist:')).toBe(false);
  });

  it('passes the DevTools flag through only when set', () => {
    expect(stationWindowOptions('staff', { preloadDir: '/pre' }).webPreferences?.devTools).toBe(false);
    expect(stationWindowOptions('staff', { preloadDir: '/pre', devTools: true }).webPreferences?.devTools).toBe(true);
  });

  it('puts the kiosk full-screen on the given display', () => {
    const kiosk = stationWindowOptions('kiosk', {
      preloadDir: '/pre',
      placement: { fullscreen: true, kiosk: true, bounds: second.bounds },
    });
    expect(kiosk).toMatchObject({ x: 1920, y: 0, width: 1280, height: 1024, fullscreen: true, kiosk: true });
  });
});

describe('createStationWindows', () => {
  it('creates staff then kiosk, loading app://station/staff and app://station/kiosk', () => {
    const { staff, kiosk, created } = setup();
    expect(created).toHaveLength(2);
    expect(staff.loaded).toStrictEqual(['app://station/staff']);
    expect(kiosk.loaded).toStrictEqual(['app://station/kiosk']);
    expect(staff.options.webPreferences?.preload).toBe(path.join('/app/dist/electron/preload', 'staff.cjs'));
    expect(kiosk.options.webPreferences?.preload).toBe(path.join('/app/dist/electron/preload', 'kiosk.cjs'));
  });

  it('shows each window on ready-to-show, not before', () => {
    const { staff, kiosk } = setup();
    expect(staff.shown + kiosk.shown).toBe(0);
    staff.emit('ready-to-show');
    kiosk.emit('ready-to-show');
    expect([staff.shown, kiosk.shown]).toStrictEqual([1, 1]);
  });

  it('shows a window whose page failed to load instead of hanging invisibly', async () => {
    let id = 0;
    const failing = createStationWindows<FakeWindow>({
      createWindow: (options) => {
        const w = new FakeWindow(options, (id += 1));
        w.loadResult = Promise.reject(new Error('ERR_FILE_NOT_FOUND'));
        return w;
      },
      screen: fakeScreen([primary]),
      preloadDir: '/p',
      isQuitting: () => false,
      onStaffClosed: () => undefined,
    });
    await vi.waitFor(() => expect([failing.staff.shown, failing.kiosk.shown]).toStrictEqual([1, 1]));
  });

  it('places the kiosk full-screen on the second display at creation', () => {
    const { kiosk } = setup([primary, second]);
    expect(kiosk.options).toMatchObject({ ...second.bounds, fullscreen: true, kiosk: true });
  });

  it('makes the kiosk an ordinary window with one display', () => {
    const { kiosk } = setup([primary]);
    expect(kiosk.options.kiosk).toBeUndefined();
    expect(kiosk.options.fullscreen).toBeUndefined();
  });

  it('moves the kiosk when a display is added or removed', () => {
    const { kiosk, screen } = setup([primary]);
    screen.displays = [primary, second];
    screen.fire('display-added');
    expect(kiosk.calls).toStrictEqual([
      'setKiosk false',
      'setFullScreen false',
      `setBounds ${JSON.stringify(second.bounds)}`,
      'setFullScreen true',
      'setKiosk true',
    ]);
    kiosk.calls.length = 0;
    screen.displays = [primary];
    screen.fire('display-removed');
    expect(kiosk.calls).toStrictEqual([
      'setKiosk false',
      'setFullScreen false',
      `setBounds ${JSON.stringify(centeredBounds(primary.workArea, 1024, 768))}`,
    ]);
  });

  it('keeps the kiosk open against a candidate closing it, unless the app is quitting', () => {
    const open = setup([primary, second], false);
    const attempt = preventable();
    open.kiosk.emit('close', attempt);
    expect(attempt.prevented).toBe(true);
    const quitting = setup([primary, second], true);
    const atQuit = preventable();
    quitting.kiosk.emit('close', atQuit);
    expect(atQuit.prevented).toBe(false);
  });

  it('reports the staff window closing (the app quits on it)', () => {
    const { staff, kiosk, onStaffClosed } = setup();
    kiosk.emit('closed');
    expect(onStaffClosed).not.toHaveBeenCalled();
    staff.emit('closed');
    expect(onStaffClosed).toHaveBeenCalledTimes(1);
  });

  it('keeps the catalogue title against page <title> changes', () => {
    const { staff } = setup();
    const event = preventable();
    staff.emit('page-title-updated', event, 'Something else');
    expect(event.prevented).toBe(true);
  });

  it('hands out webContents only for live windows', () => {
    const { windows, staff, kiosk } = setup();
    expect(windows.webContentsFor('staff')).toBe(staff.webContents);
    expect(windows.webContentsFor('kiosk')).toBe(kiosk.webContents);
    kiosk.emit('closed');
    expect(windows.webContentsFor('kiosk')).toBeUndefined();
    staff.destroyed = true;
    expect(windows.webContentsFor('staff')).toBeUndefined();
  });

  it('stops following displays once disposed or once the kiosk is gone', () => {
    const first = setup([primary]);
    expect(first.screen.count()).toBe(2);
    first.windows.dispose();
    expect(first.screen.count()).toBe(0);

    const second_ = setup([primary]);
    second_.kiosk.emit('closed');
    second_.screen.displays = [primary, second];
    second_.screen.fire('display-added');
    expect(second_.kiosk.calls).toStrictEqual([]);
  });
});

describe('centeredBounds', () => {
  it('centres and shrinks to fit', () => {
    expect(centeredBounds({ x: 0, y: 0, width: 1920, height: 1040 }, 1024, 768)).toStrictEqual({ x: 448, y: 136, width: 1024, height: 768 });
    expect(centeredBounds({ x: 100, y: 50, width: 800, height: 600 }, 1024, 768)).toStrictEqual({ x: 100, y: 50, width: 800, height: 600 });
  });
});
