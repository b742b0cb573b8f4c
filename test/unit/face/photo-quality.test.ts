/**
 * Standard photo checks on a fixture (TEST USE ONLY, read in place) and on bad pictures derived from it in
 * memory: darkened, blurred, two faces side by side, shifted off-centre, too small, washed out, cluttered.
 *
 * Kept fast (one SSD detection costs ~0.4 s here whatever the picture size): one engine for the whole file,
 * detection only (engine.locate: the checks need where the face is, not its descriptor), the capture scaled so
 * the engine need not resample it, and one detection per picture whose geometry differs. Pixel-level defects
 * that leave the face where it was (over-exposed, washed out, blurred) are judged on the good capture's own
 * detection; the darkest one is detected again, as the detector's hardest case.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FaceConfig } from '../../../core/contract/face-config.js';
import type { FaceEngine } from '../../../renderer/face/face-engine.js';
import type { DetectedFace } from '../../../renderer/face/face-rules.js';
import { resampleRegion, type RgbaImage } from '../../../renderer/face/rgba.js';
import { checkStandardPhoto, encodeWithinLimit, photoChecks, retakeGuidance, type PhotoCheck } from '../../../renderer/photo-quality/standard-photo.js';
import { decodeImage, encodeJpegNode, readImage } from '../../../scripts/face/decode-image.js';
import { createNodeFaceEngine } from '../../../scripts/face/node-face-engine.js';
import { faceFixturesAvailable, faceFixturesRoot } from '../../support/face/fixtures.js';
import { boxBlur, darken, flatten, plainBackdrop, scaleImage, shift, sideBySide } from '../../support/face/image-ops.js';

const config = FaceConfig.parse({});
const spec = config.photo;
let engine: FaceEngine;
/** A frontal portrait in front of a plain backdrop, made from a fixture: the "good" capture. */
let good: RgbaImage;
let goodFaces: readonly DetectedFace[] = [];
let goodFaceWidth = 0;
/**
 * The fixture (910×1137, face ~230 px) at 0.7: the extended capture stays under the engine's 1024 px input
 * side, and the face (~160 px) still needs less upscaling than the spec allows.
 */
const CAPTURE_SCALE = 0.7;

async function facesIn(image: RgbaImage): Promise<readonly DetectedFace[]> {
  const a = await engine.locate(image, 'live');
  return a.ok ? [a.face] : a.faces;
}

async function failedChecks(image: RgbaImage, faces?: readonly DetectedFace[]): Promise<PhotoCheck[]> {
  const r = checkStandardPhoto(image, faces ?? (await facesIn(image)), spec);
  if (process.env['FACE_DEBUG']) console.log(JSON.stringify(r.measures), r.failures.map((f) => f.check));
  return r.failures.map((f) => f.check);
}

