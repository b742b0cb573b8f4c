import type { ElectronApplication } from '@playwright/test';
import { expect, skipWithoutElectron, test } from './fixtures.js';

skipWithoutElectron();

interface WindowState {
  title: string;
  url: string;
  visible: boolean;
  kiosk: boolean;
  fullscreen: boolean;
  bounds: { x: number; y: number; width: number; height: number };
}

function windowStates(app: ElectronApplication): Promise<WindowState[]> {
  return app.evaluate(({ BrowserWindow }) =>
    BrowserWindow.getAllWindows().map((win) => ({
      title: win.getTitle(),
      url: win.webContents.getURL(),
      visible: win.isVisible(),
      kiosk: win.isKiosk(),
      fullscreen: win.isFullScreen(),
      bounds: win.getBounds(),
    })),
  );
}

const kioskState = async (app: ElectronApplication) => (await windowStates(app)).find((w) => w.url === 'app://station/kiosk');

test('the staff window and the kiosk window open, each on its own page and with its catalogue title', async ({ station }) => {
  const states = await windowStates(station.app);
  expect(states.map((w) => w.url).sort()).toEqual(['app://station/kiosk', 'app://station/staff']);
  expect(states.find((w) => w.url.endsWith('/staff'))).toMatchObject({ title: '现场确认工作站', visible: true });
  expect(states.find((w) => w.url.endsWith('/kiosk'))).toMatchObject({ title: '考生信息确认', visible: true });
  // Each window has its own session: the kiosk's is in memory and not the staff window's.
  const partitions = await station.app.evaluate(({ BrowserWindow, session }) =>
    BrowserWindow.getAllWindows().map((win) => ({
      url: win.webContents.getURL(),
      persistent: win.webContents.session.isPersistent(),
      isDefault: win.webContents.session === session.defaultSession,
    })),
  );
  expect(partitions.find((p) => p.url.endsWith('/staff'))).toEqual({ url: 'app://station/staff', persistent: true, isDefault: false });
  expect(partitions.find((p) => p.url.endsWith('/kiosk'))).toEqual({ url: 'app://station/kiosk', persistent: false, isDefault: false });
});

test('one display: the kiosk is an ordinary window on it; a second display: full-screen kiosk there; unplugged: back', async ({ station }) => {
  const { app } = station;
  const displays = await app.evaluate(({ screen }) => ({ count: screen.getAllDisplays().length, primary: screen.getPrimaryDisplay() }));
  test.info().annotations.push({ type: 'displays', description: `${displays.count} real display(s) on this runner` });
  test.skip(displays.count > 1, 'this runner has several real displays; the simulated case below assumes one');

  const single = await kioskState(app);
  expect(single).toMatchObject({ kiosk: false, fullscreen: false, visible: true });
  const area = displays.primary.workArea;
  expect(single!.bounds.x).toBeGreaterThanOrEqual(area.x);
  expect(single!.bounds.x + single!.bounds.width).toBeLessThanOrEqual(area.x + area.width);

  // A second display, as Electron's screen module would report it after plugging one in.
  await app.evaluate(({ screen }) => {
    const real = screen.getAllDisplays();
    const primary = screen.getPrimaryDisplay();
    const second = {
      ...primary,
      id: primary.id + 1000,
      label: 'simulated kiosk display',
      bounds: { x: primary.bounds.x + primary.bounds.width, y: primary.bounds.y, width: 1024, height: 768 },
      workArea: { x: primary.bounds.x + primary.bounds.width, y: primary.bounds.y, width: 1024, height: 768 },
    };
    const globals = globalThis as { __stationRealDisplays?: typeof real };
    globals.__stationRealDisplays = real;
    (screen as { getAllDisplays: () => Electron.Display[] }).getAllDisplays = () => [...real, second];
    screen.emit('display-added', {}, second);
  });
  await expect.poll(async () => (await kioskState(app))?.kiosk, { message: 'kiosk mode on the second display' }).toBe(true);
  await expect.poll(async () => (await kioskState(app))?.fullscreen).toBe(true);

  await app.evaluate(({ screen }) => {
    const real = (globalThis as { __stationRealDisplays?: Electron.Display[] }).__stationRealDisplays ?? [];
    (screen as { getAllDisplays: () => Electron.Display[] }).getAllDisplays = () => real;
    screen.emit('display-removed', {}, real[0]);
  });
  await expect.poll(async () => (await kioskState(app))?.kiosk, { message: 'kiosk mode off again' }).toBe(false);
  await expect.poll(async () => (await kioskState(app))?.fullscreen).toBe(false);
  const back = await kioskState(app);
  expect(back!.bounds.x).toBeGreaterThanOrEqual(area.x);
  expect(back!.bounds.x + back!.bounds.width).toBeLessThanOrEqual(area.x + area.width);
});

test('the kiosk window refuses to close while the station runs; closing the staff window ends the app', async ({ station }) => {
  const { app } = station;
  await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().find((w) => w.webContents.getURL().endsWith('/kiosk'))?.close());
  expect((await windowStates(app)).map((w) => w.url)).toContain('app://station/kiosk');
  const exited = new Promise<void>((resolve) => app.process().once('exit', () => resolve()));
  await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().find((w) => w.webContents.getURL().endsWith('/staff'))?.close());
  await exited;
});
