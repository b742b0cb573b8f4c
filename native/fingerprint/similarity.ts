/**
 * Image-based similarity of two fingerprint captures, for the duplicate check when the device cannot compare
 * templates (and as a second opinion when it can). Both images are reduced to half resolution and locally
 * normalised (zero mean, unit variance: only the ridge pattern is left), then correlated over a small search
 * of rotations and shifts, since a finger never lands twice in the same place. The score is the best
 * normalised correlation over the area both prints cover, 0..1 (negative values clip to 0).
 *
 * This is a guard against a candidate presenting the same finger twice, not a biometric matcher: it expects
 * images from the same sensor, and certified matching stays with the vendor's algorithm.
 */
import type { GrayImage } from './fingerprint-driver.js';
import { normalizedHalfImage } from './image/image-analysis.js';

export interface SimilarityOptions {
  /** Rotations tried, in degrees. */
  rotations?: readonly number[];
  /** Largest shift tried, in full-resolution pixels. */
  maxShift?: number;
}

/** Same-finger pairs of the simulator score 0.3–0.8, different fingers below 0.15 (see the tests). */
export const DEFAULT_SIMILARITY_THRESHOLD = 0.25;

type Normalized = ReturnType<typeof normalizedHalfImage>;

export function imageSimilarity(a: GrayImage, b: GrayImage, options: SimilarityOptions = {}): number {
  if (a.width !== b.width || a.height !== b.height) return 0;
  const na = normalizedHalfImage(a);
  const nb = normalizedHalfImage(b);
  const rotations = options.rotations ?? [-4, -2, 0, 2, 4];
  const maxShift = Math.max(0, Math.round((options.maxShift ?? 24) / 2));
  let areaA = 0;
  for (let i = 0; i < na.weight.length; i += 1) areaA += na.weight[i]!;
  let areaB = 0;
  for (let i = 0; i < nb.weight.length; i += 1) areaB += nb.weight[i]!;
  // A sliver of overlap correlates by chance; demand a fair share of the smaller print.
  const minOverlap = Math.max(200, 0.35 * Math.min(areaA, areaB));
  let best = 0;
  for (const degrees of rotations) {
    const rb = rotate(nb, (degrees * Math.PI) / 180);
    // Coarse grid first, then the neighbours of the best coarse shift.
    let coarse = { score: -1, dx: 0, dy: 0 };
    for (let dy = -maxShift; dy <= maxShift; dy += 2) {
      for (let dx = -maxShift; dx <= maxShift; dx += 2) {
        const score = correlate(na, rb, dx, dy, minOverlap);
        if (score > coarse.score) coarse = { score, dx, dy };
      }
    }
    for (let dy = coarse.dy - 1; dy <= coarse.dy + 1; dy += 1) {
      for (let dx = coarse.dx - 1; dx <= coarse.dx + 1; dx += 1) {
        best = Math.max(best, correlate(na, rb, dx, dy, minOverlap));
      }
    }
  }
  return Math.max(0, Math.min(1, best));
}

/** Normalised correlation of a with b moved by (dx, dy), over pixels where both show ridges. */
function correlate(a: Normalized, b: Normalized, dx: number, dy: number, minOverlap: number): number {
  const { width: w, height: h } = a;
  let sum = 0;
  let saa = 0;
  let sbb = 0;
  let n = 0;
  const y0 = Math.max(0, dy);
  const y1 = Math.min(h, h + dy);
  const x0 = Math.max(0, dx);
  const x1 = Math.min(w, w + dx);
  for (let y = y0; y < y1; y += 1) {
    const rowA = y * w;
    const rowB = (y - dy) * w - dx;
    for (let x = x0; x < x1; x += 1) {
      if (a.weight[rowA + x] === 0 || b.weight[rowB + x] === 0) continue;
      const va = a.values[rowA + x]!;
      const vb = b.values[rowB + x]!;
      sum += va * vb;
      saa += va * va;
      sbb += vb * vb;
      n += 1;
    }
  }
  if (n < minOverlap || saa === 0 || sbb === 0) return -1;
  return sum / Math.sqrt(saa * sbb);
}

/** Nearest-neighbour rotation about the centre; good enough at these small angles. */
function rotate(img: Normalized, radians: number): Normalized {
  if (radians === 0) return img;
  const { width: w, height: h } = img;
  const values = new Float32Array(w * h);
  const weight = new Float32Array(w * h);
  const c = Math.cos(radians);
  const s = Math.sin(radians);
  const cx = w / 2;
  const cy = h / 2;
  for (let y = 0; y < h; y += 1) {
    for (let x = 0; x < w; x += 1) {
      const sx = Math.round(cx + c * (x - cx) + s * (y - cy));
      const sy = Math.round(cy - s * (x - cx) + c * (y - cy));
      if (sx < 0 || sy < 0 || sx >= w || sy >= h) continue;
      values[y * w + x] = img.values[sy * w + sx]!;
      weight[y * w + x] = img.weight[sy * w + sx]!;
    }
  }
  return { width: w, height: h, values, weight };
}
