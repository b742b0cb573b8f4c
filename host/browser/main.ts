import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { appPathsFrom, appRootFrom } from '../app-paths.js';
import { browserHostPorts, loadStationConfig } from '../config/station-config.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { createConsoleLogger } from '../../core/logging/logger.js';
import { createStationHost } from '../station-host.js';
import { startBrowserHost } from './browser-host.js';
import { DownloadShelf } from '../services/file-sink.js';
import { demoAccounts } from '../services/staff-auth.js';
import { enrollmentHintFromEnv } from '../central/enrollment-hint.js';
import { StationError } from '../../core/errors/station-error.js';

/** Replaced by the build (esbuild `define`); running from sources says "dev". */
declare const STATION_APP_VERSION: string | undefined;
const appVersion = typeof STATION_APP_VERSION === 'string' ? STATION_APP_VERSION : 'dev';
/** Bundled to dist/host/browser-host.js: the project root is two levels up. */
const paths = appPathsFrom(appRootFrom(import.meta.url, 2));
const log = createConsoleLogger('browser-host');

function openInBrowser(url: string): void {
  const opener = process.platform === 'win32' ? 'explorer' : process.platform === 'darwin' ? 'open' : 'xdg-open';
  if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY']) return;
  const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}

const optional = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));

async function main(): Promise<void> {
  const config = await loadStationConfig();
  if (!existsSync(paths.rendererDir)) {
    throw new Error(`renderer not built: run "npm run build" first (${paths.rendererDir} missing)`);
  }
  const downloads = new DownloadShelf();
  const host = await createStationHost({
    hostKind: 'browser',
    files: downloads,
    appVersion,
    config,
    defaultRosterSeedFile: paths.sampleRoster,
    dataDir: process.env['STATION_DATA_DIR'] ?? path.join(paths.root, '.station-data'),
    logger: log,
    ...optional('enrollmentHint', enrollmentHintFromEnv(process.env, log)),
  });
  const ports = browserHostPorts(config);
  const web = await startBrowserHost({ host, rendererDir: paths.rendererDir, ports, logger: log, downloads }).catch((error: unknown) => {
    void host.close();
    if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
      throw new StationError('INTERNAL', zhCN.host.portInUse(ports.staff, ports.kiosk), 'port in use');
    }
    throw error;
  });
  const lines = [
    '',
    '现场确认工作站（浏览器模式）已启动 / station running in browser-host mode',
    `  工作人员窗口 staff: ${web.staffUrl}`,
    `  考生窗口 kiosk:     ${web.kioskUrl}`,
    `  模拟设备 simulators: ${host.info.simulatorsActive ? '已启用 on (no hardware found)' : '未启用 off'}`,
    // Printed here, never in the approval dialog that anyone at the desk can read.
    ...(host.info.staff?.demo
      ? demoAccounts.map(
          (a) => `  演示${zhCN.accounts.roles[a.role]} demo ${a.role}: ${a.name}，账号 ${a.id}，${a.role === 'supervisor' ? '登录及授权密码 PIN' : '密码'} ${a.password}（仅模拟设备时可用 / simulators only）`,
        )
      : []),
    '  Ctrl+C 退出 / to stop',
    '',
  ];
  console.log(lines.join('\n'));
  if (config.browserHost.openBrowser && !process.env['CI']) {
    openInBrowser(web.staffUrl);
    openInBrowser(web.kioskUrl);
  }
  const stop = () => {
    void web.close().then(() => host.close()).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof StationError) console.error(`${error.userMessage}\n(${error.code}: ${error.detail ?? ''})`);
  else console.error(error);
  process.exit(1);
});
