/**
 * Lab step 2: fr_feature embeddings (or face-api's dlib net: `dlib`) of the cached detections under one alignment
 * variant, written to /tmp/facelab/emb-<variant>.json (ref, live, chip per photo), about a minute each:
 * `npx tsx scripts/face/lab/embed.ts <variant> [...]`, then scripts/face/lab/score.ts. `base` reproduces the
 * shipped engine before fr_landmark alignment, `fplm` the one after; `live-*` variants write only the live side,
 * `chip-*` only the chip references, `refs-*` both reference sides. The figures are in docs/calibration/face.md.
 * TEST USE ONLY: fixtures are read in place, nothing but embeddings is written.
 */
import { createRequire } from 'node:module';
import { readFile, writeFile } from 'node:fs/promises';
import { alignFace, referencePoints, similarityTransform, warpSimilarity, type FivePoints, type AlignmentSpec } from '../../../renderer/face/align.js';
import type { FaceApiModule } from '../../../renderer/face/face-api-port.js';
import { createOnnxNets } from '../../../renderer/face/onnx-recognizer.js';
import { onnxTf } from '../../../renderer/face/tfjs-onnx-net.js';
import { RECOGNIZERS, type FaceRecognizer } from '../../../renderer/face/recognizer.js';
import { fitWithin, resampleRegion, toRgbInt32, type Point, type RgbaImage } from '../../../renderer/face/rgba.js';
import { listFacePhotos } from '../../../test/support/face/fixtures.js';
import { decodeImage, encodeJpegNode, readImage } from '../decode-image.js';
import { createNodeFaceEngine, recognizerModelFile } from '../node-face-engine.js';
import { FaceConfig } from '../../../core/contract/face-config.js';
import { chipReference } from './lab-common.js';

const require = createRequire(import.meta.url);
interface Loc { box?: { x: number; y: number; width: number; height: number }; landmarks?: Point[]; padded?: boolean; reason?: string }
interface Row { id: string; identity: string; group: string; tightCrop: boolean; ref: Loc; live: Loc; chip?: Loc }
const rows = JSON.parse(await readFile('/tmp/facelab/detections.json', 'utf8')) as Row[];
const photos = listFacePhotos();

// Same module instance as the engine's (tfjs global state): load the nets through the engine once.
await createNodeFaceEngine(FaceConfig.parse({ match: { recognizer: 'faceapi-dlib' } }));
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApiModule;
// The lab's own landmark variants below run the net on onnxruntime directly.
const ort = await import('onnxruntime-web');
const fr: FaceRecognizer = createOnnxNets(onnxTf(faceapi), RECOGNIZERS['faceplugin-fr-feature'], {
  net: new Uint8Array(await readFile(recognizerModelFile('faceplugin-fr-feature'))),
  landmarks: new Uint8Array(await readFile(recognizerModelFile('faceplugin-fr-feature', 'fr_landmark.onnx'))),
}).recognizer;

const mean = (pts: Point[]): Point => ({ x: pts.reduce((s, p) => s + p.x, 0) / pts.length, y: pts.reduce((s, p) => s + p.y, 0) / pts.length });
const five68 = (l: Point[]): FivePoints => [mean(l.slice(36, 42)), mean(l.slice(42, 48)), l[30]!, l[48]!, l[54]!];
/** Faceplugin SDK's convert68pts5pts: eye = mean of the four eyelid points, mouth corner = mean of outer and inner corner. */
const fiveFp = (l: Point[]): FivePoints => [mean([l[37]!, l[38]!, l[40]!, l[41]!]), mean([l[43]!, l[44]!, l[46]!, l[47]!]), l[30]!, mean([l[48]!, l[60]!]), mean([l[54]!, l[64]!])];

async function landmarksOn(crop: RgbaImage): Promise<Point[]> {
  const t = faceapi.tf.tensor3d(toRgbInt32(crop), [crop.height, crop.width, 3], 'int32');
  try {
    const lm = (await faceapi.nets.faceLandmark68Net.detectLandmarks(t)) as unknown as { positions: Point[] };
    return lm.positions.map((p) => ({ x: p.x, y: p.y }));
  } finally {
    t.dispose();
  }
}

/** Second landmark pass: warp the face upright into a canonical crop, landmarks there, map back. */
async function refine(image: RgbaImage, l: Point[], spec: AlignmentSpec): Promise<Point[]> {
  const s = similarityTransform(five68(l), referencePoints(spec));
  const crop = warpSimilarity(image, s, spec.size);
  const p2 = await landmarksOn(crop);
  const det = s.a * s.a + s.b * s.b;
  return p2.map((q) => {
    const u = q.x - s.tx;
    const v = q.y - s.ty;
    return { x: (s.a * u + s.b * v) / det, y: (-s.b * u + s.a * v) / det };
  });
}

