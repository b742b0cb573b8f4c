/**
 * Face engine timing in real Chromium: `npx tsx scripts/bench/face-chromium.ts [--frames 10] [--image some.jpg]`
 * (also run by scripts/bench-face.ts after the Node figures).
 *
 * The page (scripts/bench/face-page.ts, bundled with esbuild) is served from 127.0.0.1 with the station's own
 * response headers (core/security/csp.ts: script-src 'self' 'wasm-unsafe-eval', connect-src 'self', …), the
 * weights from node_modules/@vladmandic/face-api/model under /models/face/ and tfjs-backend-wasm's binaries under
 * /models/face/wasm/ — the layout scripts/build.mjs gives dist/renderer. The engine is loaded through the app's
 * createBrowserFaceEngine, one backend at a time (WebGL, then WASM), each in a fresh browser context (cold
 * cache), for both detectors. Chromium runs with the e2e flags (playwright.config.ts chromiumArgs, --disable-gpu).
 */
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import { stationResponseHeaders } from '../../core/security/csp.js';
import type { FaceConfig, RecognizerId } from '../../core/contract/face-config.js';
import { modelFilesFor } from '../../renderer/face/face-api-port.js';
import { RECOGNIZERS } from '../../renderer/face/recognizer.js';
import type { RgbaImage } from '../../renderer/face/rgba.js';
import { chromiumArgs } from '../../playwright.config.js';
import { sharedFixturesDir } from '../../test/support/shared-fixtures.js';
import { toCameraFrame } from '../face/camera-frame.js';
import { readImage } from '../face/decode-image.js';
import type { FaceBenchEnvironment, FaceBenchFailure, FaceBenchParams, FaceBenchSuccess } from './face-page.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const MODEL_DIR = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
const WASM_DIR = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
const FACEPLUGIN_MODELS = path.join(path.dirname(require.resolve('faceplugin-face-recognition-js/package.json')), 'model');

export type Detector = FaceConfig['detection']['detector'];
export const DETECTORS: readonly Detector[] = ['ssd', 'tiny'];

/**
 * One engine configuration to time: the detector of live frames (what the bench frame is) and the recognizer.
 * Reference photos use SSD in every row, so its weights load in every row.
 */
export interface EngineChoice {
  readonly detector: Detector;
  readonly recognizer: RecognizerId;
  /** Tiny detector input size for live frames; 416 when absent. */
  readonly tinyInputSize?: number;
}

/** Today's engine (until issue 14: SSD and dlib throughout) first, the new recognizer on SSD, then the default. */
export const ENGINE_CHOICES: readonly EngineChoice[] = [
  { detector: 'ssd', recognizer: 'faceapi-dlib' },
  { detector: 'ssd', recognizer: 'faceplugin-fr-feature' },
  { detector: 'tiny', tinyInputSize: 320, recognizer: 'faceplugin-fr-feature' },
];

/** The `face` config input for a choice. */
export function choiceConfig(choice: EngineChoice): { detection: Record<string, unknown>; match: { recognizer: RecognizerId } } {
  return { detection: { detector: 'ssd', liveDetector: choice.detector, liveTinyInputSize: choice.tinyInputSize ?? 416 }, match: { recognizer: choice.recognizer } };
}

/** Bytes a deployment ships for an engine choice (weights only; the runtimes' WASM is listed apart). */
export async function weightBytes(choice: Pick<EngineChoice, 'detector' | 'recognizer'>): Promise<number> {
  const files = new Set([...modelFilesFor('ssd'), ...modelFilesFor(choice.detector)]);
  const faceApi = [...files].filter((f) => choice.recognizer === 'faceapi-dlib' || !f.startsWith('face_recognition_model'));
  let total = 0;
  for (const f of faceApi) total += (await readFile(path.join(MODEL_DIR, f))).byteLength;
  if (choice.recognizer !== 'faceapi-dlib') for (const f of RECOGNIZERS[choice.recognizer].files) total += (await readFile(path.join(FACEPLUGIN_MODELS, f))).byteLength;
  return total;
}

// ---------------------------------------------------------------------------------------------------------------
// Figures and the table (shared with the Node part in scripts/bench-face.ts)

