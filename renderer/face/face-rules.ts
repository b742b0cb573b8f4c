import type { FaceDetectionConfig } from '../../core/contract/face-config.js';
import { headPose, LANDMARK_COUNT, type HeadPose } from './landmarks.js';
import type { Box, Point } from './rgba.js';

/** One face as the detector reports it, in source-image pixels. */
export interface DetectedFace {
  readonly box: Box;
  readonly score: number;
  readonly landmarks: readonly Point[];
}

export type DetectionRejection = 'no-face' | 'multiple-faces' | 'not-frontal' | 'too-small';

/** Reference: an ID chip or roster photo (tight crop, any size). Live: a camera frame of the candidate. */
export type ImageKind = 'reference' | 'live';

export type FaceSelection =
  | { readonly ok: true; readonly index: number; readonly pose: HeadPose; readonly faceCount: number }
  | { readonly ok: false; readonly reason: DetectionRejection; readonly faceCount: number; readonly pose?: HeadPose };

/**
 * The exactly-one-face rule. Faces much smaller than the largest are bystanders far behind the candidate and do
 * not count (config secondFaceRatio); any other second face rejects the picture, because then it is not clear
 * whose face is being checked.
 */
export function selectSingleFace(
  faces: readonly DetectedFace[],
  imageWidth: number,
  kind: ImageKind,
  config: FaceDetectionConfig,
): FaceSelection {
  if (faces.length === 0) return { ok: false, reason: 'no-face', faceCount: 0 };
  let index = 0;
  faces.forEach((f, i) => {
    if (f.box.width > (faces[index]?.box.width ?? 0)) index = i;
  });
  const main = faces[index]!;
  const counted = faces.filter((f) => f === main || f.box.width >= main.box.width * config.secondFaceRatio).length;
  if (counted > 1) return { ok: false, reason: 'multiple-faces', faceCount: counted };
  if (main.landmarks.length !== LANDMARK_COUNT) return { ok: false, reason: 'no-face', faceCount: 0 };
  const pose = headPose(main.landmarks);
  const tooSmall =
    kind === 'reference' ? main.box.width < config.minReferenceFacePx : main.box.width < config.minFacePx || main.box.width < imageWidth * config.minLiveFaceFraction;
  if (tooSmall) return { ok: false, reason: 'too-small', faceCount: 1, pose };
  if (Math.abs(pose.yawRatio) > config.maxYawRatio || Math.abs(pose.rollDeg) > config.maxRollDeg) {
    return { ok: false, reason: 'not-frontal', faceCount: 1, pose };
  }
  return { ok: true, index, pose, faceCount: 1 };
}

/** Boxes and landmarks found on a scaled or padded copy, mapped back to the source picture. */
export function mapFace(face: DetectedFace, scale: number, offset: Point): DetectedFace {
  const mx = (x: number): number => (x - offset.x) / scale;
  const my = (y: number): number => (y - offset.y) / scale;
  return {
    score: face.score,
    box: { x: mx(face.box.x), y: my(face.box.y), width: face.box.width / scale, height: face.box.height / scale },
    landmarks: face.landmarks.map((p) => ({ x: mx(p.x), y: my(p.y) })),
  };
}
