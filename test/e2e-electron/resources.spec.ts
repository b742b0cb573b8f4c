import { spawn } from 'node:child_process';
import type * as NodeFs from 'node:fs';
import type * as NodeModule from 'node:module';
import type * as NodePath from 'node:path';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DATA_KEY_FILE } from '../../host/services/data-key.js';
import { checkNativeModules, loadedSharedObjects, nativeModules, type NativeModuleName } from '../../electron/main/native-modules.js';
import { SAFE_STORAGE_KIND } from '../../electron/main/secrets.js';
import type { SmokeResult } from '../../electron/main/smoke.js';
import { countingServer, defaultStationConfig, expect, launchStation, logLines, skipWithoutElectron, target, test } from './fixtures.js';

skipWithoutElectron();

test('the station key and the data key are sealed with safeStorage: the files on disk are not the keys', async ({ station }) => {
  const { staffCall, dataDir, app } = station;
  const key = (await staffCall('storage.dataKey', {})) as { ok: boolean; value: { keyBase64: string } };
  expect(key.ok).toBe(true);
  await staffCall('central.status', {}); // opens (and on first start creates) the station identity
  const identityText = await readFile(path.join(dataDir, 'station-identity.json'), 'utf8');
  const dataKeyText = await readFile(path.join(dataDir, DATA_KEY_FILE), 'utf8');
  const identity = JSON.parse(identityText) as { secretStore: string; privateKey: string };
  const dataKey = JSON.parse(dataKeyText) as { secretStore: string; key: string };

  const backend = await app.evaluate(({ safeStorage }) => (process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : process.platform));
  test.info().annotations.push({ type: 'safeStorage', description: `backend ${backend}` });
  expect(identity.secretStore).toBe(SAFE_STORAGE_KIND);
  expect(dataKey.secretStore).toBe(SAFE_STORAGE_KIND);
  expect(identityText).not.toContain('PRIVATE KEY');
  expect(dataKeyText).not.toContain(key.value.keyBase64);

  // And safeStorage, in this process, opens the sealed data key to exactly the key the staff window got.
  const opened = await app.evaluate(async ({ safeStorage }, sealed) => (await safeStorage.decryptStringAsync(Buffer.from(sealed, 'base64'))).result, dataKey.key);
  expect(opened).toBe(key.value.keyBase64);
});

