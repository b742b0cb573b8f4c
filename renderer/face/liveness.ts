import { zhCN } from '../../core/i18n/zh-CN.js';
import type { LivenessConfig } from '../../core/contract/face-config.js';
import { headPose, meanEyeAspectRatio, LANDMARK_COUNT } from './landmarks.js';
import type { Point } from './rgba.js';

/**
 * Simple active liveness as a pure state machine over per-frame landmarks: a blink (eye aspect ratio drops below
 * earClosed and comes back above earOpen) or a head turn (yaw beyond turnYawRatio to one side, then back to the
 * centre) within timeoutMs. It stops a printed photo held up to the camera, not a video replay or a mask.
 */
export type LivenessPhase = 'waiting' | 'closed' | 'turned' | 'passed' | 'timed-out' | 'lost-face';

export interface LivenessState {
  readonly mode: LivenessConfig['mode'];
  readonly phase: LivenessPhase;
  readonly startedAt: number;
  /** Open eyes (or a frontal head) must be seen first, so a photo with closed eyes cannot start "closed". */
  readonly armed: boolean;
  /** Frames in a row with no face; a few are tolerated (detector misses during a blink or a turn). */
  readonly missed: number;
  /** Chinese prompt for the candidate / staff. */
  readonly prompt: string;
}

export const MAX_MISSED_FRAMES = 5;

export function startLiveness(config: LivenessConfig, now: number): LivenessState {
  return { mode: config.mode, phase: 'waiting', startedAt: now, armed: false, missed: 0, prompt: promptFor(config.mode, 'waiting') };
}

function promptFor(mode: LivenessConfig['mode'], phase: LivenessPhase): string {
  switch (phase) {
    case 'passed':
      return zhCN.face.liveness.passed;
    case 'timed-out':
      return zhCN.face.liveness.timedOut;
    case 'lost-face':
      return zhCN.face.liveness.lostFace;
    default:
      return mode === 'blink' ? zhCN.face.liveness.blinkPrompt : zhCN.face.liveness.turnPrompt;
  }
}

const settled = (phase: LivenessPhase): boolean => phase === 'passed' || phase === 'timed-out' || phase === 'lost-face';

/**
 * Advances on one frame: `landmarks` is the single face's 68 points, or null when the frame had no usable face.
 * Final phases (passed, timed-out, lost-face) stay put; start again with startLiveness.
 */
export function stepLiveness(state: LivenessState, landmarks: readonly Point[] | null, now: number, config: LivenessConfig): LivenessState {
  if (settled(state.phase)) return state;
  const next = (phase: LivenessPhase, patch: Partial<LivenessState> = {}): LivenessState => ({ ...state, ...patch, phase, prompt: promptFor(state.mode, phase) });
  if (now - state.startedAt > config.timeoutMs) return next('timed-out');
  if (!landmarks || landmarks.length !== LANDMARK_COUNT) {
    const missed = state.missed + 1;
    return missed > MAX_MISSED_FRAMES ? next('lost-face', { missed }) : { ...state, missed };
  }
  const seen = { ...state, missed: 0 };
  if (state.mode === 'blink') {
    const ear = meanEyeAspectRatio(landmarks);
    if (!state.armed) return ear >= config.earOpen ? { ...seen, armed: true } : seen;
    if (state.phase === 'waiting' && ear < config.earClosed) return { ...next('closed'), missed: 0 };
    if (state.phase === 'closed' && ear >= config.earOpen) return { ...next('passed'), missed: 0 };
    return seen;
  }
  const yaw = Math.abs(headPose(landmarks).yawRatio);
  if (!state.armed) return yaw <= config.centreYawRatio ? { ...seen, armed: true } : seen;
  if (state.phase === 'waiting' && yaw >= config.turnYawRatio) return { ...next('turned'), missed: 0 };
  if (state.phase === 'turned' && yaw <= config.centreYawRatio) return { ...next('passed'), missed: 0 };
  return seen;
}
