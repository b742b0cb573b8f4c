import type { DetectedFace } from '../../../renderer/face/face-rules.js';
import type { Point } from '../../../renderer/face/rgba.js';

/**
 * A plausible frontal 68-point layout in a square box, for rule and liveness tests. `yaw` moves the nose tip
 * sideways by that fraction of the eye distance; `eyeOpen` scales eyelid opening (EAR ≈ 0.3 × eyeOpen).
 */
export function syntheticFace(o: { x: number; y: number; size: number; yaw?: number; eyeOpen?: number }): DetectedFace {
  const s = o.size;
  const p = (fx: number, fy: number): Point => ({ x: o.x + fx * s, y: o.y + fy * s });
  const lm: Point[] = [];
  for (let i = 0; i <= 16; i++) {
    const t = (i / 16) * Math.PI;
    lm.push(p(0.5 - 0.45 * Math.cos(t), 0.35 + 0.55 * Math.sin(t)));
  }
  for (let i = 0; i < 5; i++) lm.push(p(0.15 + i * 0.06, 0.28)); // 17–21 brow
  for (let i = 0; i < 5; i++) lm.push(p(0.61 + i * 0.06, 0.28)); // 22–26 brow
  const eyeDistance = 0.38; // centres at 0.31 and 0.69
  const noseX = 0.5 + (o.yaw ?? 0) * eyeDistance;
  for (let i = 0; i < 4; i++) lm.push(p(0.5, 0.38 + i * 0.06)); // 27–30 bridge
  lm[30] = p(noseX, 0.56);
  for (let i = 0; i < 5; i++) lm.push(p(noseX - 0.08 + i * 0.04, 0.6)); // 31–35 nostrils
  const h = 0.0225 * (o.eyeOpen ?? 1); // half-opening: EAR = (2h + 2h) / (2 × 0.15) = 0.3 at eyeOpen 1
  const eye = (cx: number): Point[] => [p(cx - 0.075, 0.4), p(cx - 0.025, 0.4 - h), p(cx + 0.025, 0.4 - h), p(cx + 0.075, 0.4), p(cx + 0.025, 0.4 + h), p(cx - 0.025, 0.4 + h)];
  lm.push(...eye(0.31), ...eye(0.69)); // 36–41, 42–47
  for (let i = 0; i < 20; i++) lm.push(p(0.35 + (i % 10) * 0.033, 0.75 + (i < 10 ? 0 : 0.03))); // 48–67 mouth
  return { box: { x: o.x, y: o.y, width: s, height: s }, score: 0.99, landmarks: lm };
}