function lowRes(image: RgbaImage, l: Point[], size: number, jpeg: boolean): RgbaImage {
  let small = alignFace(image, l, { size, scale: 1 });
  if (jpeg) small = decodeImage(encodeJpegNode(small, 0.4));
  return resampleRegion(small, { x: 0, y: 0, width: size, height: size }, 112, 112);
}
let fpLm: Awaited<ReturnType<typeof ort.InferenceSession.create>> | undefined;
async function fpLandmarks(image: RgbaImage, box: { x: number; y: number; width: number; height: number }, rgbGrey = false): Promise<Point[]> {
  fpLm ??= await ort.InferenceSession.create(new Uint8Array(await readFile(recognizerModelFile('faceplugin-fr-feature').replace('fr_feature', 'fr_landmark'))), { executionProviders: ['wasm'] });
  const x1 = Math.round(box.x), y1 = Math.round(box.y), w = Math.round(box.width), h = Math.round(box.height);
  const crop = resampleRegion(image, { x: x1, y: y1, width: w, height: h }, 64, 64);
  const t = new Float32Array(64 * 64);
  // cv BGR2GRAY on an RGBA mat read as RGB: 0.299 R + 0.587 G + 0.114 B (channel order as cv.imread gives it).
  const [wr, wb] = rgbGrey ? [0.299, 0.114] : [0.114, 0.299];
  for (let i = 0; i < 64 * 64; i++) t[i] = (wr * crop.data[i * 4]! + 0.587 * crop.data[i * 4 + 1]! + wb * crop.data[i * 4 + 2]!) / 256;
  const r = await fpLm.run({ input: new ort.Tensor('float32', t, [1, 1, 64, 64]) });
  const o = r['output']!.data as Float32Array;
  const pts: Point[] = [];
  for (let i = 0; i < 68; i++) pts.push({ x: o[2 * i]! * w + x1, y: o[2 * i + 1]! * h + y1 });
  return pts;
}
/** The SDK's warp: cv.getAffineTransform on eyes and nose onto the reference points, then warpAffine (bilinear). */
function affine3(image: RgbaImage, f: FivePoints): RgbaImage {
  const ref = referencePoints({ size: 112, scale: 1 });
  // Solve dst = M·[x y 1] for the three pairs, then invert for sampling.
  const [p0, p1, p2] = f;
  const [q0, q1, q2] = ref;
  const det = (p1.x - p0.x) * (p2.y - p0.y) - (p2.x - p0.x) * (p1.y - p0.y);
  const solve = (v0: number, v1: number, v2: number) => {
    const a = ((v1 - v0) * (p2.y - p0.y) - (v2 - v0) * (p1.y - p0.y)) / det;
    const b = ((p1.x - p0.x) * (v2 - v0) - (p2.x - p0.x) * (v1 - v0)) / det;
    return [a, b, v0 - a * p0.x - b * p0.y] as const;
  };
  const [a, b, c] = solve(q0.x, q1.x, q2.x);
  const [d, e, g] = solve(q0.y, q1.y, q2.y);
  const id = a * e - b * d;
  const out = new Uint8ClampedArray(112 * 112 * 4);
  for (let v = 0; v < 112; v++) for (let u = 0; u < 112; u++) {
    const uu = u - c, vv = v - g;
    const x = (e * uu - b * vv) / id, y = (-d * uu + a * vv) / id;
    const x0 = Math.floor(x), y0 = Math.floor(y), ax = x - x0, ay = y - y0;
    const px = (xx: number, yy: number, k: number) => (xx < 0 || yy < 0 || xx >= image.width || yy >= image.height ? 0 : image.data[(yy * image.width + xx) * 4 + k]!);
    for (let k = 0; k < 3; k++) out[(v * 112 + u) * 4 + k] = (px(x0, y0, k) * (1 - ax) + px(x0 + 1, y0, k) * ax) * (1 - ay) + (px(x0, y0 + 1, k) * (1 - ax) + px(x0 + 1, y0 + 1, k) * ax) * ay;
    out[(v * 112 + u) * 4 + 3] = 255;
  }
  return { width: 112, height: 112, data: out };
}
/** A detector-like box from the extent of 68 landmarks: [dx, dy, w, h] relative to that extent. */
function lmBox(l: Point[], r: readonly [number, number, number, number]) {
  const xs = l.map((p) => p.x), ys = l.map((p) => p.y);
  const x0 = Math.min(...xs), y0 = Math.min(...ys), w = Math.max(...xs) - x0, h = Math.max(...ys) - y0;
  return { x: x0 + r[0] * w, y: y0 + r[1] * h, width: r[2] * w, height: r[3] * h };
}
function unsharp(c: RgbaImage, amount: number): RgbaImage {
  const out = new Uint8ClampedArray(c.data);
  const w = c.width;
  for (let y = 1; y < c.height - 1; y++) for (let x = 1; x < w - 1; x++) for (let k = 0; k < 3; k++) {
    const i = (y * w + x) * 4 + k;
    const blur = (c.data[i]! * 4 + c.data[i - 4]! + c.data[i + 4]! + c.data[i - 4 * w]! + c.data[i + 4 * w]!) / 8;
    out[i] = c.data[i]! + amount * (c.data[i]! - blur);
  }
  return { width: c.width, height: c.height, data: out };
}
async function jitterEmbed(image: RgbaImage, p: Point[], shifts: readonly (readonly [number, number, number])[]): Promise<Float32Array> {
  const acc = new Float32Array(512);
  for (const [dx, dy, k] of shifts) {
    const e = await fr.embed(alignFace(image, p.map((q) => ({ x: q.x + dx, y: q.y + dy })), { size: 112, scale: k }));
    const n = Math.hypot(...e);
    for (let i = 0; i < 512; i++) acc[i]! += e[i]! / n;
  }
  return acc;
}
function bicubic2x(img: RgbaImage): RgbaImage {
  const w = img.width * 2, h = img.height * 2;
  const out = new Uint8ClampedArray(w * h * 4);
  const k = (t: number) => {
    const a = Math.abs(t);
    return a <= 1 ? 1.5 * a ** 3 - 2.5 * a ** 2 + 1 : a < 2 ? -0.5 * a ** 3 + 2.5 * a ** 2 - 4 * a + 2 : 0;
  };
  const px = (x: number, y: number, c: number) => img.data[(Math.min(img.height - 1, Math.max(0, y)) * img.width + Math.min(img.width - 1, Math.max(0, x))) * 4 + c]!;
  for (let v = 0; v < h; v++) for (let u = 0; u < w; u++) {
    const x = (u + 0.5) / 2 - 0.5, y = (v + 0.5) / 2 - 0.5;
    const x0 = Math.floor(x), y0 = Math.floor(y);
    for (let c = 0; c < 3; c++) {
      let acc = 0;
      for (let j = -1; j <= 2; j++) for (let i = -1; i <= 2; i++) acc += px(x0 + i, y0 + j, c) * k(x - x0 - i) * k(y - y0 - j);
      out[(v * w + u) * 4 + c] = acc;
    }
    out[(v * w + u) * 4 + 3] = 255;
  }
  return { width: w, height: h, data: out };
}
type Variant = (image: RgbaImage, l: Point[], box?: { x: number; y: number; width: number; height: number }) => Promise<Float32Array>;
const embedWith = (five: (l: Point[]) => FivePoints, spec: AlignmentSpec = { size: 112, scale: 1 }) => async (image: RgbaImage, l: Point[]) =>
  fr.embed(warpSimilarity(image, similarityTransform(five(l), referencePoints(spec)), 112));
