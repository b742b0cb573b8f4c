import type { FaceMatchConfig } from '../../core/contract/face-config.js';

export type FaceDecision = 'pass' | 'review' | 'fail';

export const DESCRIPTOR_LENGTH = 128;

export function euclideanDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`descriptor lengths differ: ${a.length} vs ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    sum += d * d;
  }
  return Math.sqrt(sum);
}

/**
 * Three outcomes: below the review band the machine is sure enough to pass, above it to fail; inside it a
 * person decides (需人工复核). Edges: `lower` itself is review, `upper` itself is review.
 */
export function decide(distance: number, match: Pick<FaceMatchConfig, 'reviewBand'>): FaceDecision {
  if (!Number.isFinite(distance)) return 'fail';
  if (distance < match.reviewBand.lower) return 'pass';
  if (distance > match.reviewBand.upper) return 'fail';
  return 'review';
}

export interface FaceTimings {
  /** Model load, when this result paid for it (first use). */
  readonly modelLoadMs?: number;
  readonly detectMs: number;
  readonly descriptorMs: number;
  readonly totalMs: number;
}

/** What a face comparison records: enough to audit the decision later, no image and no descriptor. */
export interface FaceMatchResult {
  readonly distance: number;
  readonly decision: FaceDecision;
  readonly threshold: number;
  readonly reviewBand: { readonly lower: number; readonly upper: number };
  readonly modelVersion: string;
  readonly timings: FaceTimings;
  /** Live frames analysed, and which one (0-based) gave the distance. */
  readonly framesTried: number;
  readonly bestFrame: number;
}

export function matchResult(
  distance: number,
  match: FaceMatchConfig,
  modelVersion: string,
  timings: FaceTimings,
  frames: { tried: number; best: number } = { tried: 1, best: 0 },
): FaceMatchResult {
  return {
    distance: Math.round(distance * 10_000) / 10_000,
    decision: decide(distance, match),
    threshold: match.threshold,
    reviewBand: { lower: match.reviewBand.lower, upper: match.reviewBand.upper },
    modelVersion,
    timings,
    framesTried: frames.tried,
    bestFrame: frames.best,
  };
}
