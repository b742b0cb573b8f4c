/**
 * Image-based fingerprint quality on 0..100 for devices that report none (the R30x family). Not NFIQ: a
 * simple, explainable score over 16×16 blocks of
 *   coverage  – how much of the sensor shows finger (a partial or light touch scores low),
 *   coherence – how parallel the ridges are in each block (noise, smudges and dry skin break them up),
 *   contrast  – ridge/valley grey spread in each block (faint or wet prints score low).
 * Recorded with scale 'image-v1' so it is never compared with a vendor's or NFIQ numbers.
 */
import type { GrayImage, QualityScore } from './fingerprint-driver.js';
import { blockField } from './image/image-analysis.js';

export const IMAGE_QUALITY_SCALE = 'image-v1';
export const DEFAULT_QUALITY_THRESHOLD = 40;

export interface QualityBreakdown extends QualityScore {
  /** Share of blocks that show finger, 0..1. */
  coverage: number;
  /** Mean coherence over finger blocks, 0..1. */
  coherence: number;
  /** Mean contrast factor over finger blocks, 0..1. */
  contrast: number;
}

/** Coverage at which the area term is full: a finger seldom fills the whole window. */
const FULL_COVERAGE = 0.55;
/** Grey standard deviation at which the contrast term is full. */
const FULL_CONTRAST = 45;

export function imageQuality(image: GrayImage): QualityBreakdown {
  const field = blockField(image);
  let blocks = 0;
  let coherence = 0;
  let contrast = 0;
  let clarity = 0;
  for (let i = 0; i < field.foreground.length; i += 1) {
    if (field.foreground[i] === 0) continue;
    blocks += 1;
    const c = field.coherence[i]!;
    const k = Math.min(1, field.contrast[i]! / FULL_CONTRAST);
    coherence += c;
    contrast += k;
    clarity += c * k;
  }
  const total = field.foreground.length;
  const coverage = total > 0 ? blocks / total : 0;
  if (blocks === 0) return { scale: IMAGE_QUALITY_SCALE, value: 0, coverage: 0, coherence: 0, contrast: 0 };
  const area = Math.min(1, coverage / FULL_COVERAGE);
  const value = Math.round(100 * Math.min(1, (clarity / blocks) * 1.15) * Math.sqrt(area));
  return {
    scale: IMAGE_QUALITY_SCALE,
    value: Math.max(0, Math.min(100, value)),
    coverage,
    coherence: coherence / blocks,
    contrast: contrast / blocks,
  };
}