const flipped = (c: RgbaImage): RgbaImage => {
  const out = new Uint8ClampedArray(c.data.length);
  for (let y = 0; y < c.height; y++) for (let x = 0; x < c.width; x++) for (let k = 0; k < 4; k++) out[(y * c.width + x) * 4 + k] = c.data[(y * c.width + (c.width - 1 - x)) * 4 + k]!;
  return { width: c.width, height: c.height, data: out };
};
const VARIANTS: Record<string, Variant> = {
  base: async (image, l) => fr.embed(alignFace(image, l, { size: 112, scale: 1 })),
  fp5: embedWith(fiveFp),
  'two-pass': async (image, l) => fr.embed(alignFace(image, await refine(image, l, { size: 112, scale: 0.8 }), { size: 112, scale: 1 })),
  'two-pass-070': async (image, l) => fr.embed(alignFace(image, await refine(image, l, { size: 112, scale: 0.7 }), { size: 112, scale: 1 })),
  'two-pass-090': async (image, l) => fr.embed(alignFace(image, await refine(image, l, { size: 112, scale: 0.9 }), { size: 112, scale: 1 })),
  'two-pass-avg': async (image, l) => {
    const r = await refine(image, l, { size: 112, scale: 0.8 });
    return fr.embed(alignFace(image, l.map((p, i) => ({ x: (p.x + r[i]!.x) / 2, y: (p.y + r[i]!.y) / 2 })), { size: 112, scale: 1 }));
  },
  dlib: async (image, l) => {
    const fa = faceapi as unknown as {
      FaceLandmarks68: new (p: unknown[], d: { width: number; height: number }) => { align(a: null, o: { useDlibAlignment: boolean }): unknown };
      Point: new (x: number, y: number) => unknown;
    };
    const lm = new fa.FaceLandmarks68(l.map((p) => new fa.Point(p.x / image.width, p.y / image.height)), { width: image.width, height: image.height });
    const box = lm.align(null, { useDlibAlignment: true });
    const t = faceapi.tf.tensor3d(toRgbInt32(image), [image.height, image.width, 3], 'int32');
    const chips = await faceapi.extractFaceTensors(t, [box as never]);
    try {
      return (await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(chips[0]!)) as Float32Array;
    } finally {
      t.dispose();
      for (const c of chips) c.dispose();
    }
  },
  // The live side at the chip's resolution (eye distance ~21.6 px against 35.2 in the 112 crop), optionally JPEG'd.
  'live-lr': async (image, l) => fr.embed(lowRes(image, l, 68, false)),
  'live-lrjpeg': async (image, l) => fr.embed(lowRes(image, l, 68, true)),
  'live-lr80': async (image, l) => fr.embed(lowRes(image, l, 80, false)),
  fplm: async (image, _l, box) => fr.embed(alignFace(image, await fpLandmarks(image, box!), { size: 112, scale: 1 })),
  'fplm-sdk': async (image, _l, box) => fr.embed(affine3(image, fiveFp(await fpLandmarks(image, box!)))),
  'sdk-affine': async (image, l) => fr.embed(affine3(image, fiveFp(l))),
  'fplm-rgb': async (image, _l, box) => fr.embed(alignFace(image, await fpLandmarks(image, box!, true), { size: 112, scale: 1 })),
  'fplm-ssdbox': async (image, l) => fr.embed(alignFace(image, await fpLandmarks(image, lmBox(l, [0.004, -0.266, 1.017, 1.269])), { size: 112, scale: 1 })),
  'fplm-tinybox': async (image, l) => fr.embed(alignFace(image, await fpLandmarks(image, lmBox(l, [-0.124, -0.101, 1.249, 1.203])), { size: 112, scale: 1 })),
  'fplm-iter': async (image, _l, box) => {
    const p1 = await fpLandmarks(image, box!);
    return fr.embed(alignFace(image, await fpLandmarks(image, lmBox(p1, [0.004, -0.266, 1.017, 1.269])), { size: 112, scale: 1 }));
  },
  'fplm-fp5': async (image, _l, box) => fr.embed(warpSimilarity(image, similarityTransform(fiveFp(await fpLandmarks(image, box!)), referencePoints({ size: 112, scale: 1 })), 112)),
  'fplm-flip': async (image, _l, box) => {
    const c = alignFace(image, await fpLandmarks(image, box!), { size: 112, scale: 1 });
    const a = await fr.embed(c);
    const b = await fr.embed(flipped(c));
    const na = Math.hypot(...a), nb = Math.hypot(...b);
    return Float32Array.from(a, (x, i) => x / na + b[i]! / nb);
  },
  'chip-sharpen': async (image, _l, box) => fr.embed(unsharp(alignFace(image, await fpLandmarks(image, box!), { size: 112, scale: 1 }), 0.6)),
  'chip-jitter': async (image, _l, box) => {
    const p = await fpLandmarks(image, box!);
    const acc = new Float32Array(512);
    for (const [dx, dy] of [[0, 0], [0.7, 0], [-0.7, 0], [0, 0.7], [0, -0.7]] as const) {
      const e = await fr.embed(alignFace(image, p.map((q) => ({ x: q.x + dx, y: q.y + dy })), { size: 112, scale: 1 }));
      const n = Math.hypot(...e);
      for (let i = 0; i < 512; i++) acc[i]! += e[i]! / n;
    }
    return acc;
  },
  // Chip only: the chip upscaled 2× by a bicubic (Catmull-Rom) filter before landmarks and alignment.
  'chip-bicubic': async (image, _l, box) => {
    const up = bicubic2x(image);
    const b = box!;
    return fr.embed(alignFace(up, await fpLandmarks(up, { x: b.x * 2, y: b.y * 2, width: b.width * 2, height: b.height * 2 }), { size: 112, scale: 1 }));
  },
  // Chip only: the five shifted crops and their mirror images, averaged (reference-side test-time augmentation).
  'chip-jitterflip': async (image, _l, box) => {
    const p = await fpLandmarks(image, box!);
    const acc = new Float32Array(512);
    for (const [dx, dy] of [[0, 0], [0.7, 0], [-0.7, 0], [0, 0.7], [0, -0.7]] as const) {
      const c = alignFace(image, p.map((q) => ({ x: q.x + dx, y: q.y + dy })), { size: 112, scale: 1 });
      for (const e of [await fr.embed(c), await fr.embed(flipped(c))]) {
        const n = Math.hypot(...e);
        for (let i = 0; i < 512; i++) acc[i]! += e[i]! / n;
      }
    }
    return acc;
  },
  // Chip only: the crop and its mirror image.
  'chip-flip': async (image, _l, box) => {
    const c = alignFace(image, await fpLandmarks(image, box!), { size: 112, scale: 1 });
    const a = await fr.embed(c);
    const b = await fr.embed(flipped(c));
    const na = Math.hypot(...a), nb = Math.hypot(...b);
    return Float32Array.from(a, (x, i) => x / na + b[i]! / nb);
  },
  'refs-jitter': async (image, _l, box) => jitterEmbed(image, await fpLandmarks(image, box!), [[0, 0, 1], [0.7, 0, 1], [-0.7, 0, 1], [0, 0.7, 1], [0, -0.7, 1]]),
  'refs-jitter9': async (image, _l, box) =>
    jitterEmbed(image, await fpLandmarks(image, box!), [[0, 0, 1], [0.7, 0, 1], [-0.7, 0, 1], [0, 0.7, 1], [0, -0.7, 1], [0, 0, 1.03], [0, 0, 0.97], [0.5, 0.5, 1], [-0.5, -0.5, 1]]),
  flipcat: async (image, l) => {
    const c = alignFace(image, l, { size: 112, scale: 1 });
    const a = await fr.embed(c);
    const b = await fr.embed(flipped(c));
    const n = (v: Float32Array) => Math.hypot(...v);
    const na = n(a), nb = n(b);
    return Float32Array.from(a, (x, i) => x / na + b[i]! / nb);
  },
};

