import { describe, expect, it } from 'vitest';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { FaceConfig } from '../../../core/contract/face-config.js';
import { meanEyeAspectRatio } from '../../../renderer/face/landmarks.js';
import { MAX_MISSED_FRAMES, startLiveness, stepLiveness, type LivenessState } from '../../../renderer/face/liveness.js';
import { syntheticFace } from '../../support/face/synthetic-landmarks.js';

const blink = FaceConfig.parse({ liveness: { enabled: true } }).liveness;
const turn = FaceConfig.parse({ liveness: { enabled: true, mode: 'turn' } }).liveness;
const eyes = (open: number) => syntheticFace({ x: 100, y: 100, size: 200, eyeOpen: open }).landmarks;
const yawed = (yaw: number) => syntheticFace({ x: 100, y: 100, size: 200, yaw }).landmarks;

function run(config: typeof blink, frames: ReadonlyArray<ReturnType<typeof eyes> | null>, stepMs = 100): LivenessState {
  let s = startLiveness(config, 0);
  frames.forEach((f, i) => (s = stepLiveness(s, f, (i + 1) * stepMs, config)));
  return s;
}

describe('liveness', () => {
  it('is off by default', () => {
    expect(FaceConfig.parse({}).liveness.enabled).toBe(false);
  });

  it('synthetic eyes give the expected aspect ratios', () => {
    expect(meanEyeAspectRatio(eyes(1))).toBeCloseTo(0.3, 2);
    expect(meanEyeAspectRatio(eyes(0.2))).toBeLessThan(blink.earClosed);
  });

  it('passes on open → closed → open', () => {
    const s = run(blink, [eyes(1), eyes(1), eyes(0.2), eyes(0.9)]);
    expect(s.phase).toBe('passed');
    expect(s.prompt).toBe(zhCN.face.liveness.passed);
  });

  it('does not pass a still photo (eyes never close) and times out', () => {
    const s = run(blink, Array.from({ length: 80 }, () => eyes(1)));
    expect(s.phase).toBe('timed-out');
  });

  it('needs open eyes first: a photo with closed eyes cannot start a blink', () => {
    const s = run(blink, [eyes(0.2), eyes(0.2), eyes(0.2)]);
    expect(s.phase).toBe('waiting');
    expect(s.armed).toBe(false);
  });

  it('tolerates a few missed frames, gives up after more', () => {
    expect(run(blink, [eyes(1), null, null, eyes(0.2), null, eyes(1)]).phase).toBe('passed');
    expect(run(blink, [eyes(1), ...Array.from({ length: MAX_MISSED_FRAMES + 1 }, () => null)]).phase).toBe('lost-face');
  });

  it('head turn: centre → side → centre', () => {
    expect(run(turn, [yawed(0), yawed(0.15), yawed(0.35), yawed(0.05)]).phase).toBe('passed');
    expect(run(turn, [yawed(0), yawed(-0.4), yawed(-0.2)]).phase).toBe('turned');
  });
});
