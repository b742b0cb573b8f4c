import path from 'node:path';
import type { BrowserWindowConstructorOptions, Display, Rectangle } from 'electron';
import type { Role } from '../../core/contract/station-api.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import type { Logger } from '../../core/logging/logger.js';
import type { WebContentsLike } from './ipc-router.js';
import { appUrls, buildWebPreferences, kioskWindowPlacement, windowPartitions, type KioskPlacement } from './security.js';

/**
 * The two station windows. Electron's BrowserWindow and screen are passed in (main.ts passes the real ones,
 * so the compiler checks they fit these shapes); tests pass fakes.
 */
export interface PreventableEvent {
  preventDefault(): void;
}

export interface StationWindowLike {
  readonly webContents: WebContentsLike;
  loadURL(url: string): Promise<void>;
  once(event: 'ready-to-show', listener: () => void): unknown;
  on(event: 'close', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
  on(event: 'page-title-updated', listener: (event: PreventableEvent) => void): unknown;
  show(): void;
  isDestroyed(): boolean;
  setBounds(bounds: Partial<Rectangle>): void;
  setKiosk(flag: boolean): void;
  setFullScreen(flag: boolean): void;
}

export interface ScreenLike {
  getAllDisplays(): Pick<Display, 'id' | 'bounds'>[];
  getPrimaryDisplay(): Pick<Display, 'id' | 'workArea'>;
  on(event: 'display-added', listener: () => void): unknown;
  on(event: 'display-removed', listener: () => void): unknown;
  removeListener(event: 'display-added', listener: () => void): unknown;
  removeListener(event: 'display-removed', listener: () => void): unknown;
}

export interface StationWindowDeps<W extends StationWindowLike> {
  createWindow(options: BrowserWindowConstructorOptions): W;
  screen: ScreenLike;
  /** Folder holding the bundled preloads (staff.cjs, kiosk.cjs). */
  preloadDir: string;
  devTools?: boolean;
  /** The kiosk window refuses to close (Alt+F4 by a candidate) unless the whole app is quitting. */
  isQuitting(): boolean;
  onStaffClosed(): void;
  logger?: Logger;
}

export interface StationWindows<W extends StationWindowLike> {
  readonly staff: W;
  readonly kiosk: W;
  /** The live webContents of a role's window, or undefined once that window is gone. */
  webContentsFor(role: Role): WebContentsLike | undefined;
  /** Re-applies the kiosk placement (called on display changes). */
  placeKiosk(): void;
  dispose(): void;
}

const windowSize = {
  staff: { width: 1280, height: 800, minWidth: 1024, minHeight: 700 },
  kiosk: { width: 1024, height: 768, minWidth: 800, minHeight: 600 },
} as const;

export function preloadPathFor(preloadDir: string, role: Role): string {
  return path.join(preloadDir, `${role}.cjs`);
}

/** A width × height rectangle centred in `area`, shrunk to fit when the area is smaller. */
export function centeredBounds(area: Rectangle, width: number, height: number): Rectangle {
  const w = Math.min(width, area.width);
  const h = Math.min(height, area.height);
  return { x: area.x + Math.floor((area.width - w) / 2), y: area.y + Math.floor((area.height - h) / 2), width: w, height: h };
}

export function stationWindowOptions(
  role: Role,
  options: { preloadDir: string; devTools?: boolean; placement?: KioskPlacement },
): BrowserWindowConstructorOptions {
  const base: BrowserWindowConstructorOptions = {
    title: role === 'staff' ? zhCN.app.staffTitle : zhCN.app.kioskTitle,
    // Shown on ready-to-show, so nobody sees a blank white frame while the bundle loads.
    show: false,
    autoHideMenuBar: true,
    backgroundColor: '#ffffff',
    ...windowSize[role],
    webPreferences: buildWebPreferences(preloadPathFor(options.preloadDir, role), {
      devTools: options.devTools === true,
      partition: windowPartitions[role],
    }),
  };
  if (role === 'kiosk' && options.placement?.kiosk) {
    return { ...base, ...options.placement.bounds, fullscreen: true, kiosk: true, minimizable: false };
  }
  return base;
}

export function createStationWindows<W extends StationWindowLike>(deps: StationWindowDeps<W>): StationWindows<W> {
  const { screen, logger } = deps;
  const currentPlacement = () => kioskWindowPlacement(screen.getAllDisplays(), screen.getPrimaryDisplay().id);
  const common = { preloadDir: deps.preloadDir, devTools: deps.devTools === true };

  const staff = deps.createWindow(stationWindowOptions('staff', common));
  const kiosk = deps.createWindow(stationWindowOptions('kiosk', { ...common, placement: currentPlacement() }));
  const alive: Record<Role, boolean> = { staff: true, kiosk: true };

  const open = (role: Role, win: W) => {
    win.once('ready-to-show', () => win.show());
    // The catalogue title names the station; a page <title> must not replace it.
    win.on('page-title-updated', (event) => event.preventDefault());
    win.on('closed', () => {
      alive[role] = false;
    });
    win.loadURL(appUrls[role]).catch((error: unknown) => {
      // Without a page ready-to-show never fires; show the window anyway so the failure is visible, not a hang.
      logger?.error('window failed to load', { role, error: error instanceof Error ? error.message : String(error) });
      if (!win.isDestroyed()) win.show();
    });
  };
  open('staff', staff);
  open('kiosk', kiosk);

  kiosk.on('close', (event) => {
    if (!deps.isQuitting()) event.preventDefault();
  });
  staff.on('closed', () => deps.onStaffClosed());

  const placeKiosk = () => {
    if (!alive.kiosk || kiosk.isDestroyed()) return;
    const placement = currentPlacement();
    // Leave kiosk/full-screen first: a full-screen window ignores setBounds, and a window stranded on an
    // unplugged display must come back to one that exists.
    kiosk.setKiosk(false);
    kiosk.setFullScreen(false);
    if (placement.kiosk) {
      kiosk.setBounds(placement.bounds);
      kiosk.setFullScreen(true);
      kiosk.setKiosk(true);
    } else {
      kiosk.setBounds(centeredBounds(screen.getPrimaryDisplay().workArea, windowSize.kiosk.width, windowSize.kiosk.height));
    }
    logger?.info('kiosk window placed', { fullscreen: placement.fullscreen });
  };
  screen.on('display-added', placeKiosk);
  screen.on('display-removed', placeKiosk);

  let disposed = false;
  return {
    staff,
    kiosk,
    webContentsFor: (role) => {
      const win = role === 'staff' ? staff : kiosk;
      return alive[role] && !win.isDestroyed() ? win.webContents : undefined;
    },
    placeKiosk,
    dispose: () => {
      if (disposed) return;
      disposed = true;
      screen.removeListener('display-added', placeKiosk);
      screen.removeListener('display-removed', placeKiosk);
    },
  };
}