describe.skipIf(!faceFixturesAvailable())('standard photo quality on fixture-derived captures', () => {
  beforeAll(async () => {
    ({ engine } = await createNodeFaceEngine(config));
    const source = scaleImage(await readImage(path.join(faceFixturesRoot, 'faces/obama/01.jpg')), CAPTURE_SCALE);
    // The portrait's head is close to the top edge; extend the top so the spec's headroom fits in the frame.
    const backdrop = [200, 220, 240] as const;
    const extra = Math.round(source.height * 0.15);
    const tall = resampleRegion(source, { x: 0, y: -extra, width: source.width, height: source.height + extra }, source.width, source.height + extra, backdrop);
    const a = await engine.locate(tall, 'live');
    if (!a.ok) throw new Error(`fixture face not found: ${a.reason}`);
    const b = a.face.box;
    goodFaceWidth = b.width;
    good = plainBackdrop(tall, { x: b.x - b.width * 0.2, y: b.y - b.height * 0.45, width: b.width * 1.4, height: b.height * 1.6 }, backdrop);
    goodFaces = await facesIn(good);
  }, 60_000);

  it('accepts the good capture and produces a 358×441 JPEG of at most 60 KB', async () => {
    const result = checkStandardPhoto(good, goodFaces, spec);
    expect(result.failures).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.photo?.width).toBe(358);
    expect(result.photo?.height).toBe(441);
    const encoded = await encodeWithinLimit(result.photo!, encodeJpegNode, spec);
    expect(encoded).not.toBeNull();
    expect(encoded!.bytes.byteLength).toBeLessThanOrEqual(60 * 1024);
    const decoded = decodeImage(encoded!.bytes);
    expect([decoded.width, decoded.height]).toEqual([358, 441]);
    // The head is framed per spec: re-detecting on the finished photo finds it at the spec's width and eye line.
    const again = await engine.locate(decoded, 'reference');
    expect(again.ok).toBe(true);
    if (again.ok) {
      const eyes = (again.face.landmarks[36]!.y + again.face.landmarks[45]!.y) / 2;
      expect(Math.abs(eyes - spec.eyeLineFromTopPx)).toBeLessThan(20);
      const centre = again.face.box.x + again.face.box.width / 2;
      expect(Math.abs(centre - spec.width / 2)).toBeLessThan(20);
    }
  });

  it('flags a dark capture', async () => {
    expect(await failedChecks(darken(good, 0.3))).toContain('too-dark');
  });

  it('flags an over-exposed capture', async () => {
    expect(await failedChecks(mapBright(good), goodFaces)).toContain('too-bright');
  });

  it('flags a washed-out, low-contrast capture', async () => {
    expect(await failedChecks(flatten(good, 0.25), goodFaces)).toContain('low-contrast');
  });

  it('flags a blurred capture', async () => {
    // Radius 3 at this scale is ~6 px of blur in the finished photo: clearly soft, nothing else wrong.
    expect(await failedChecks(boxBlur(good, 3), goodFaces)).toEqual(['blurred']);
  });

  it('flags two faces side by side', async () => {
    expect(await failedChecks(sideBySide(good))).toEqual(['multiple-faces']);
  });

  it('flags a capture with the face at the edge of the frame', async () => {
    expect(await failedChecks(shift(good, -Math.round(good.width * 0.4), 0, [200, 220, 240]))).toContain('off-centre');
  });

  it('flags a face too small for the spec (would need upscaling)', async () => {
    const small = scaleImage(good, (spec.headWidthPx / spec.maxUpscale / (goodFaceWidth * 1.1)) * 0.6);
    expect(await failedChecks(small)).toContain('face-too-small');
  });

  it('flags a cluttered background (the fixture as it is)', async () => {
    // At 0.75 (576×866, no resampling in the engine): clutter is clutter at any scale.
    const original = scaleImage(await readImage(path.join(faceFixturesRoot, 'faces/kit_harington/03.jpg')), 0.75);
    expect(await failedChecks(original)).toContain('background');
  });

  it('flags no face', async () => {
    const blank = resampleRegion(good, { x: 0, y: 0, width: 40, height: 40 }, 400, 500);
    expect(await failedChecks(blank)).toEqual(['no-face']);
  });
});

function mapBright(image: RgbaImage): RgbaImage {
  const data = new Uint8ClampedArray(image.data.length);
  for (let i = 0; i < data.length; i++) data[i] = (i & 3) === 3 ? 255 : 150 + (image.data[i] ?? 0) * 0.5;
  return { width: image.width, height: image.height, data };
}

describe('photo-quality pure parts', () => {
  it('has a Chinese retake instruction for every check', () => {
    for (const check of photoChecks) expect(retakeGuidance(check)).toMatch(/[\u4e00-\u9fff]/);
  });

  it('encodes with decreasing quality until the size limit is met', async () => {
    const photo = resampleRegion({ width: 1, height: 1, data: new Uint8Array([1, 2, 3, 255]) }, { x: 0, y: 0, width: 1, height: 1 }, 10, 10);
    const tried: number[] = [];
    const fake = (_: RgbaImage, q: number): Uint8Array => {
      tried.push(q);
      return new Uint8Array(Math.round(q * 100_000));
    };
    const out = await encodeWithinLimit(photo, fake, spec);
    expect(out?.bytes.byteLength).toBeLessThanOrEqual(spec.maxBytes);
    expect(tried[0]).toBe(spec.startQuality);
    expect([...tried].sort((a, b) => b - a)).toEqual(tried);
    expect(out?.quality).toBe(tried.at(-1));
    expect(await encodeWithinLimit(photo, () => new Uint8Array(spec.maxBytes + 1), spec)).toBeNull();
  });
});