test('face models, OCR data and WASM cores are served from the app itself; fonts are the system’s', async ({ station }) => {
  const { app, staff } = station;
  // What the app ships, read by the main process (inside app.asar when packaged).
  const shipped = await app.evaluate(({ app: electronApp }) => {
    const builtin = (process as unknown as { getBuiltinModule(id: string): unknown }).getBuiltinModule;
    const fs = builtin('node:fs') as typeof NodeFs;
    const path = builtin('node:path') as typeof NodePath;
    const renderer = path.join(electronApp.getAppPath(), 'dist', 'renderer');
    const files: Record<string, number> = {};
    for (const dir of ['models/face', 'models/face/wasm', 'ocr/lang', 'ocr/core', 'ocr/ort']) {
      for (const name of fs.readdirSync(path.join(renderer, dir))) {
        const full = path.join(renderer, dir, name);
        if (fs.statSync(full).isFile()) files[`/${dir}/${name}`] = fs.statSync(full).size;
      }
    }
    files['/ocr/worker.min.js'] = fs.statSync(path.join(renderer, 'ocr', 'worker.min.js')).size;
    return files;
  });
  const names = Object.keys(shipped);
  expect(names.some((n) => n.startsWith('/models/face/ssd_mobilenetv1_model'))).toBe(true);
  expect(names.some((n) => n.endsWith('.wasm'))).toBe(true);
  expect(names).toContain('/ocr/lang/chi_sim.traineddata.gz');
  expect(names).toContain('/ocr/ort/ort-wasm-simd-threaded.wasm');
  const served = await staff.evaluate(async (paths) => {
    const out: Record<string, { status: number; bytes: number; type: string | null }> = {};
    for (const p of paths) {
      const response = await fetch(p);
      out[p] = { status: response.status, bytes: (await response.arrayBuffer()).byteLength, type: response.headers.get('content-type') };
    }
    return out;
  }, names);
  for (const name of names) {
    expect(served[name], name).toMatchObject({ status: 200, bytes: shipped[name] });
    if (name.endsWith('.wasm')) expect(served[name]?.type, name).toBe('application/wasm');
  }
  // No web font comes from anywhere but the app (the app ships none: CJK text uses the system's fonts).
  const fontSources = await staff.evaluate(() =>
    [...document.styleSheets].flatMap((sheet) => [...sheet.cssRules].filter((rule) => rule instanceof CSSFontFaceRule).map((rule) => (rule as CSSFontFaceRule).style.getPropertyValue('src'))),
  );
  for (const src of fontSources) expect(src).toMatch(/^(?:url\("?app:\/\/station\/|local\()/);
  test.info().annotations.push({ type: 'fonts', description: fontSources.length ? `${fontSources.length} @font-face rule(s), all local` : 'no @font-face rules: system fonts only' });
});

test('no network request leaves the app at start (every session points at a counting proxy)', async () => {
  const proxy = await countingServer();
  const running = await launchStation({ args: [`--proxy-server=${proxy.url}`, '--proxy-bypass-list=<-loopback>'] });
  try {
    // The proxy is really in force for the windows' sessions (so anything that tried would have hit it).
    const resolved = await running.app.evaluate(async ({ session }) => [
      await session.fromPartition('persist:station-staff').resolveProxy('https://example.com/'),
      await session.fromPartition('station-kiosk').resolveProxy('http://127.0.0.1:9/'),
      await session.defaultSession.resolveProxy('https://example.com/'),
    ]);
    for (const rule of resolved) expect(rule).toContain(proxy.url.replace('http://', 'PROXY '));
    // Up to a working station: both pages, the bridge, the roster (launchStation waited for them).
    await expect(running.staff.getByTestId('device-idcard-reader')).toContainText('就绪');
    expect(proxy.hits).toEqual([]);
    expect(logLines(running.logs, 'request blocked')).toEqual([]);
  } finally {
    await running.app.close().catch(() => undefined);
    await proxy.close();
  }
});

test('--smoke exits 0 once the staff window is ready, with the native modules loaded', async () => {
  if (target.kind === 'none') return; // skipped above; this narrows the type
  const dir = mkdtempSync(path.join(tmpdir(), 'station-smoke-'));
  const report = path.join(dir, 'smoke.json');
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(defaultStationConfig));
  const child = spawn(target.executablePath, [...target.args, '--smoke', '--smoke-timeout=60000', `--smoke-report=${report}`], {
    env: { ...process.env, STATION_DATA_DIR: path.join(dir, 'data'), STATION_CONFIG: path.join(dir, 'config.json'), STATION_SIMULATOR_TIMING: 'instant' },
    stdio: 'ignore',
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const result = JSON.parse(readFileSync(report, 'utf8')) as SmokeResult;
  expect(result).toMatchObject({ ok: true, exitCode: 0, staffUrl: 'app://station/staff' });
  expect(code).toBe(0);
  expect(result.nativeModules?.map((m) => [m.name, m.loaded])).toEqual(nativeModules.map((m) => [m.name, true]));
  if (target.kind === 'packaged') for (const m of result.nativeModules ?? []) expect(m.fromUnpacked, m.name).not.toBe(false);
});

test.describe('packaged app', () => {
  test.skip(target.kind !== 'packaged', 'only the packaged app has app.asar (set STATION_E2E_APP; the CI does after building it)');

  test('the native modules load from app.asar.unpacked, the app from app.asar, the roster from resources', async ({ station }) => {
    const found = await station.app.evaluate(({ app }, names) => {
      const builtin = (process as unknown as { getBuiltinModule(id: string): unknown }).getBuiltinModule;
      const fs = builtin('node:fs') as typeof NodeFs;
      const path = builtin('node:path') as typeof NodePath;
      const { createRequire } = builtin('node:module') as typeof NodeModule;
      // Resolved exactly as the bundle resolves them (from dist/electron/main.js inside app.asar).
      const load = createRequire(path.join(app.getAppPath(), 'dist', 'electron', 'main.js'));
      const loaded: Record<string, string> = {};
      for (const name of names) {
        try {
          load(name);
          loaded[name] = 'ok';
        } catch (error) {
          loaded[name] = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        }
      }
      const report = (process as unknown as { report?: { getReport(): unknown } }).report?.getReport();
      return {
        appPath: app.getAppPath(),
        packaged: app.isPackaged,
        roster: fs.existsSync(path.join(process.resourcesPath, 'assets', 'roster', 'sample-roster.json')),
        loaded,
        report: report as { sharedObjects?: unknown } | undefined,
        maps: process.platform === 'linux' ? fs.readFileSync('/proc/self/maps', 'utf8') : undefined,
      };
    }, nativeModules.map((m) => m.name));
    expect(found.packaged).toBe(true);
    expect(found.appPath.replace(/\\/g, '/')).toMatch(/\/resources\/app\.asar$/);
    expect(found.roster).toBe(true);
    const statuses = await checkNativeModules({
      load: async (name: NativeModuleName) => {
        if (found.loaded[name] !== 'ok') throw new Error(found.loaded[name]);
      },
      packaged: true,
      loadedObjects: () => loadedSharedObjects({ report: () => found.report, readMaps: found.maps === undefined ? undefined : () => found.maps! }),
    });
    for (const status of statuses) {
      expect(status.loaded, `${status.name}: ${found.loaded[status.name]}`).toBe(true);
      expect(status.binaries.length, `${status.name}: no binary among the loaded shared objects`).toBeGreaterThan(0);
      expect(status.fromUnpacked, `${status.name}: ${status.binaries.join(', ')}`).toBe(true);
    }
  });
});
