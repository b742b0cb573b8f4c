/**
 * Face engine timing: model load and per-frame detect + landmarks + descriptor on a 640×480 camera-like frame,
 * for both detectors, in Node (tfjs WASM backend, SIMD, single thread) and then in real Chromium (WebGL and
 * WASM through the app's createBrowserFaceEngine; see scripts/bench/face-chromium.ts).
 *   npx tsx scripts/bench-face.ts [--frames 10] [--image some.jpg] [--skip-browser] [--swiftshader]
 * Without --image it uses a shared test fixture (FACE_FIXTURES_DIR), in memory only; prints no image data.
 */
import { FaceConfig } from '../core/contract/face-config.js';
import { createNodeFaceEngine } from './face/node-face-engine.js';
import { DETECTORS, benchFrame, faceBenchOptions, printChromiumFaceBench, printFaceTable, runChromiumFaceBench, stats, type FaceBenchRow } from './bench/face-chromium.js';

const options = faceBenchOptions();
const frame = await benchFrame(options.imageFile);
const runtime = `Node ${process.version.split('.')[0]!.slice(1)}`;

const rows: FaceBenchRow[] = [];
for (const detector of DETECTORS) {
  const { engine, modelLoadMs, backendMs } = await createNodeFaceEngine(FaceConfig.parse({ detection: { detector } }));
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
    figures: {
      backendStartMs: backendMs,
      weightsMs: modelLoadMs,
      loadMs: backendMs + modelLoadMs,
      firstFrameMs,
      detect: stats(detect),
      descriptor: stats(descriptor),
      total: stats(total),
    },
    // One tfjs instance per process: the second detector finds the backend (and the shared nets) ready.
    note: detector === DETECTORS[0] ? 'weights from disk (loadFromDisk)' : 'backend already started by the first run; landmark + descriptor nets already loaded',
  });
}
printFaceTable(`face engine in Node ${process.version} (tfjs WASM, SIMD, 1 thread; scripts/face/node-face-engine.ts)`, rows, options.frames);

if (options.skipBrowser) {
  console.log('\n(Chromium part skipped: --skip-browser)');
} else {
  const extraArgs = options.swiftshader ? ['--enable-unsafe-swiftshader'] : [];
  printChromiumFaceBench(await runChromiumFaceBench({ frame, frames: options.frames, extraArgs }), options.frames);
}
