import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from '../../scripts/lib/electron-binary.mjs';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * What the Electron end-to-end tests launch: the packaged app when STATION_E2E_APP names its executable
 * (release/win-unpacked/xianchang-station.exe after `npm run dist`, release/linux-unpacked/xianchang-station
 * after `npm run dist:dir`), otherwise the Electron binary on this checkout's build (dist/). Without either
 * the whole project is skipped, and says why: a skip is never a pass.
 */
export type ElectronTarget =
  | { kind: 'packaged'; executablePath: string; args: string[]; label: string }
  | { kind: 'dev'; executablePath: string; args: string[]; label: string }
  | { kind: 'none'; reason: string };

export function electronTarget(env: NodeJS.ProcessEnv = process.env): ElectronTarget {
  const app = env['STATION_E2E_APP'];
  if (app) {
    const executablePath = path.resolve(root, app);
    if (!existsSync(executablePath)) return { kind: 'none', reason: `STATION_E2E_APP names ${executablePath}, which does not exist` };
    return { kind: 'packaged', executablePath, args: [], label: `packaged app ${executablePath}` };
  }
  const found = findElectronBinary(env);
  if ('why' in found) return { kind: 'none', reason: `Electron binary not available: ${found.why}` };
  if (!existsSync(path.join(root, 'dist', 'electron', 'main.js'))) return { kind: 'none', reason: 'dist/electron/main.js missing: run "npm run build" first' };
  return { kind: 'dev', executablePath: found.binary, args: [root], label: `Electron ${found.binary} on ${root}dist` };
}

export const SKIP_PREFIX = 'Electron e2e skipped (not passed):';
