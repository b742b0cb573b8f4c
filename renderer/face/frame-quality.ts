import type { FaceDetectionConfig } from '../../core/contract/face-config.js';
import { alignFace, type AlignmentSpec } from './align.js';
import type { DetectedFace } from './face-rules.js';
import { headPose, meanEyeAspectRatio } from './landmarks.js';
import { toLuma, type RgbaImage } from './rgba.js';

/**
 * How good a live frame is for comparison, judged before any recognizer runs: sharpness of the face, how
 * frontal the head is, and whether the eyes are open. The engine compares the best of a few frames by this score
 * rather than the first usable one (motion blur, a blink or a half turn cost more accuracy than a frame's wait).
 */
export interface FrameQuality {
  /** 0–1: the product of the three parts below. */
  readonly score: number;
  /** Variance of the Laplacian over the face on a fixed 112 px aligned crop (scale-free). */
  readonly sharpness: number;
  readonly yawRatio: number;
  readonly eyeAspectRatio: number;
}

/** The crop sharpness is measured on: the ArcFace layout at 112 px, whatever the recognizer. */
const QUALITY_CROP: AlignmentSpec = { size: 112, scale: 1 };
/**
 * Sharpness at which a face counts as fully sharp. On the fixture photos' crops (scripts/calibrate-face.ts prints
 * the distribution) the median is ~120 and the softest ~25: below this a frame loses points in proportion.
 */
export const SHARP_ENOUGH = 80;
/** Eye aspect ratio below which the eyes count as (half) closed; as liveness.earClosed's default. */
const EYES_CLOSED = 0.2;
/** A frame at least this good ends the search for a better one. */
export const GOOD_ENOUGH = 0.8;

function laplacianVariance(luma: Float32Array, size: number, margin: number): number {
  let sum = 0;
  let sq = 0;
  let n = 0;
  for (let y = margin; y < size - margin; y++) {
    for (let x = margin; x < size - margin; x++) {
      const i = y * size + x;
      const v = 4 * luma[i]! - luma[i - 1]! - luma[i + 1]! - luma[i - size]! - luma[i + size]!;
      sum += v;
      sq += v * v;
      n++;
    }
  }
  const mean = sum / n;
  return sq / n - mean * mean;
}

export function frameQuality(image: RgbaImage, face: DetectedFace, detection: Pick<FaceDetectionConfig, 'maxYawRatio'>): FrameQuality {
  const crop = alignFace(image, face.landmarks, QUALITY_CROP);
  // The inner square (eyes, nose, mouth): the background and hair around the face say nothing about focus.
  const sharpness = laplacianVariance(toLuma(crop), crop.width, 24);
  const pose = headPose(face.landmarks);
  const eyeAspectRatio = meanEyeAspectRatio(face.landmarks);
  const sharp = Math.min(1, sharpness / SHARP_ENOUGH);
  const frontal = Math.max(0, 1 - Math.abs(pose.yawRatio) / detection.maxYawRatio);
  const eyes = eyeAspectRatio >= EYES_CLOSED ? 1 : 0.5;
  return { score: sharp * (0.5 + 0.5 * frontal) * eyes, sharpness, yawRatio: pose.yawRatio, eyeAspectRatio };
}
