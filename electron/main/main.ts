import { existsSync } from 'node:fs';
import path from 'node:path';
import { BrowserWindow, Menu, app, dialog, ipcMain, protocol, safeStorage, screen, session, type Session, type WebContents } from 'electron';
import type { SecretStore } from '../../host/central/station-identity.js';
import { roles, type Role } from '../../core/contract/station-api.js';
import { StationError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { appPathsFrom } from '../../host/app-paths.js';
import { loadStationConfig } from '../../host/config/station-config.js';
import { createConsoleLogger } from '../../core/logging/logger.js';
import { createStationHost, type StationHost } from '../../host/station-host.js';
import { createAppProtocolHandler } from './app-protocol.js';
import { registerIpcRouter } from './ipc-router.js';
import {
  APP_ORIGIN,
  APP_SCHEME,
  isAppOrigin,
  isAppUrl,
  permissionCheckDecision,
  permissionDecision,
  shouldAllowNavigation,
  windowPartitions,
} from './security.js';
import { createStationWindows, type StationWindows } from './windows.js';

/**
 * The Electron shell: wires Electron's hooks to the pure decisions in security.ts and the host-agnostic
 * StationHost. Bundled to dist/electron/main.js (ESM); the preloads to dist/electron/preload/*.cjs.
 */

const log = createConsoleLogger('electron-host');

const safeStorageSecrets: SecretStore = {
  kind: 'electron-safe-storage',
  seal: async (plain) => safeStorage.encryptString(plain).toString('base64'),
  open: async (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
};

// Must precede 'ready': sandboxing every renderer and the app:// scheme's privileges are fixed at startup.
app.enableSandbox();
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

let quitting = false;
let windows: StationWindows<BrowserWindow> | undefined;

/** Every webContents, whoever created it, gets the same lock-down; nothing may navigate, open or embed. */
function lockDownWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    if (!shouldAllowNavigation(event.url, contents.getURL())) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    // Sub-frames have no business in the app at all (the CSP forbids them; this is the second lock).
    if (!event.isMainFrame) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!shouldAllowNavigation(event.url, contents.getURL())) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Permissions per window session: the staff window may use the camera; the kiosk nothing at all. */
function installSessionPolicy(ses: Session, role: Role): void {
  if (role === 'kiosk') {
    ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    ses.setPermissionCheckHandler(() => false);
    ses.setDevicePermissionHandler(() => false);
    return;
  }
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    // A media request names its origin; other requests only carry the frame's URL.
    const securityOrigin = 'securityOrigin' in details ? details.securityOrigin : undefined;
    const origin = securityOrigin ?? (isAppUrl(details.requestingUrl) ? APP_ORIGIN : '');
    const frameIsOurs = isAppUrl(details.requestingUrl) && isAppOrigin(origin);
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    callback(frameIsOurs && permissionDecision(permission, origin, { mediaTypes }));
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    permissionCheckDecision(permission, requestingOrigin, { mediaType: details.mediaType }),
  );
  // WebHID/WebSerial/WebUSB: the host owns the hardware; pages never get a device handle.
  ses.setDevicePermissionHandler(() => false);
}

function focusStaff(): void {
  const staff = windows?.staff;
  if (!staff || staff.isDestroyed()) return;
  if (staff.isMinimized()) staff.restore();
  staff.focus();
}

async function start(): Promise<void> {
  const root = app.getAppPath();
  // Packaged, the sample data ships as an extra resource beside app.asar; in development it sits in the repo.
  const paths = appPathsFrom(root, app.isPackaged ? path.join(process.resourcesPath, 'assets') : path.join(root, 'assets'));
  const preloadDir = path.join(root, 'dist', 'electron', 'preload');
  if (!existsSync(paths.rendererDir)) {
    throw new Error(`renderer not built: run "npm run build" first (${paths.rendererDir} missing)`);
  }

  const config = await loadStationConfig();
  const host: StationHost = await createStationHost({
    hostKind: 'electron',
    appVersion: app.getVersion(),
    config,
    defaultRosterSeedFile: paths.sampleRoster,
    dataDir: app.getPath('userData'),
    // The station's private key is sealed with the OS user's credentials (DPAPI on Windows) when available.
    ...(safeStorage.isEncryptionAvailable() ? { secrets: safeStorageSecrets } : {}),
    logger: log,
  });

  for (const role of roles) {
    const ses = session.fromPartition(windowPartitions[role]);
    ses.protocol.handle(APP_SCHEME, createAppProtocolHandler({ rendererDir: paths.rendererDir, role }));
    installSessionPolicy(ses, role);
  }
  // Nothing is meant to load in the default session; deny it everything all the same.
  installSessionPolicy(session.defaultSession, 'kiosk');
  // No application menu: its accelerators (reload, zoom, close window, DevTools) are not for a kiosk.
  Menu.setApplicationMenu(null);

  // Handlers first, so a page that loads fast never finds the channel missing.
  const disposeRouter = registerIpcRouter({
    ipcMain,
    host,
    webContentsFor: (role: Role) => windows?.webContentsFor(role),
    logger: log,
  });

  windows = createStationWindows({
    createWindow: (options) => new BrowserWindow(options),
    screen,
    preloadDir,
    devTools: !app.isPackaged && process.env['STATION_DEVTOOLS'] === '1',
    isQuitting: () => quitting,
    // The kiosk has no life of its own: closing the operator's window ends the station.
    onStaffClosed: () => app.quit(),
    logger: log,
  });

  // Windows shutdown or log-off never emits before-quit; the kiosk's close guard must not block it.
  for (const win of [windows.staff, windows.kiosk]) {
    win.on('query-session-end', () => {
      quitting = true;
    });
    win.on('session-end', () => {
      quitting = true;
    });
  }

  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    // Serial ports and HID handles must be released before the process goes.
    event.preventDefault();
    closed = true;
    windows?.dispose();
    disposeRouter();
    host
      .close()
      .catch((error: unknown) => log.error('host close failed', { error: String(error) }))
      .finally(() => app.quit());
  });
  log.info('station started', { simulators: host.info.simulatorsActive });
}

function fail(error: unknown): void {
  const message =
    error instanceof StationError ? `${error.userMessage}\n(${error.code}: ${error.detail ?? ''})` : String(error);
  log.error('startup failed', { error: error instanceof StationError ? error.code : String(error) });
  dialog.showErrorBox(zhCN.app.staffTitle, message);
  app.exit(1);
}

if (!app.requestSingleInstanceLock()) {
  // A second station on the same machine would fight the first for the card reader.
  app.quit();
} else {
  app.on('second-instance', focusStaff);
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('web-contents-created', (_event, contents) => lockDownWebContents(contents));
  app.on('window-all-closed', () => app.quit());
  app.whenReady().then(start).catch(fail);
}
