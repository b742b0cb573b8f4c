import { z } from 'zod';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PhotoSpecConfig } from '../../../core/contract/face-config.js';
import { toStationError } from '../../../core/errors/station-error.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { BrowserFaceEngine } from '../../face/browser-face-engine.js';
import { checkStandardPhoto, encodeWithinLimit, type JpegEncoder, type PhotoMeasures } from '../../photo-quality/standard-photo.js';
import type { CameraState } from './camera-store.js';
import type { Collector, Contribution } from './collector.js';
import { base64ToBytes, bytesToBase64 } from '../../util/base64.js';

/** An accepted standard photo as the resume draft keeps it. */
const PhotoDraft = z.strictObject({
  jpeg: z.base64().max(4 * 1024 * 1024),
  measures: z.record(z.string().max(40), z.number()),
  size: z.strictObject({ width: z.number().int().positive().max(4000), height: z.number().int().positive().max(4000) }),
});

function measuresOf(kept: Record<string, number>): PhotoMeasures {
  const { faceCount = 1, ...rest } = kept;
  return { faceCount, ...rest };
}

export type PhotoShot =
  | { status: 'none' }
  | { status: 'checking' }
  /** Retake instructions, one per failed check. */
  | { status: 'rejected'; messages: readonly string[] }
  /** `size`: the spec's pixels the photo was cut to (the province rules may set another than the default). */
  | { status: 'good'; jpeg: Uint8Array<ArrayBuffer>; previewUrl: string; measures: PhotoMeasures; accepted: boolean; size: { width: number; height: number } }
  | { status: 'error'; message: string };

/** 标准照: a camera frame cropped to the exam's photo spec, checked, and kept once staff accept it. */
export interface PhotoState {
  shot: PhotoShot;
  capture(): Promise<void>;
  accept(): void;
  retake(): void;
  ready: boolean;
}

export function createPhotoStore(deps: {
  camera: StoreApi<CameraState>;
  loadEngine: () => Promise<BrowserFaceEngine>;
  spec: () => PhotoSpecConfig;
  encode: JpegEncoder;
  /** The station policy: whether 信息采集 takes the standard photo. */
  enabled: () => boolean;
}): { store: StoreApi<PhotoState>; collector: Collector } {
  const store = createStore<PhotoState>()((set, get) => {
    const clear = () => {
      const shot = get().shot;
      if (shot.status === 'good') URL.revokeObjectURL(shot.previewUrl);
      set({ shot: { status: 'none' }, ready: false });
    };
    return {
      shot: { status: 'none' },
      ready: false,
      async capture() {
        clear();
        set({ shot: { status: 'checking' } });
        try {
          const { engine } = await deps.loadEngine();
          if (deps.camera.getState().status !== 'on') await deps.camera.getState().start();
          await deps.camera.getState().whenShowing();
          const frame = deps.camera.getState().grab();
          // Framing needs where the face is, not its descriptor: detection only.
          const analysis = await engine.locate(frame, 'live');
          const quality = checkStandardPhoto(frame, analysis.ok ? [analysis.face] : analysis.faces, deps.spec());
          if (!quality.ok || !quality.photo) {
            set({ shot: { status: 'rejected', messages: quality.failures.map((failure) => failure.message) } });
            return;
          }
          const encoded = await encodeWithinLimit(quality.photo, deps.encode, deps.spec());
          if (!encoded) {
            set({ shot: { status: 'rejected', messages: [zhCN.face.photo.checks.tooLarge] } });
            return;
          }
          const jpeg = new Uint8Array(encoded.bytes);
          const previewUrl = URL.createObjectURL(new Blob([jpeg], { type: 'image/jpeg' }));
          set({ shot: { status: 'good', jpeg, previewUrl, measures: quality.measures, accepted: false, size: { width: deps.spec().width, height: deps.spec().height } } });
        } catch (error) {
          set({ shot: { status: 'error', message: toStationError(error).userMessage } });
        }
      },
      accept() {
        const shot = get().shot;
        if (shot.status === 'good') set({ shot: { ...shot, accepted: true }, ready: true });
      },
      retake: clear,
    };
  });

  const collector: Collector = {
    name: 'standard-photo',
    enabled: deps.enabled,
    ready: () => store.getState().ready,
    contribution(): Contribution {
      const shot = store.getState().shot;
      if (shot.status !== 'good' || !shot.accepted) return { blobs: [], content: {}, approvals: [] };
      const spec = deps.spec();
      const quality = Object.fromEntries(Object.entries(shot.measures).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
      return {
        blobs: [{ role: 'standard-photo', mime: 'image/jpeg', bytes: shot.jpeg }],
        content: { standardPhoto: { widthPx: spec.width, heightPx: spec.height, bytes: shot.jpeg.length, quality } },
        approvals: [],
      };
    },
    reset: () => store.getState().retake(),
    draft() {
      const shot = store.getState().shot;
      if (shot.status !== 'good' || !shot.accepted) return undefined;
      return { jpeg: bytesToBase64(shot.jpeg), measures: shot.measures, size: shot.size };
    },
    restore(value) {
      const parsed = PhotoDraft.safeParse(value);
      if (!parsed.success) return false;
      const jpeg = base64ToBytes(parsed.data.jpeg);
      const previewUrl = URL.createObjectURL(new Blob([jpeg], { type: 'image/jpeg' }));
      store.setState({ shot: { status: 'good', jpeg, previewUrl, measures: measuresOf(parsed.data.measures), accepted: true, size: parsed.data.size }, ready: true });
      return true;
    },
    subscribe: (listener) => store.subscribe(listener),
  };
  return { store, collector };
}
