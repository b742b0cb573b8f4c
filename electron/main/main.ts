import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BrowserWindow, Menu, app, dialog, ipcMain, protocol, safeStorage, screen, session, type Session, type WebContents } from 'electron';
import { roles, type Role } from '../../core/contract/station-api.js';
import { StationError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { appPathsFrom } from '../../host/app-paths.js';
import { loadStationConfig } from '../../host/config/station-config.js';
import { createConsoleLogger } from '../../core/logging/logger.js';
import { createStationHost, type StationHost } from '../../host/station-host.js';
import { createAppProtocolHandler } from './app-protocol.js';
import { registerIpcRouter } from './ipc-router.js';
import { checkNativeModules, loadedSharedObjects, type NativeModuleName } from './native-modules.js';
import { createPdfPrinter, prunePrintedPdfs } from './printing.js';
import { createSaveDialogSink } from './file-sink.js';
import { chooseSecretStore } from './secrets.js';
import {
  APP_ORIGIN,
  APP_SCHEME,
  isAppOrigin,
  isAppUrl,
  isPermittedRequest,
  permissionCheckDecision,
  permissionDecision,
  requestScheme,
  shouldAllowNavigation,
  windowPartitions,
} from './security.js';
import { createSmokeRun, parseSmokeArgs, type SmokeResult } from './smoke.js';
import { updateFeed } from './updates.js';
import { createStationWindows, type StationWindows } from './windows.js';
import { enrollmentHintFromEnv } from '../../host/central/enrollment-hint.js';

/**
 * The Electron shell: wires Electron's hooks to the pure decisions in security.ts and the host-agnostic
 * StationHost. Bundled to dist/electron/main.js (ESM); the preloads to dist/electron/preload/*.cjs.
 */

const log = createConsoleLogger('electron-host');

// STATION_DATA_DIR names the data folder, as for the browser host (tests, a second station profile); it must
// be set before anything reads userData, the single-instance lock included.
const dataDirOverride = process.env['STATION_DATA_DIR'];
if (dataDirOverride) app.setPath('userData', path.resolve(dataDirOverride));

const smokeOptions = parseSmokeArgs(process.argv);
const smoke = smokeOptions
  ? createSmokeRun({ options: smokeOptions, finish: (result) => void finishSmoke(result, smokeOptions.reportFile) })
  : undefined;

// Must precede 'ready': sandboxing every renderer and the app:// scheme's privileges are fixed at startup.
app.enableSandbox();
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

let quitting = false;
let windows: StationWindows<BrowserWindow> | undefined;
let shutdown: (() => Promise<void>) | undefined;

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

/** Counted per session, so a request is seen whichever window (or none) made it. */
function installRequestGuard(ses: Session, label: string, devTools: boolean): void {
  ses.webRequest.onBeforeRequest((details, callback) => {
    const permitted = isPermittedRequest(details.url, { devTools });
    // Scheme only: a URL can carry personal data (a query), and logs end up in support tickets.
    if (!permitted) log.warn('request blocked', { session: label, scheme: requestScheme(details.url), resourceType: details.resourceType });
    callback({ cancel: !permitted });
  });
}

/** Loads the native device modules the way the bundle does and says where their binaries came from. */
async function nativeModuleCheck() {
  const load = (name: NativeModuleName): Promise<unknown> => {
    switch (name) {
      case 'node-hid':
        return import('node-hid');
      case 'serialport':
        return import('serialport');
      case 'koffi':
        return import('koffi');
    }
  };
  return checkNativeModules({
    load,
    packaged: app.isPackaged,
    loadedObjects: () =>
      loadedSharedObjects({
        report: () => process.report?.getReport(),
        readMaps: process.platform === 'linux' ? () => readFileSync('/proc/self/maps', 'utf8') : undefined,
      }),
  });
}

async function finishSmoke(result: SmokeResult, reportFile: string | undefined): Promise<void> {
  log.info('smoke check finished', { ok: result.ok, exitCode: result.exitCode, reason: result.reason, elapsedMs: result.elapsedMs });
  if (reportFile) await writeFile(reportFile, JSON.stringify(result, null, 1)).catch(() => log.error('smoke report not written'));
  quitting = true;
  await shutdown?.().catch(() => undefined);
  app.exit(result.exitCode);
}

/**
 * Off unless the station config names an update folder (exam networks are closed). Only the NSIS install
 * can update itself; the portable exe and other platforms say so and go on.
 */
async function startUpdates(url: string): Promise<void> {
  if (process.platform !== 'win32' || process.env['PORTABLE_EXECUTABLE_DIR']) {
    log.info('updates configured but not possible for this build', { platform: process.platform });
    return;
  }
  // A named export: electron-updater's `autoUpdater` is a getter that ESM import cannot see.
  const { NsisUpdater } = await import('electron-updater');
  const updater = new NsisUpdater({ provider: 'generic', url });
  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = true;
  updater.on('error', (error: Error) => log.warn('update check failed', { error: error.name }));
  updater.on('update-downloaded', (info: { version: string }) => log.info('update downloaded; installs on quit', { version: info.version }));
  await updater.checkForUpdates();
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
  const dataDir = app.getPath('userData');
  const devTools = !app.isPackaged && process.env['STATION_DEVTOOLS'] === '1';
  // The station's private key and data key are sealed with the OS user's credentials (DPAPI on Windows).
  const secrets = await chooseSecretStore(safeStorage, process.platform, log);
  const enrollmentHint = enrollmentHintFromEnv(process.env, log);
  const printedPdfDir = path.join(dataDir, 'receipts');
  // A station that has not printed for a while still lets its old PDF copies go.
  void prunePrintedPdfs({ outDir: printedPdfDir, retentionDays: config.retentionDays, logger: log });
  const host: StationHost = await createStationHost({
    hostKind: 'electron',
    appVersion: app.getVersion(),
    config,
    defaultRosterSeedFile: paths.sampleRoster,
    dataDir,
    ...(secrets ? { secrets } : {}),
    ...(enrollmentHint ? { enrollmentHint } : {}),
    printer: createPdfPrinter({
      source: () => (windows?.webContentsFor('staff') ? windows.staff.webContents : undefined),
      outDir: printedPdfDir,
      retentionDays: config.retentionDays,
      logger: log,
    }),
    files: createSaveDialogSink({
      showSaveDialog: (dialogOptions) => {
        const owner = windows?.webContentsFor('staff') ? windows.staff : undefined;
        return owner ? dialog.showSaveDialog(owner, dialogOptions) : dialog.showSaveDialog(dialogOptions);
      },
      defaultDir: () => app.getPath('documents'),
    }),
    logger: log,
  });

  for (const role of roles) {
    const ses = session.fromPartition(windowPartitions[role]);
    ses.protocol.handle(APP_SCHEME, createAppProtocolHandler({ rendererDir: paths.rendererDir, role }));
    installSessionPolicy(ses, role);
    installRequestGuard(ses, role, devTools);
  }
  // Nothing is meant to load in the default session; deny it everything all the same.
  installSessionPolicy(session.defaultSession, 'kiosk');
  installRequestGuard(session.defaultSession, 'default', devTools);
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
    devTools,
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

  let closing: Promise<void> | undefined;
  // Serial ports and HID handles must be released before the process goes.
  shutdown = () =>
    (closing ??= (async () => {
      windows?.dispose();
      disposeRouter();
      await host.close().catch((error: unknown) => log.error('host close failed', { error: String(error) }));
    })());
  app.on('will-quit', (event) => {
    if (closing) return;
    event.preventDefault();
    void shutdown?.().finally(() => app.quit());
  });
  log.info('station started', { simulators: host.info.simulatorsActive, packaged: app.isPackaged });

  smoke?.watch({ staff: windows.staff.webContents, kiosk: windows.kiosk.webContents }, nativeModuleCheck);
  const feed = updateFeed(config, { packaged: app.isPackaged, smoke: smoke !== undefined });
  if (feed) startUpdates(feed.url).catch((error: unknown) => log.warn('updates not started', { error: error instanceof Error ? error.name : typeof error }));
}

function fail(error: unknown): void {
  const message =
    error instanceof StationError ? `${error.userMessage}\n(${error.code}: ${error.detail ?? ''})` : String(error);
  log.error('startup failed', { error: error instanceof StationError ? error.code : String(error) });
  // A smoke run has nobody to close a dialog (it would hang the CI job): it reports and exits instead.
  if (smoke) return smoke.fail(`startup failed: ${error instanceof StationError ? error.code : error instanceof Error ? error.message : String(error)}`);
  dialog.showErrorBox(zhCN.app.staffTitle, message);
  app.exit(1);
}

if (!app.requestSingleInstanceLock()) {
  // A second station on the same machine would fight the first for the card reader.
  if (smoke) smoke.fail('another instance of the station is running');
  else app.quit();
} else {
  app.on('second-instance', focusStaff);
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('web-contents-created', (_event, contents) => lockDownWebContents(contents));
  app.on('window-all-closed', () => app.quit());
  app.whenReady().then(start).catch(fail);
}
