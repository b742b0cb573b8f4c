import type { Point } from './rgba.js';

/**
 * Geometry on the 68-point iBUG landmarks (as face-api's faceLandmark68Net returns them):
 * 0–16 jaw, 27–35 nose (30 = tip), 36–41 right eye (image left), 42–47 left eye, 48–67 mouth.
 */
export const LANDMARK_COUNT = 68;

function at(points: readonly Point[], i: number): Point {
  const p = points[i];
  if (!p) throw new RangeError(`landmark ${i} missing`);
  return p;
}

function mean(points: readonly Point[], from: number, to: number): Point {
  let x = 0;
  let y = 0;
  for (let i = from; i <= to; i++) {
    x += at(points, i).x;
    y += at(points, i).y;
  }
  const n = to - from + 1;
  return { x: x / n, y: y / n };
}

const dist = (a: Point, b: Point): number => Math.hypot(a.x - b.x, a.y - b.y);

export function eyeCentres(points: readonly Point[]): { left: Point; right: Point } {
  // "left" is the eye on the image's left (the person's right eye).
  return { left: mean(points, 36, 41), right: mean(points, 42, 47) };
}

export interface HeadPose {
  /**
   * Horizontal nose-tip offset from the eye midpoint, along the eye line, over the eye distance. Sign: positive
   * when the nose points to the image's right. ~0 when frontal, grows towards ±0.5 at half profile.
   */
  readonly yawRatio: number;
  /** Eye line angle from horizontal, degrees (positive: right eye lower in the image). */
  readonly rollDeg: number;
  /** Distance between eye centres, px. */
  readonly eyeDistance: number;
  /** Jaw span (landmark 0 to 16), px: the face width used for photo framing. */
  readonly jawWidth: number;
}

export function headPose(points: readonly Point[]): HeadPose {
  const { left, right } = eyeCentres(points);
  const ex = right.x - left.x;
  const ey = right.y - left.y;
  const eyeDistance = Math.hypot(ex, ey) || 1;
  const mid = { x: (left.x + right.x) / 2, y: (left.y + right.y) / 2 };
  const nose = at(points, 30);
  // Project onto the eye line so that head roll does not read as yaw.
  const along = ((nose.x - mid.x) * ex + (nose.y - mid.y) * ey) / eyeDistance;
  return {
    yawRatio: along / eyeDistance,
    rollDeg: (Math.atan2(ey, ex) * 180) / Math.PI,
    eyeDistance,
    jawWidth: dist(at(points, 0), at(points, 16)),
  };
}

/** Eye aspect ratio (Soukupová & Čech 2016): eyelid opening over eye width; drops to ~0.1 on a blink. */
export function eyeAspectRatio(points: readonly Point[], first: 36 | 42): number {
  const p = (k: number): Point => at(points, first + k);
  const width = dist(p(0), p(3));
  if (width === 0) return 0;
  return (dist(p(1), p(5)) + dist(p(2), p(4))) / (2 * width);
}

/** Mean of both eyes' aspect ratios. */
export function meanEyeAspectRatio(points: readonly Point[]): number {
  return (eyeAspectRatio(points, 36) + eyeAspectRatio(points, 42)) / 2;
}
