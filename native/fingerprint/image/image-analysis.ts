/**
 * Block statistics of a grey fingerprint image: local contrast and ridge orientation from the gradient
 * structure tensor. Shared by the quality score, the image similarity and the simulator's feature extractor,
 * so all three see an image the same way.
 */
import type { GrayImage } from '../fingerprint-driver.js';

export const BLOCK = 16;

export interface BlockField {
  cols: number;
  rows: number;
  /** Per block: ridge orientation in [0, π). */
  angle: Float32Array;
  /** Per block: orientation coherence in [0, 1] (1 = perfectly parallel ridges). */
  coherence: Float32Array;
  /** Per block: grey standard deviation (ridge/valley contrast). */
  contrast: Float32Array;
  mean: Float32Array;
  /** Per block: 1 when the block shows finger (contrast and not blank background). */
  foreground: Uint8Array;
}

/** Blocks with less grey spread than this are background or smudge (0..255 scale). */
const MIN_FOREGROUND_STD = 14;

export function blockField(image: GrayImage, block = BLOCK): BlockField {
  const { width, height } = image;
  // A 3×3 mean first: sensor noise would otherwise pass for contrast and break the gradient directions,
  // while ridges (8–12 px apart at 500 dpi) come through.
  const pixels = boxBlur(Float32Array.from(image.pixels), width, height, 1);
  const cols = Math.floor(width / block);
  const rows = Math.floor(height / block);
  const n = cols * rows;
  const field: BlockField = {
    cols,
    rows,
    angle: new Float32Array(n),
    coherence: new Float32Array(n),
    contrast: new Float32Array(n),
    mean: new Float32Array(n),
    foreground: new Uint8Array(n),
  };
  for (let by = 0; by < rows; by += 1) {
    for (let bx = 0; bx < cols; bx += 1) {
      let sum = 0;
      let sumSq = 0;
      let gxx = 0;
      let gyy = 0;
      let gxy = 0;
      const x0 = bx * block;
      const y0 = by * block;
      for (let y = y0; y < y0 + block; y += 1) {
        const row = y * width;
        for (let x = x0; x < x0 + block; x += 1) {
          const v = pixels[row + x]!;
          sum += v;
          sumSq += v * v;
          // Central differences; image borders use the pixel itself.
          const gx = pixels[row + Math.min(width - 1, x + 1)]! - pixels[row + Math.max(0, x - 1)]!;
          const gy = pixels[Math.min(height - 1, y + 1) * width + x]! - pixels[Math.max(0, y - 1) * width + x]!;
          gxx += gx * gx;
          gyy += gy * gy;
          gxy += gx * gy;
        }
      }
      const count = block * block;
      const mean = sum / count;
      const std = Math.sqrt(Math.max(0, sumSq / count - mean * mean));
      const i = by * cols + bx;
      field.mean[i] = mean;
      field.contrast[i] = std;
      const denom = gxx + gyy;
      field.coherence[i] = denom > 0 ? Math.sqrt((gxx - gyy) ** 2 + 4 * gxy * gxy) / denom : 0;
      // The gradient's dominant direction is across the ridges; ridges run at right angles to it.
      let angle = 0.5 * Math.atan2(2 * gxy, gxx - gyy) + Math.PI / 2;
      if (angle >= Math.PI) angle -= Math.PI;
      field.angle[i] = angle;
      field.foreground[i] = std >= MIN_FOREGROUND_STD && mean < 245 ? 1 : 0;
    }
  }
  return field;
}

/** Local zero-mean, unit-variance ridge image at half resolution: the form the similarity compares. */
export function normalizedHalfImage(image: GrayImage): { width: number; height: number; values: Float32Array; weight: Float32Array } {
  const w = image.width >> 1;
  const h = image.height >> 1;
  const half = new Float32Array(w * h);
  for (let y = 0; y < h; y += 1) {
    for (let x = 0; x < w; x += 1) {
      const p = (y * 2) * image.width + x * 2;
      half[y * w + x] =
        (image.pixels[p]! + image.pixels[p + 1]! + image.pixels[p + image.width]! + image.pixels[p + image.width + 1]!) / 4;
    }
  }
  const r = 4;
  const mean = boxBlur(half, w, h, r);
  const sq = new Float32Array(w * h);
  for (let i = 0; i < sq.length; i += 1) sq[i] = (half[i]! - mean[i]!) ** 2;
  const variance = boxBlur(sq, w, h, r);
  const values = new Float32Array(w * h);
  const weight = new Float32Array(w * h);
  for (let i = 0; i < values.length; i += 1) {
    const std = Math.sqrt(variance[i]!);
    // Flat areas (background, smudges) carry no ridge information and must not count as agreement.
    weight[i] = std >= 6 && mean[i]! < 245 ? 1 : 0;
    values[i] = weight[i]! > 0 ? (half[i]! - mean[i]!) / std : 0;
  }
  return { width: w, height: h, values, weight };
}

function boxBlur(src: Float32Array, w: number, h: number, r: number): Float32Array {
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y += 1) {
    let acc = 0;
    let count = 0;
    for (let x = -r; x < w; x += 1) {
      if (x + r < w) {
        acc += src[y * w + x + r]!;
        count += 1;
      }
      if (x - r - 1 >= 0) {
        acc -= src[y * w + x - r - 1]!;
        count -= 1;
      }
      if (x >= 0) tmp[y * w + x] = acc / count;
    }
  }
  for (let x = 0; x < w; x += 1) {
    let acc = 0;
    let count = 0;
    for (let y = -r; y < h; y += 1) {
      if (y + r < h) {
        acc += tmp[(y + r) * w + x]!;
        count += 1;
      }
      if (y - r - 1 >= 0) {
        acc -= tmp[(y - r - 1) * w + x]!;
        count -= 1;
      }
      if (y >= 0) out[y * w + x] = acc / count;
    }
  }
  return out;
}
