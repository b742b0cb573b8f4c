/**
 * Face engine timing, today's engine (face-api's dlib recognizer) beside the current one in the same run: model
 * load and per-frame detect + landmarks + align + descriptor on a 640×480 camera-like frame, for both detectors,
 * in Node (tfjs WASM for face-api, onnxruntime-web WASM for ONNX recognizers; SIMD, single thread) and then in
 * real Chromium (WASM through the app's createBrowserFaceEngine; see scripts/bench/face-chromium.ts).
 *   npm run bench:face [-- --frames 10] [--image some.jpg] [--skip-browser] [--webgl] [--swiftshader]
 * Without --image it uses a shared test fixture (FACE_FIXTURES_DIR), in memory only; prints no image data.
 */
import { FaceConfig } from '../core/contract/face-config.js';
import { createNodeFaceEngine } from './face/node-face-engine.js';
import { ENGINE_CHOICES, benchFrame, faceBenchOptions, printChromiumFaceBench, printFaceTable, runChromiumFaceBench, stats, weightBytes, type FaceBenchRow } from './bench/face-chromium.js';

const options = faceBenchOptions();
const frame = await benchFrame(options.imageFile);
const runtime = `Node ${process.version.split('.')[0]!.slice(1)}`;

const rows: FaceBenchRow[] = [];
let first = true;
for (const { detector, recognizer } of ENGINE_CHOICES) {
  const { engine, modelLoadMs, backendMs } = await createNodeFaceEngine(FaceConfig.parse({ detection: { detector }, match: { recognizer } }));
  const t0 = performance.now();
  const warm = await engine.analyse(frame, 'live');
  const firstFrameMs = performance.now() - t0;
  if (!warm.ok) throw new Error(`bench frame: ${warm.reason}`);
  const detect: number[] = [];
  const descriptor: number[] = [];
  const total: number[] = [];
  for (let i = 0; i < options.frames; i++) {
    const a = await engine.analyse(frame, 'live');
    detect.push(a.timings.detectMs);
    descriptor.push(a.timings.descriptorMs);
    total.push(a.timings.totalMs);
  }
  rows.push({
    runtime,
    backend: engine.backend,
    detector,
    recognizer,
    figures: { backendStartMs: backendMs, weightsMs: modelLoadMs, loadMs: backendMs + modelLoadMs, firstFrameMs, detect: stats(detect), descriptor: stats(descriptor), total: stats(total) },
    // One tfjs instance per process: later runs find the backend (and nets shared with earlier runs) ready.
    note: `${((await weightBytes({ detector, recognizer })) / 1e6).toFixed(1)} MB of weights; ${first ? 'weights from disk' : 'backend and shared nets already loaded by an earlier row'}`,
  });
  first = false;
}
printFaceTable(`face engine in Node ${process.version} (WASM, SIMD, 1 thread; scripts/face/node-face-engine.ts)`, rows, options.frames);

if (options.skipBrowser) {
  console.log('\n(Chromium part skipped: --skip-browser)');
} else {
  const extraArgs = options.swiftshader ? ['--enable-unsafe-swiftshader'] : [];
  const backends = options.webgl ? (['webgl', 'wasm'] as const) : (['wasm'] as const);
  const result = await runChromiumFaceBench({ frame, frames: options.frames, extraArgs, backends });
  for (const row of result.rows) row.note = [`${((await weightBytes(row)) / 1e6).toFixed(1)} MB of weights`, row.note].filter(Boolean).join('; ');
  printChromiumFaceBench(result, options.frames);
}
