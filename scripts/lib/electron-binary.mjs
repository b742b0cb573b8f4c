// Where the installed Electron binary is, found without `require('electron')`: that call starts a download
// when the binary is missing, and nothing here may fetch anything implicitly. Used by `npm start` and by the
// Electron end-to-end tests (which skip, saying why, when there is no binary).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/**
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {{ binary: string } | { why: string }}
 */
export function findElectronBinary(env = process.env) {
  let dir;
  try {
    dir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { why: 'the electron package is not installed' };
  }
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = path.join(dir, 'path.txt');
  if (!override && !existsSync(pathFile)) {
    return { why: 'its binary was not downloaded (run "npx install-electron" where the network allows)' };
  }
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const binary = override ? path.join(override, relative || 'electron') : path.join(dir, 'dist', relative);
  return existsSync(binary) ? { binary } : { why: `its binary is missing at ${binary}` };
}
