// `npm start`: build, then run the station in Electron when its binary is installed,
// otherwise in the browser host (same services, same renderer) and say why.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

const build = spawnSync(process.execPath, ['scripts/build.mjs', '--quiet'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

/** The electron package exports the binary's path, and throws when the binary was never downloaded. */
function electronBinary() {
  try {
    const binary = require('electron');
    return typeof binary === 'string' && existsSync(binary) ? { binary } : { why: `binary missing at ${binary}` };
  } catch (error) {
    return { why: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  }
}

const electron = electronBinary();
const child =
  'binary' in electron && !process.argv.includes('--browser')
    ? spawn(electron.binary, ['.'], { cwd: root, stdio: 'inherit' })
    : (console.log(
        `Electron is not available (${'why' in electron ? electron.why : 'browser mode requested'}); ` +
          'starting the browser host instead: same services and UI, served to your browser on 127.0.0.1.',
      ),
      spawn(process.execPath, ['dist/host/browser-host.js'], { cwd: root, stdio: 'inherit' }));

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