for (const name of process.argv.slice(2)) {
  const variant = VARIANTS[name];
  if (!variant) throw new Error(`unknown variant ${name}`);
  const t0 = performance.now();
  const out: { ref?: number[]; live?: number[]; chip?: number[] }[] = [];
  for (const [i, row] of rows.entries()) {
    const raw = await readImage(photos[i]!.file);
    if (photos[i]!.id !== row.id) throw new Error('fixture order changed');
    const { image, scale } = fitWithin(raw, 1024);
    const sc = (l: Point[]) => l.map((p) => ({ x: p.x * scale, y: p.y * scale }));
    const sb = (b?: Loc['box']) => (b ? { x: b.x * scale, y: b.y * scale, width: b.width * scale, height: b.height * scale } : undefined);
    const e: { ref?: number[]; live?: number[]; chip?: number[] } = {};
    const liveOnly = name.startsWith('live-');
    if (name.startsWith('refs-')) {
      if (row.ref.landmarks) e.ref = Array.from(await variant(image, sc(row.ref.landmarks), sb(row.ref.box)));
      if (row.chip?.landmarks && row.ref.box) e.chip = Array.from(await variant(chipReference(raw, row.ref.box), row.chip.landmarks, row.chip.box));
      out.push(e);
      continue;
    }
    if (name.startsWith('chip-')) {
      if (row.chip?.landmarks && row.ref.box) e.chip = Array.from(await variant(chipReference(raw, row.ref.box), row.chip.landmarks, row.chip.box));
      out.push(e);
      continue;
    }
    if (liveOnly) {
      if (row.live.landmarks) e.live = Array.from(await variant(image, sc(row.live.landmarks), sb(row.live.box)));
      out.push(e);
      continue;
    }
    if (row.ref.landmarks) e.ref = Array.from(await variant(image, sc(row.ref.landmarks), sb(row.ref.box)));
    if (row.live.landmarks) e.live = Array.from(await variant(image, sc(row.live.landmarks), sb(row.live.box)));
    if (row.chip?.landmarks && row.ref.box) e.chip = Array.from(await variant(chipReference(raw, row.ref.box), row.chip.landmarks, row.chip.box));
    out.push(e);
  }
  await writeFile(`/tmp/facelab/emb-${name}.json`, JSON.stringify(out));
  console.error(`${name}: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
