import type { FaceMatchConfig } from '../../core/contract/face-config.js';

export type FaceDecision = 'pass' | 'review' | 'fail';

/** 1 − cosine similarity: 0 for the same direction, 1 for unrelated, 2 for opposite embeddings. */
export function cosineDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`descriptor lengths differ: ${a.length} vs ${b.length}`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  if (na === 0 || nb === 0) return Number.NaN;
  return 1 - dot / Math.sqrt(na * nb);
}

export type DistanceMetric = 'cosine' | 'euclidean';

export function descriptorDistance(a: ArrayLike<number>, b: ArrayLike<number>, metric: DistanceMetric): number {
  return metric === 'cosine' ? cosineDistance(a, b) : euclideanDistance(a, b);
}

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
  /** How `distance` was computed: 'cosine' is 1 − cosine similarity, 'euclidean' the plain distance. */
  readonly metric: DistanceMetric;
  readonly decision: FaceDecision;
  readonly threshold: number;
  readonly reviewBand: { readonly lower: number; readonly upper: number };
  /** Detector, landmarks and recognizer, with versions. */
  readonly modelVersion: string;
  /** The recognition net alone, `id@version` (what a recalibration is tied to). */
  readonly recognizer: string;
  /** SHA-256 of the aligned crops the recognizer saw (RGBA bytes), when the engine made them. */
  readonly crops?: { readonly reference?: string; readonly live?: string };
  readonly timings: FaceTimings;
  /** Live frames analysed, and which one (0-based) gave the distance. */
  readonly framesTried: number;
  readonly bestFrame: number;
}

export interface MatchContext {
  readonly modelVersion: string;
  readonly recognizer: string;
  readonly metric: DistanceMetric;
  readonly crops?: FaceMatchResult['crops'];
}

export function matchResult(
  distance: number,
  match: FaceMatchConfig,
  context: MatchContext,
  timings: FaceTimings,
  frames: { tried: number; best: number } = { tried: 1, best: 0 },
): FaceMatchResult {
  return {
    distance: Math.round(distance * 10_000) / 10_000,
    metric: context.metric,
    decision: decide(distance, match),
    threshold: match.threshold,
    reviewBand: { lower: match.reviewBand.lower, upper: match.reviewBand.upper },
    modelVersion: context.modelVersion,
    recognizer: context.recognizer,
    ...(context.crops ? { crops: context.crops } : {}),
    timings,
    framesTried: frames.tried,
    bestFrame: frames.best,
  };
}
