import { createStore, type StoreApi } from 'zustand/vanilla';
import { toStationError } from '../../../core/errors/station-error.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { BrowserFaceEngine } from '../../face/browser-face-engine.js';
import type { FaceVerification } from '../../face/face-engine.js';
import type { RgbaImage } from '../../face/rgba.js';
import { decodePhoto } from '../../util/decode-image.js';
import type { LivenessConfig } from '../../../core/contract/face-config.js';
import { startLiveness, stepLiveness } from '../../face/liveness.js';
import type { CameraState } from './camera-store.js';

export type FaceCheck =
  | { status: 'idle' }
  /** Optional active liveness: `prompt` tells the candidate what to do (请眨眨眼 …). */
  | { status: 'liveness'; prompt: string }
  | { status: 'running' }
  | { status: 'done'; result: FaceVerification }
  | { status: 'error'; message: string };

/** 人脸比对: the live camera against the reference photo (the roster's), best of N frames. */
export interface FaceState {
  engine: 'idle' | 'loading' | 'ready' | 'failed';
  engineMessage: string | undefined;
  check: FaceCheck;
  run(referencePhoto: string | undefined): Promise<void>;
  /**
   * Loads the engine and describes the reference photo ahead of the check (called when a candidate is found), so
   * that 核验 starts on a ready engine. Failures are left for run() to report.
   */
  prepare(referencePhoto: string | undefined): Promise<void>;
  reset(): void;
}

interface ReferenceDescription {
  readonly photo: string;
  readonly descriptor: Float32Array;
  readonly cropSha256?: string;
}

export function createFaceStore(deps: {
  camera: StoreApi<CameraState>;
  loadEngine: () => Promise<BrowserFaceEngine>;
  /** Liveness settings from the station config (off by default). */
  liveness?: () => LivenessConfig;
  decode?: (dataUrl: string) => Promise<RgbaImage>;
  now?: () => number;
}): StoreApi<FaceState> {
  const now = deps.now ?? (() => performance.now());
  const decode = deps.decode ?? decodePhoto;
  // One description per reference photo, shared by prepare() and run() even while it is still being computed;
  // undefined: the photo has no usable face. A failed description is forgotten, so the next call tries again.
  let reference: { photo: string; description: Promise<ReferenceDescription | undefined> } | undefined;
  const describeReference = (engine: BrowserFaceEngine, photo: string): Promise<ReferenceDescription | undefined> => {
    if (reference?.photo === photo) return reference.description;
    const description = (async () => {
      const analysis = await engine.engine.analyse(await decode(photo), 'reference');
      return analysis.ok ? { photo, descriptor: analysis.descriptor, ...(analysis.cropSha256 ? { cropSha256: analysis.cropSha256 } : {}) } : undefined;
    })();
    const job = { photo, description };
    reference = job;
    description.catch(() => {
      if (reference === job) reference = undefined;
    });
    return description;
  };
  let run = 0;

  return createStore<FaceState>()((set, get) => ({
    engine: 'idle',
    engineMessage: undefined,
    check: { status: 'idle' },

    async prepare(referencePhoto) {
      if (!referencePhoto) return;
      if (get().engine === 'idle') set({ engine: 'loading' });
      try {
        const engine = await deps.loadEngine();
        set({ engine: 'ready', engineMessage: undefined });
        await describeReference(engine, referencePhoto);
      } catch {
        // run() loads again and shows the reason in the check; a failed preparation must not stand in for it.
        if (get().engine === 'loading') set({ engine: 'idle' });
      }
    },

    async run(referencePhoto) {
      const mine = ++run;
      if (!referencePhoto) {
        set({ check: { status: 'error', message: zhCN.face.check.noReference } });
        return;
      }
      set({ check: { status: 'running' }, engine: 'loading' });
      let engine: BrowserFaceEngine;
      try {
        engine = await deps.loadEngine();
        set({ engine: 'ready', engineMessage: undefined });
      } catch (error) {
        set({ engine: 'failed', engineMessage: toStationError(error).userMessage, check: { status: 'error', message: toStationError(error).userMessage } });
        return;
      }
      try {
        const described = await describeReference(engine, referencePhoto);
        if (!described) {
          if (mine === run) set({ check: { status: 'error', message: zhCN.face.referenceUnusable } });
          return;
        }
        if (deps.camera.getState().status !== 'on') await deps.camera.getState().start();
        const liveness = deps.liveness?.();
        if (liveness?.enabled) {
          // A printed photo held up to the camera cannot blink or turn: check that before comparing faces.
          let state = startLiveness(liveness, now());
          for await (const frame of deps.camera.getState().frames(100)) {
            if (mine !== run) return;
            const analysis = await engine.engine.locate(frame, 'live');
            state = stepLiveness(state, analysis.ok ? analysis.face.landmarks : null, now(), liveness);
            if (state.phase === 'passed') break;
            if (state.phase === 'timed-out' || state.phase === 'lost-face') {
              set({ check: { status: 'error', message: state.prompt } });
              return;
            }
            set({ check: { status: 'liveness', prompt: state.prompt } });
          }
          set({ check: { status: 'running' } });
        }
        const result = await engine.engine.verify(described, deps.camera.getState().frames());
        if (mine === run) set({ check: { status: 'done', result } });
      } catch (error) {
        if (mine === run) set({ check: { status: 'error', message: toStationError(error).userMessage } });
      }
    },

    reset() {
      run++;
      set({ check: { status: 'idle' } });
    },
  }));
}
