// `npm run check:package -- <unpacked app folder>`: checks what electron-builder produced, without running it.
// The app's bundles and renderer files are inside app.asar, no source maps and none of the dependencies the
// app does not load (see electron-builder.yml), the native device modules' binaries for this platform are in
// app.asar.unpacked, the sample roster is a resource beside it. Prints sizes. Exits 1 on any miss.
// The CI runs it on release/win-unpacked (Windows) and release/linux-unpacked (Linux).
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import asar from '@electron/asar';

const dir = path.resolve(process.argv[2] ?? (process.platform === 'win32' ? 'release/win-unpacked' : 'release/linux-unpacked'));
const platform = dir.includes('win-unpacked') ? 'win32' : dir.includes('linux-unpacked') ? 'linux' : process.platform;
const problems = [];
const expect = (ok, what) => {
  if (!ok) problems.push(what);
  console.log(`${ok ? '✓' : '✗'} ${what}`);
};

const exe = path.join(dir, platform === 'win32' ? 'xianchang-station.exe' : 'xianchang-station');
const resources = path.join(dir, 'resources');
const archive = path.join(resources, 'app.asar');
expect(existsSync(exe), `executable ${path.basename(exe)}`);
expect(existsSync(archive), 'resources/app.asar');
if (!existsSync(archive)) finish();

const files = new Set(asar.listPackage(archive, { isPack: false }).map((file) => file.replace(/\\/g, '/')));
for (const file of [
  '/package.json',
  '/dist/electron/main.js',
  '/dist/electron/preload/staff.cjs',
  '/dist/electron/preload/kiosk.cjs',
  '/dist/renderer/staff/index.html',
  '/dist/renderer/kiosk/index.html',
  '/dist/renderer/models/face/ssd_mobilenetv1_model-weights_manifest.json',
  '/dist/renderer/ocr/lang/chi_sim.traineddata.gz',
  '/dist/renderer/ocr/worker.min.js',
  '/dist/renderer/ocr/paddle/rec.onnx',
  '/dist/renderer/ocr/ort/ort-wasm-simd-threaded.wasm',
  '/dist/renderer/models/face/fr_feature.onnx',
  '/dist/renderer/models/face/fr_landmark.onnx',
  '/node_modules/electron-updater/package.json',
]) {
  expect(files.has(file), `app.asar has ${file}`);
}
expect(![...files].some((file) => file.endsWith('.map')), 'app.asar has no source maps');
for (const left of ['@tensorflow', 'tesseract.js-core', '@tesseract.js-data', '@vladmandic', '@electric-sql', 'exceljs', 'fastify', 'pg', '@gutenye', 'china-area-data']) {
  expect(![...files].some((file) => file.startsWith(`/node_modules/${left}/`)), `app.asar leaves out node_modules/${left}`);
}

const unpacked = path.join(resources, 'app.asar.unpacked', 'node_modules');
const nodeFiles = [];
const walk = (folder) => {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (entry.name.endsWith('.node')) nodeFiles.push(path.relative(unpacked, full).replace(/\\/g, '/'));
  }
};
if (existsSync(unpacked)) walk(unpacked);
const tag = platform === 'win32' ? 'win32-x64' : 'linux-x64';
const koffiTag = platform === 'win32' ? 'win32_x64' : 'linux_x64';
expect(nodeFiles.some((f) => f.startsWith('node-hid/') && f.includes(tag)), `app.asar.unpacked has node-hid's ${tag} binary`);
expect(nodeFiles.some((f) => f.startsWith('@serialport/bindings-cpp/') && f.includes(tag)), `app.asar.unpacked has @serialport/bindings-cpp's ${tag} binary`);
expect(nodeFiles.some((f) => f.startsWith('@koromix/koffi-') && f.includes(koffiTag)), `app.asar.unpacked has koffi's ${koffiTag} binary`);
expect(existsSync(path.join(resources, 'assets', 'roster', 'sample-roster.json')), 'resources/assets/roster/sample-roster.json');

const size = (target) => {
  if (!existsSync(target)) return 0;
  const info = statSync(target);
  if (!info.isDirectory()) return info.size;
  return readdirSync(target).reduce((sum, name) => sum + size(path.join(target, name)), 0);
};
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
console.log(`\napp.asar ${mb(size(archive))}, app.asar.unpacked ${mb(size(path.join(resources, 'app.asar.unpacked')))} (${nodeFiles.length} .node files), whole folder ${mb(size(dir))}`);
finish();

function finish() {
  if (problems.length) {
    console.log(`\n${problems.length} problem(s) in ${dir}`);
    process.exit(1);
  }
  console.log(`\npackage ok: ${dir}`);
  process.exit(0);
}
