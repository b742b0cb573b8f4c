/**
 * Compares the faces in two pictures: `tsx scripts/face-compare.ts a.jpg b.jpg [--detector tiny] [--recognizer id] [--live]`.
 * Prints JSON: distance and its metric, decision, threshold and band, recognizer, aligned-crop hashes, and timings (model load, detect + descriptor per image).
 * The first picture is treated as the reference (padded when it is a tight crop); `--live` treats the second as
 * a camera frame. Prints no file names in errors and no personal data; exit 2 when a picture has no usable face.
 */
import { FaceError } from '../core/errors/face-error.js';
import { toStationError } from '../core/errors/station-error.js';
import { FaceConfig } from '../core/contract/face-config.js';
import { readImage } from './face/decode-image.js';
import { createNodeFaceEngine } from './face/node-face-engine.js';

const args = process.argv.slice(2);
const valued = new Set(['--detector', '--recognizer']);
const files = args.filter((a, i) => !a.startsWith('--') && !valued.has(args[i - 1] ?? ''));
const detector = args.includes('--detector') ? args[args.indexOf('--detector') + 1] : undefined;
const recognizer = args.includes('--recognizer') ? args[args.indexOf('--recognizer') + 1] : undefined;

if (files.length !== 2) {
  console.error('usage: tsx scripts/face-compare.ts <a.jpg|png> <b.jpg|png> [--detector ssd|tiny] [--recognizer faceplugin-fr-feature|faceapi-dlib] [--live]');
  process.exit(64);
}

try {
  const config = FaceConfig.parse({ detection: detector ? { detector } : {}, match: recognizer ? { recognizer } : {} });
  const { engine, modelLoadMs, backendMs } = await createNodeFaceEngine(config);
  const [a, b] = await Promise.all(files.map((f) => readImage(f)));
  const ra = await engine.analyse(a!, 'reference');
  const rb = await engine.analyse(b!, args.includes('--live') ? 'live' : 'reference');
  const perImage = [ra, rb].map((r, i) => ({
    image: i === 0 ? 'a' : 'b',
    ok: r.ok,
    ...(r.ok ? { padded: r.padded, faceWidthPx: Math.round(r.face.box.width) } : { reason: r.reason, message: r.message, faceCount: r.faceCount }),
    detectMs: Math.round(r.timings.detectMs),
    descriptorMs: Math.round(r.timings.descriptorMs),
  }));
  if (!ra.ok || !rb.ok) {
    console.log(JSON.stringify({ ok: false, backend: engine.backend, modelVersion: engine.modelVersion, images: perImage }, null, 2));
    process.exit(2);
  }
  const result = engine.compare(ra, rb, {
    detectMs: ra.timings.detectMs + rb.timings.detectMs,
    descriptorMs: ra.timings.descriptorMs + rb.timings.descriptorMs,
    totalMs: ra.timings.totalMs + rb.timings.totalMs,
  });
  const round = (x: number | undefined): number | undefined => (x === undefined ? undefined : Math.round(x));
  console.log(
    JSON.stringify(
      {
        ok: true,
        distance: result.distance,
        metric: result.metric,
        decision: result.decision,
        threshold: result.threshold,
        reviewBand: result.reviewBand,
        modelVersion: result.modelVersion,
        recognizer: result.recognizer,
        crops: result.crops,
        backend: engine.backend,
        timings: { backendInitMs: round(backendMs), modelLoadMs: round(modelLoadMs), images: perImage },
      },
      null,
      2,
    ),
  );
} catch (thrown) {
  const error = thrown instanceof FaceError ? thrown : toStationError(thrown);
  console.error(JSON.stringify({ ok: false, code: error.code, reason: error.reason ?? null, message: error.userMessage, detail: error.detail }));
  process.exit(1);
}
