// Builds everything that runs: the renderer (Vite) and the Node/Electron entry points (esbuild).
import { build as esbuild } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build as viteBuild } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
const nativeAndHost = ['electron', 'node-hid', 'serialport', 'bufferutil', 'utf-8-validate'];
// ESM bundles of CommonJS dependencies need a `require`.
const esmRequireBanner = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

const quiet = process.argv.includes('--quiet');
const started = Date.now();

await viteBuild({ configFile: `${root}/vite.config.ts`, logLevel: quiet ? 'warn' : 'info' });

const common = {
  absWorkingDir: root,
  bundle: true,
  sourcemap: true,
  target: 'node20',
  logLevel: 'warning',
  define: { STATION_APP_VERSION: JSON.stringify(pkg.version) },
};

await Promise.all([
  esbuild({
    ...common,
    entryPoints: { 'host/browser-host': 'host/browser/main.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'esm',
    outExtension: { '.js': '.js' },
    external: nativeAndHost,
    banner: { js: esmRequireBanner },
  }),
  esbuild({
    ...common,
    entryPoints: { 'electron/main': 'electron/main/main.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'esm',
    external: nativeAndHost,
    banner: { js: esmRequireBanner },
  }),
  // Sandboxed preloads must be single CommonJS files that require nothing but 'electron'.
  esbuild({
    ...common,
    entryPoints: {
      'electron/preload/staff': 'electron/preload/staff.preload.ts',
      'electron/preload/kiosk': 'electron/preload/kiosk.preload.ts',
    },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    platform: 'browser',
    target: 'chrome120',
    format: 'cjs',
    external: ['electron'],
  }),
]);

if (!quiet) console.log(`build finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
