// Builds everything that runs: the renderer (Vite) and the Node/Electron entry points (esbuild).
import { build as esbuild } from 'esbuild';
import { rmSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build as viteBuild } from 'vite';
import { swapDir } from './lib/swap-dir.mjs';
import { copyOcrAssets } from './ocr-assets.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
// Loaded from node_modules at run time (native binaries, and electron-updater only when updates are configured).
const nativeAndHost = ['electron', 'electron-updater', 'node-hid', 'serialport', 'koffi', 'bufferutil', 'utf-8-validate'];
// ESM bundles of CommonJS dependencies need a `require`.
const esmRequireBanner = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

const quiet = process.argv.includes('--quiet');
const started = Date.now();

// Everything is built into a folder of its own beside dist/ and swapped in when complete: a station already
// running from dist/ (a second `npm start`, or the end-to-end tests' hosts while the first-run test starts one)
// keeps serving whole files instead of a renderer folder Vite has just emptied. The sibling keeps dist/'s depth,
// so the source maps' relative paths and the bundles' node_modules lookups are the same.
const finalDir = `${root}/dist`;
const outDir = `${root}/dist.next-${process.pid}`;
await rm(outDir, { recursive: true, force: true });
// A failed build leaves dist/ as it was and no half-built folder behind.
process.on('exit', (code) => {
  if (code !== 0) rmSync(outDir, { recursive: true, force: true });
});

await viteBuild({ configFile: `${root}/vite.config.ts`, logLevel: quiet ? 'warn' : 'info', build: { outDir: `${outDir}/renderer`, emptyOutDir: true } });
await copyFaceModels();
await copyOcrAssets(`${outDir}/renderer/ocr`);
await copyDemoFaces();
await copyReceiptFont();

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
    outdir: outDir,
    platform: 'node',
    format: 'esm',
    outExtension: { '.js': '.js' },
    external: nativeAndHost,
    banner: { js: esmRequireBanner },
  }),
  esbuild({
    ...common,
    entryPoints: { 'electron/main': 'electron/main/main.ts' },
    outdir: outDir,
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
    outdir: outDir,
    outExtension: { '.js': '.cjs' },
    platform: 'browser',
    target: 'chrome120',
    format: 'cjs',
    external: ['electron'],
  }),
]);

await swapDir(outDir, finalDir);

if (!quiet) console.log(`build finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);

/**
 * The face models and the WASM binaries ship with the app (served from its own origin, never a CDN): both
 * detectors (the config chooses), landmarks, both recognizers (face-api's dlib net, Faceplugin's fr_feature.onnx
 * and its landmark net) and tfjs-backend-wasm's WASM (every net runs on face-api's tfjs, the ONNX ones too).
 */
async function copyFaceModels() {
  const modelDir = `${root}/node_modules/@vladmandic/face-api/model`;
  const out = `${outDir}/renderer/models/face`;
  await mkdir(`${out}/wasm`, { recursive: true });
  const stems = ['ssd_mobilenetv1_model', 'tiny_face_detector_model', 'face_landmark_68_model', 'face_recognition_model'];
  for (const stem of stems) {
    for (const file of [`${stem}-weights_manifest.json`, `${stem}.bin`]) await cp(`${modelDir}/${file}`, `${out}/${file}`);
  }
  const wasmDir = `${root}/node_modules/@tensorflow/tfjs-backend-wasm/dist`;
  for (const file of (await readdir(wasmDir)).filter((name) => name.endsWith('.wasm'))) await cp(`${wasmDir}/${file}`, `${out}/wasm/${file}`);
  // fr_landmark.onnx: the recognizer's alignment landmarks (renderer/face/recognizer.ts alignmentLandmarks).
  for (const file of ['fr_feature.onnx', 'fr_landmark.onnx']) await cp(`${root}/node_modules/faceplugin-face-recognition-js/model/${file}`, `${out}/${file}`);
  // Vite also emits ORT's WASM into assets/ (the OCR worker's bundle names it in a new URL(…, import.meta.url));
  // the worker sets wasmPaths to the copy in ocr/ort/ (scripts/ocr-assets.mjs), so that 14 MB duplicate would
  // only bloat the installer.
  const assets = `${outDir}/renderer/assets`;
  for (const file of (await readdir(assets)).filter((name) => /^ort-wasm-.*\.wasm$/.test(name))) await rm(`${assets}/${file}`);
}

/**
 * The simulated camera's faces (training and demos): synthetic people from the fake-avatars package, never the
 * test fixtures' real faces. Served as demo-faces/<number>.png.
 */
async function copyDemoFaces() {
  const { faces, stranger } = JSON.parse(await readFile(`${root}/assets/demo/demo-faces.json`, 'utf8'));
  const out = `${outDir}/renderer/demo-faces`;
  await mkdir(out, { recursive: true });
  for (const n of new Set([...Object.values(faces), stranger])) await cp(`${root}/node_modules/fake-avatars/avatars/png/${n}.png`, `${out}/${n}.png`);
}

/**
 * The printed receipt's font (renderer/receipts/receipt.css): Noto Sans SC Regular (SIL OFL, licence beside it),
 * the same file the day report embeds, served as fonts/NotoSansSC-Regular.ttf.
 */
async function copyReceiptFont() {
  const from = `${root}/node_modules/@expo-google-fonts/noto-sans-sc`;
  const out = `${outDir}/renderer/fonts`;
  await mkdir(out, { recursive: true });
  await cp(`${from}/400Regular/NotoSansSC_400Regular.ttf`, `${out}/NotoSansSC-Regular.ttf`);
  await cp(`${from}/LICENSE_FONT`, `${out}/LICENSE-NotoSansSC.txt`);
}
