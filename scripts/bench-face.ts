/**
 * Face engine timing in Node (tfjs WASM backend, SIMD, single thread): backend init, model load, and per-frame
 * detect + landmarks + descriptor on a 640×480 camera-like frame, for both detectors.
 *   npx tsx scripts/bench-face.ts [--frames 20] [--image some.jpg]
 * Without --image it uses a shared test fixture (FACE_FIXTURES_DIR), in memory only; prints no image data.
 */
import path from 'node:path';
import { FaceConfig } from '../core/contract/face-config.js';
import { readImage } from './face/decode-image.js';
import { toCameraFrame } from './face/camera-frame.js';
import { createNodeFaceEngine } from './face/node-face-engine.js';
import { sharedFixturesDir } from '../test/support/shared-fixtures.js';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const frames = Number(opt('--frames') ?? 20);
const imageFile = opt('--image') ?? path.join(process.env['FACE_FIXTURES_DIR'] ?? sharedFixturesDir, 'faces-lfw/Wen_Jiabao/Wen_Jiabao_0001.jpg');

const stats = (xs: number[]): { median: number; p95: number; mean: number } => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
  return { median: Math.round(at(0.5)), p95: Math.round(at(0.95)), mean: Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) };
};

const source = await readImage(imageFile);
const frame = toCameraFrame(source);
const results: Record<string, unknown> = {};
for (const detector of ['ssd', 'tiny'] as const) {
  const { engine, modelLoadMs, backendMs } = await createNodeFaceEngine(FaceConfig.parse({ detection: { detector } }));
  const t0 = performance.now();
  const warm = await engine.analyse(frame, 'live');
  const firstFrameMs = performance.now() - t0;
  if (!warm.ok) throw new Error(`bench frame: ${warm.reason}`);
  const detect: number[] = [];
  const descriptor: number[] = [];
  const total: number[] = [];
  for (let i = 0; i < frames; i++) {
    const a = await engine.analyse(frame, 'live');
    detect.push(a.timings.detectMs);
    descriptor.push(a.timings.descriptorMs);
    total.push(a.timings.totalMs);
  }
  results[detector] = {
    backendInitMs: Math.round(backendMs),
    modelLoadMs: Math.round(modelLoadMs),
    firstFrameMs: Math.round(firstFrameMs),
    frame: `${frame.width}x${frame.height}`,
    frames,
    detectAndLandmarksMs: stats(detect),
    descriptorMs: stats(descriptor),
    totalPerFrameMs: stats(total),
  };
}
console.log(JSON.stringify({ runtime: `node ${process.version}`, backend: 'wasm (simd, 1 thread)', results }, null, 2));
