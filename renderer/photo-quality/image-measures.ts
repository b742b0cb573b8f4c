import type { Box } from '../face/rgba.js';

/** Integer pixel rectangle clipped to the picture; empty when outside. */
export function clipBox(box: Box, width: number, height: number): Box {
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(width, Math.ceil(box.x + box.width));
  const y1 = Math.min(height, Math.ceil(box.y + box.height));
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}

export interface LumaStats {
  readonly mean: number;
  readonly stdDev: number;
  readonly count: number;
}

export function lumaStats(luma: Float32Array, width: number, region: Box): LumaStats {
  let sum = 0;
  let sq = 0;
  let n = 0;
  for (let y = region.y; y < region.y + region.height; y++) {
    for (let x = region.x; x < region.x + region.width; x++) {
      const v = luma[y * width + x] ?? 0;
      sum += v;
      sq += v * v;
      n++;
    }
  }
  if (n === 0) return { mean: 0, stdDev: 0, count: 0 };
  const mean = sum / n;
  return { mean, stdDev: Math.sqrt(Math.max(0, sq / n - mean * mean)), count: n };
}

/**
 * Variance of the 4-neighbour Laplacian over a region (Pech-Pacheco et al. 2000): sharp pictures have strong
 * second derivatives at edges, blurred ones do not. Compare only at a fixed face size (the standard photo's).
 */
export function laplacianVariance(luma: Float32Array, width: number, height: number, region: Box): number {
  const r = clipBox({ x: region.x + 1, y: region.y + 1, width: region.width - 2, height: region.height - 2 }, width - 1, height - 1);
  let sum = 0;
  let sq = 0;
  let n = 0;
  for (let y = Math.max(1, r.y); y < r.y + r.height; y++) {
    for (let x = Math.max(1, r.x); x < r.x + r.width; x++) {
      const i = y * width + x;
      const lap = (luma[i - 1] ?? 0) + (luma[i + 1] ?? 0) + (luma[i - width] ?? 0) + (luma[i + width] ?? 0) - 4 * (luma[i] ?? 0);
      sum += lap;
      sq += lap * lap;
      n++;
    }
  }
  if (n === 0) return 0;
  const mean = sum / n;
  return sq / n - mean * mean;
}
