/** Five-point alignment: the similarity fit, the warp, and the recognizer table against what is installed. */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ARCFACE_112, alignFace, fivePoints, referencePoints, similarityTransform, warpSimilarity, type Similarity } from '../../../renderer/face/align.js';
import { RECOGNIZERS } from '../../../renderer/face/recognizer.js';
import { createRgba, type Point, type RgbaImage } from '../../../renderer/face/rgba.js';
import { syntheticFace } from '../../support/face/synthetic-landmarks.js';

const apply = (t: Similarity, p: Point): Point => ({ x: t.a * p.x - t.b * p.y + t.tx, y: t.b * p.x + t.a * p.y + t.ty });

describe('similarity transform', () => {
  it('recovers a known rotation, scale and shift exactly', () => {
    const angle = 0.3;
    const known: Similarity = { a: 1.7 * Math.cos(angle), b: 1.7 * Math.sin(angle), tx: 12, ty: -5 };
    const from = ARCFACE_112.map((p) => ({ x: p.x * 2 + 40, y: p.y * 3 - 10 }));
    const fitted = similarityTransform(from, from.map((p) => apply(known, p)));
    expect(fitted.a).toBeCloseTo(known.a, 9);
    expect(fitted.b).toBeCloseTo(known.b, 9);
    expect(fitted.tx).toBeCloseTo(known.tx, 9);
    expect(fitted.ty).toBeCloseTo(known.ty, 9);
  });

  it('refuses degenerate input', () => {
    expect(() => similarityTransform([{ x: 1, y: 1 }], [{ x: 1, y: 1 }])).toThrow(RangeError);
    expect(() => similarityTransform([{ x: 1, y: 1 }, { x: 1, y: 1 }], [{ x: 0, y: 0 }, { x: 2, y: 2 }])).toThrow(RangeError);
  });

  it('reference points scale with the crop size and the face scale', () => {
    expect(referencePoints({ size: 112, scale: 1 })).toEqual(ARCFACE_112.map((p) => ({ x: p.x, y: p.y })));
    const big = referencePoints({ size: 224, scale: 0.5 });
    expect(big[0].x).toBeCloseTo(112 + (ARCFACE_112[0].x - 56), 9);
  });
});

describe('aligned crop', () => {
  /** A picture with one bright dot at each of a face's five points, the face rotated and off-centre. */
  function dots(points: readonly Point[]): RgbaImage {
    const image = createRgba(400, 300, [0, 0, 0]);
    for (const p of points) {
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) (image.data as Uint8ClampedArray).set([255, 255, 255], ((Math.round(p.y) + dy) * 400 + Math.round(p.x) + dx) * 4);
    }
    return image;
  }

  it('puts the eyes, nose and mouth corners where the recognizer expects them, whatever the roll', () => {
    const face = syntheticFace({ x: 120, y: 60, size: 160 });
    const c = { x: 200, y: 140 };
    const roll = (20 * Math.PI) / 180;
    const landmarks = face.landmarks.map((p) => ({ x: c.x + (p.x - c.x) * Math.cos(roll) - (p.y - c.y) * Math.sin(roll), y: c.y + (p.x - c.x) * Math.sin(roll) + (p.y - c.y) * Math.cos(roll) }));
    const crop = alignFace(dots(fivePoints(landmarks)), landmarks, { size: 112, scale: 1 });
    expect([crop.width, crop.height]).toEqual([112, 112]);
    // The synthetic face's five points are not ArcFace's mean face: the fit is least squares, within a few px.
    const fit = similarityTransform(fivePoints(landmarks), ARCFACE_112);
    for (const p of fivePoints(landmarks)) {
      const q = apply(fit, p);
      const v = crop.data[(Math.round(q.y) * 112 + Math.round(q.x)) * 4] ?? 0;
      expect(v).toBeGreaterThan(100);
    }
  });

  it('fills outside the picture with mid grey', () => {
    const crop = warpSimilarity(createRgba(10, 10, [255, 0, 0]), { a: 1, b: 0, tx: 50, ty: 50 }, 20);
    expect(Array.from(crop.data.subarray(0, 4))).toEqual([128, 128, 128, 255]);
  });
});

describe('recognizer table', () => {
  const require = createRequire(import.meta.url);
  it.each(Object.values(RECOGNIZERS))('$id names the installed package version (a new version needs a new calibration)', (info) => {
    const pkg = require(`${info.package}/package.json`) as { version: string };
    expect(pkg.version).toBe(info.version);
  });
});
