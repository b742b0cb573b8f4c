import { eyeCentres } from './landmarks.js';
import type { Point, RgbaImage } from './rgba.js';

/**
 * Five-point face alignment: the eye centres, the nose tip and the mouth corners (from the 68 landmarks) are
 * mapped onto a recognizer's reference points by the least-squares similarity transform (rotation, uniform
 * scale, translation; Umeyama 1991), and the aligned crop is resampled from the source picture. Recognition nets
 * are trained on crops made this way, so a detector box (scale and position from the box, no rotation) costs
 * accuracy.
 */
export type FivePoints = readonly [Point, Point, Point, Point, Point];

/**
 * ArcFace / InsightFace reference points for a 112×112 crop (image-left eye, image-right eye, nose tip, mouth
 * corners): the layout the MS1M / Glint-trained nets expect.
 */
export const ARCFACE_112: FivePoints = [
  { x: 38.2946, y: 51.6963 },
  { x: 73.5318, y: 51.5014 },
  { x: 56.0252, y: 71.7366 },
  { x: 41.5493, y: 92.3655 },
  { x: 70.7299, y: 92.2041 },
];

export interface AlignmentSpec {
  /** Output crop side, px (square). */
  readonly size: number;
  /**
   * Face scale relative to the ArcFace layout: 1 puts the reference points where ArcFace's 112 crop has them
   * (scaled to `size`); below 1 leaves more margin around the face (looser crops), above 1 crops tighter.
   */
  readonly scale: number;
  /** Vertical shift of the reference points, as a fraction of `size` (positive moves the face down). */
  readonly shiftY?: number;
}

/** The reference points of a spec in crop pixels. */
export function referencePoints(spec: AlignmentSpec): FivePoints {
  const k = (spec.size / 112) * spec.scale;
  const c = spec.size / 2;
  const dy = (spec.shiftY ?? 0) * spec.size;
  return ARCFACE_112.map((p) => ({ x: c + (p.x - 56) * k, y: c + (p.y - 56) * k + dy })) as unknown as FivePoints;
}

/** The five points from face-api's 68 landmarks (iBUG layout). */
export function fivePoints(landmarks: readonly Point[]): FivePoints {
  const { left, right } = eyeCentres(landmarks);
  const at = (i: number): Point => {
    const p = landmarks[i];
    if (!p) throw new RangeError(`landmark ${i} missing`);
    return p;
  };
  return [left, right, at(30), at(48), at(54)];
}

/** x' = a·x − b·y + tx, y' = b·x + a·y + ty. */
export interface Similarity {
  readonly a: number;
  readonly b: number;
  readonly tx: number;
  readonly ty: number;
}

/** Least-squares similarity transform taking `from` onto `to` (no reflection). */
export function similarityTransform(from: readonly Point[], to: readonly Point[]): Similarity {
  const n = from.length;
  if (n !== to.length || n < 2) throw new RangeError('need two or more point pairs');
  let fx = 0;
  let fy = 0;
  let tx = 0;
  let ty = 0;
  for (let i = 0; i < n; i++) {
    fx += from[i]!.x;
    fy += from[i]!.y;
    tx += to[i]!.x;
    ty += to[i]!.y;
  }
  fx /= n;
  fy /= n;
  tx /= n;
  ty /= n;
  // For centred points the optimal [a −b; b a] is (Σ p·q, Σ p×q) / Σ |p|².
  let dot = 0;
  let cross = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const px = from[i]!.x - fx;
    const py = from[i]!.y - fy;
    const qx = to[i]!.x - tx;
    const qy = to[i]!.y - ty;
    dot += px * qx + py * qy;
    cross += px * qy - py * qx;
    norm += px * px + py * py;
  }
  if (norm === 0) throw new RangeError('degenerate points');
  const a = dot / norm;
  const b = cross / norm;
  return { a, b, tx: tx - (a * fx - b * fy), ty: ty - (b * fx + a * fy) };
}

/**
 * The aligned crop: each output pixel is sampled (bilinear) at its pre-image under `transform`; when the face is
 * shrunk a lot, a small grid of taps per pixel avoids aliasing. Outside the picture: mid grey (no edges of its own).
 */
export function warpSimilarity(image: RgbaImage, transform: Similarity, size: number): RgbaImage {
  const { a, b, tx, ty } = transform;
  const det = a * a + b * b;
  // Inverse of [a −b; b a]: [a b; −b a] / det.
  const ia = a / det;
  const ib = b / det;
  const scale = 1 / Math.sqrt(det);
  const taps = Math.max(1, Math.min(4, Math.ceil(scale)));
  const { data, width: w, height: h } = image;
  const out = new Uint8ClampedArray(size * size * 4);
  const acc = [0, 0, 0];
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      acc[0] = 0;
      acc[1] = 0;
      acc[2] = 0;
      for (let sy = 0; sy < taps; sy++) {
        for (let sx = 0; sx < taps; sx++) {
          const du = u + (sx + 0.5) / taps - tx;
          const dv = v + (sy + 0.5) / taps - ty;
          const x = ia * du + ib * dv - 0.5;
          const y = -ib * du + ia * dv - 0.5;
          const x0 = Math.floor(x);
          const y0 = Math.floor(y);
          const ax = x - x0;
          const ay = y - y0;
          const w00 = (1 - ax) * (1 - ay);
          const w10 = ax * (1 - ay);
          const w01 = (1 - ax) * ay;
          const w11 = ax * ay;
          const in0 = y0 >= 0 && y0 < h;
          const in1 = y0 + 1 >= 0 && y0 + 1 < h;
          const i00 = in0 && x0 >= 0 && x0 < w ? (y0 * w + x0) * 4 : -1;
          const i10 = in0 && x0 + 1 >= 0 && x0 + 1 < w ? (y0 * w + x0 + 1) * 4 : -1;
          const i01 = in1 && x0 >= 0 && x0 < w ? ((y0 + 1) * w + x0) * 4 : -1;
          const i11 = in1 && x0 + 1 >= 0 && x0 + 1 < w ? ((y0 + 1) * w + x0 + 1) * 4 : -1;
          for (let c = 0; c < 3; c++) {
            acc[c]! +=
              (i00 < 0 ? 128 : data[i00 + c]!) * w00 +
              (i10 < 0 ? 128 : data[i10 + c]!) * w10 +
              (i01 < 0 ? 128 : data[i01 + c]!) * w01 +
              (i11 < 0 ? 128 : data[i11 + c]!) * w11;
          }
        }
      }
      const o = (v * size + u) * 4;
      const n = taps * taps;
      out[o] = acc[0]! / n;
      out[o + 1] = acc[1]! / n;
      out[o + 2] = acc[2]! / n;
      out[o + 3] = 255;
    }
  }
  return { width: size, height: size, data: out };
}

/** The crop a recognizer sees for a face: five points from the landmarks onto the spec's reference points. */
export function alignFace(image: RgbaImage, landmarks: readonly Point[], spec: AlignmentSpec): RgbaImage {
  return warpSimilarity(image, similarityTransform(fivePoints(landmarks), referencePoints(spec)), spec.size);
}