export interface Stats {
  median: number;
  p95: number;
}

/** Nearest-rank percentiles: with 10 frames p95 is the slowest frame. */
export function stats(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
  return { median: at(0.5), p95: at(0.95) };
}

export interface FaceBenchRow {
  runtime: string;
  backend: string;
  detector: Detector;
  recognizer: RecognizerId;
  tinyInputSize?: number;
  /** undefined when the backend did not initialise or the run failed (see note). */
  figures?: {
    backendStartMs: number;
    weightsMs: number;
    loadMs: number;
    firstFrameMs: number;
    detect: Stats;
    descriptor: Stats;
    total: Stats;
  };
  note: string;
}

const fmt = (value: number): string => (Number.isNaN(value) ? '–' : value < 10 ? value.toFixed(1) : value.toFixed(0));
const pair = (s: Stats): string => `${fmt(s.median)} / ${fmt(s.p95)}`;

export function printFaceTable(title: string, rows: readonly FaceBenchRow[], frames: number): void {
  const header = ['runtime', 'backend', 'live detector', 'recognizer', 'backend start', 'weights', 'load total', '1st frame', 'detect+landm. p50/p95', 'descriptor p50/p95', 'per frame p50/p95'];
  const body = rows.map((r) => {
    const f = r.figures;
    const dash = '–';
    return [
      r.runtime,
      r.backend,
      r.detector === 'tiny' ? `tiny@${r.tinyInputSize ?? 416}` : r.detector,
      r.recognizer === 'faceapi-dlib' ? `${r.recognizer} (today)` : r.recognizer,
      f ? fmt(f.backendStartMs) : dash,
      f ? fmt(f.weightsMs) : dash,
      f ? fmt(f.loadMs) : dash,
      f ? fmt(f.firstFrameMs) : dash,
      f ? pair(f.detect) : dash,
      f ? pair(f.descriptor) : dash,
      f ? pair(f.total) : dash,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i < 4 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${title} — all times in ms; ${frames} timed frames after one warm-up frame\n`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const cells of body) console.log(line(cells));
  const notes = rows.filter((r) => r.note);
  if (notes.length > 0) console.log('');
  for (const r of notes) console.log(`  ${r.runtime} ${r.backend} ${r.detector} ${r.recognizer}: ${r.note}`);
}

// ---------------------------------------------------------------------------------------------------------------
// The page server: the app's headers, its model layout, the frame as raw RGBA

interface Served {
  body: Buffer | Uint8Array;
  type: string;
}

async function pageAssets(frame: RgbaImage): Promise<Map<string, Served>> {
  const bundle = await build({
    entryPoints: [path.join(ROOT, 'scripts/bench/face-page.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  const assets = new Map<string, Served>();
  assets.set('/', { type: 'text/html; charset=utf-8', body: Buffer.from('<!doctype html><meta charset="utf-8"><title>face bench</title><link rel="icon" href="data:,"><script src="/face-bench.js"></script>') });
  assets.set('/face-bench.js', { type: 'text/javascript; charset=utf-8', body: bundle.outputFiles[0]!.contents });
  // Only the files the app ships (scripts/build.mjs), by exact name: nothing else in node_modules is reachable.
  for (const file of new Set(DETECTORS.flatMap((d) => modelFilesFor(d)))) {
    assets.set(`/models/face/${file}`, { type: file.endsWith('.json') ? 'application/json' : 'application/octet-stream', body: await readFile(path.join(MODEL_DIR, file)) });
  }
  for (const file of (await readdir(WASM_DIR)).filter((name) => name.endsWith('.wasm'))) {
    assets.set(`/models/face/wasm/${file}`, { type: 'application/wasm', body: await readFile(path.join(WASM_DIR, file)) });
  }
  for (const id of Object.keys(RECOGNIZERS) as RecognizerId[]) {
    if (id === 'faceapi-dlib') continue;
    for (const file of RECOGNIZERS[id].files) assets.set(`/models/face/${file}`, { type: 'application/octet-stream', body: await readFile(path.join(FACEPLUGIN_MODELS, file)) });
  }
  assets.set('/frame.rgba', { type: 'application/octet-stream', body: Buffer.from(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength) });
  return assets;
}

async function startServer(assets: Map<string, Served>): Promise<{ origin: string; requests: string[]; notFound: string[]; close: () => Promise<void> }> {
  const headers = stationResponseHeaders({ camera: false });
  const requests: string[] = [];
  const notFound: string[] = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname);
    const asset = request.method === 'GET' ? assets.get(url.pathname) : undefined;
    if (!asset) {
      notFound.push(url.pathname);
      return void response.writeHead(404, headers).end();
    }
    response.writeHead(200, { ...headers, 'content-type': asset.type, 'content-length': String(asset.body.byteLength) }).end(asset.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    notFound,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The runs

export interface ChromiumFaceBenchOptions {
  frame: RgbaImage;
  frames: number;
  engines?: readonly EngineChoice[];
  backends?: readonly FaceBenchParams['backend'][];
  /** Extra Chromium flags (e.g. --enable-unsafe-swiftshader) on top of the e2e ones. */
  extraArgs?: readonly string[];
}

export interface ChromiumFaceBenchResult {
  rows: FaceBenchRow[];
  browserVersion: string;
  environment: FaceBenchEnvironment;
  args: readonly string[];
  /** Console warnings about the app's response headers (same on every load). */
  headerWarnings: string[];
}

export async function runChromiumFaceBench(options: ChromiumFaceBenchOptions): Promise<ChromiumFaceBenchResult> {
  const server = await startServer(await pageAssets(options.frame));
  const args = [...chromiumArgs, ...(options.extraArgs ?? [])];
  const browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args });
  const runtime = `Chromium ${browser.version().split('.')[0]}`;
  const rows: FaceBenchRow[] = [];
  const headerWarnings = new Set<string>();
  let environment: FaceBenchEnvironment | undefined;
  try {
    for (const backend of options.backends ?? (['wasm'] as const)) {
      for (const choice of options.engines ?? ENGINE_CHOICES) {
        const { detector, recognizer, tinyInputSize } = choice;
        // A fresh context per run: empty HTTP cache, a new tfjs instance, no compiled shaders or WASM kept.
        const context = await browser.newContext();
        const consoleErrors = new Set<string>();
        try {
          const tab = await context.newPage();
          tab.on('console', (message) => {
            const text = message.text();
            if (message.type() !== 'error' && message.type() !== 'warning') return;
            // Header warnings are the same on every page load: reported once, under the table.
            if (text.startsWith('Error with Permissions-Policy header')) headerWarnings.add(text);
            // The server's own list of 404s says which file (below); this message does not.
            else if (!text.startsWith('Failed to load resource')) consoleErrors.add(text.replace(/0x[0-9a-f]+/g, '…').slice(0, 200));
          });
          tab.on('pageerror', (error) => consoleErrors.add(`pageerror: ${error.message.slice(0, 200)}`));
          const missingBefore = server.notFound.length;
          await tab.goto(`${server.origin}/`);
          environment ??= await tab.evaluate(() => (globalThis as unknown as { faceBenchEnvironment: () => FaceBenchEnvironment }).faceBenchEnvironment());
          const params: FaceBenchParams = {
            backend,
            config: choiceConfig(choice),
            frames: options.frames,
            frameWidth: options.frame.width,
            frameHeight: options.frame.height,
            modelBaseUrl: '/models/face/',
            wasmBaseUrl: '/models/face/wasm/',
            frameUrl: '/frame.rgba',
          };
          const first = server.requests.length;
          const result = await tab.evaluate(
            (p) => (globalThis as unknown as { runFaceBench: (p: FaceBenchParams) => Promise<FaceBenchSuccess | FaceBenchFailure> }).runFaceBench(p),
            params,
          );
          const requested = server.requests.slice(first);
          const wasmFiles = requested.filter((r) => r.endsWith('.wasm')).map((r) => path.basename(r));
          const missing = server.notFound.slice(missingBefore);
          const extra = [
            ...(wasmFiles.length ? [`fetched ${wasmFiles.join(', ')}`] : []),
            ...(missing.length ? [`404 ${missing.join(', ')}`] : []),
            ...[...consoleErrors].slice(0, 3).map((e) => `console: ${e}`),
          ];
          if (!result.ok) {
            rows.push({ runtime, backend, detector, recognizer, ...(tinyInputSize ? { tinyInputSize } : {}), note: [`did not run: ${result.error}`, ...extra].join('; ') });
            continue;
          }
          rows.push({
            runtime,
            backend: result.backend,
            detector,
            recognizer,
            ...(tinyInputSize ? { tinyInputSize } : {}),
            figures: {
              backendStartMs: result.backendStartMs,
              weightsMs: result.weightsMs,
              loadMs: result.modelLoadMs,
              firstFrameMs: result.firstFrameMs,
              detect: stats(result.detectMs),
              descriptor: stats(result.descriptorMs),
              total: stats(result.totalMs),
            },
            note: extra.join('; '),
          });
        } finally {
          await context.close();
        }
      }
    }
    return {
      rows,
      browserVersion: browser.version(),
      environment: environment ?? { userAgent: '', crossOriginIsolated: false, hardwareConcurrency: 0, webgl: 'not measured' },
      args,
      headerWarnings: [...headerWarnings],
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

export function printChromiumFaceBench(result: ChromiumFaceBenchResult, frames: number): void {
  printFaceTable(`face engine in Chromium ${result.browserVersion} (createBrowserFaceEngine, app CSP, one backend per run)`, result.rows, frames);
  const env = result.environment;
  console.log(`\n  flags: ${result.args.join(' ')}`);
  for (const warning of result.headerWarnings) console.log(`  header warning (every page load, from core/security/csp.ts headers): ${warning}`);
  console.log(`  WebGL in this browser: ${env.webgl}; crossOriginIsolated=${env.crossOriginIsolated} (no WASM threads, as in the app); ${env.hardwareConcurrency} logical CPUs`);
  console.log('  backend start = createBrowserFaceEngine start → first weights request (WASM compile / WebGL context); weights = fetch + parse + upload;');
  console.log("  load total = createBrowserFaceEngine's modelLoadMs; per frame = FaceEngine.analyse on the 640×480 frame ('live': no padding).");
}

// ---------------------------------------------------------------------------------------------------------------
// Options and the frame (shared with scripts/bench-face.ts), and the standalone entry

export interface FaceBenchOptions {
  frames: number;
  imageFile: string;
  skipBrowser: boolean;
  /** Adds --enable-unsafe-swiftshader: WebGL on the CPU rasteriser where --disable-gpu leaves no WebGL. */
  swiftshader: boolean;
  /** Also time the WebGL backend (slow where WebGL is a software rasteriser, as here). */
  webgl: boolean;
  /** Extra rows: live frames on the tiny detector at these input sizes, default recognizer (--tiny-input 256,416). */
  tinyInputs: number[];
}

export function faceBenchOptions(argv: readonly string[] = process.argv.slice(2)): FaceBenchOptions {
  const opt = (name: string): string | undefined => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const frames = Number(opt('--frames') ?? 10);
  if (!Number.isInteger(frames) || frames < 1) throw new Error('--frames must be a positive integer');
  return {
    frames,
    imageFile: opt('--image') ?? path.join(process.env['FACE_FIXTURES_DIR'] ?? sharedFixturesDir, 'faces-lfw/Wen_Jiabao/Wen_Jiabao_0001.jpg'),
    skipBrowser: argv.includes('--skip-browser'),
    swiftshader: argv.includes('--swiftshader'),
    webgl: argv.includes('--webgl'),
    tinyInputs: (opt('--tiny-input') ?? '').split(',').filter(Boolean).map(Number),
  };
}

/** The fixture photo (read in place, in memory only) placed in a 640×480 camera-like frame: the same frame for every runtime. */
export async function benchFrame(imageFile: string): Promise<RgbaImage> {
  return toCameraFrame(await readImage(imageFile));
}

async function main(): Promise<void> {
  const options = faceBenchOptions();
  const frame = await benchFrame(options.imageFile);
  const extraArgs = options.swiftshader ? ['--enable-unsafe-swiftshader'] : [];
  const backends = options.webgl ? (['webgl', 'wasm'] as const) : (['wasm'] as const);
  printChromiumFaceBench(await runChromiumFaceBench({ frame, frames: options.frames, extraArgs, backends }), options.frames);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  });
}
