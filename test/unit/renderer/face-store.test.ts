import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { defaultFaceConfig, LivenessConfig } from '../../../core/contract/face-config.js';
import type { BrowserFaceEngine } from '../../../renderer/face/browser-face-engine.js';
import type { FaceEngine } from '../../../renderer/face/face-engine.js';
import { matchResult } from '../../../renderer/face/face-match.js';
import type { RgbaImage } from '../../../renderer/face/rgba.js';
import type { CameraState } from '../../../renderer/staff/stores/camera-store.js';
import { createFaceStore } from '../../../renderer/staff/stores/face-store.js';
import { syntheticFace } from '../../support/face/synthetic-landmarks.js';

const frame: RgbaImage = { width: 4, height: 4, data: new Uint8ClampedArray(64) };

/** A camera that is on and yields the same frame; start() is counted. */
function camera() {
  let started = 0;
  const store = createStore<CameraState>()(() => ({
    status: 'on',
    message: undefined,
    devices: [],
    deviceId: undefined,
    stream: undefined,
    start: async () => void started++,
    stop: () => undefined,
    attach: () => undefined,
    grab: () => frame,
    whenShowing: async () => undefined,
    async *frames() {
      for (;;) yield frame;
    },
  }));
  return { store, started: () => started };
}

function engine(options: { reference?: 'ok' | 'no-face'; distance?: number; eyes?: () => 'open' | 'closed' }): () => Promise<BrowserFaceEngine> {
  const descriptor = new Float32Array(128);
  async function analyse(_image: RgbaImage, kind: 'reference' | 'live') {
    if (kind === 'reference' && options.reference === 'no-face') {
      return { ok: false, reason: 'no-face', message: '未检测到人脸', faceCount: 0, faces: [], timings: { detectMs: 1, descriptorMs: 0, totalMs: 1 } };
    }
    const face = syntheticFace({ x: 100, y: 100, size: 200, eyeOpen: (options.eyes?.() ?? 'open') === 'open' ? 1 : 0.1 });
    return { ok: true, face, pose: { yawRatio: 0, rollDeg: 0 }, descriptor, padded: false, timings: { detectMs: 1, descriptorMs: 1, totalMs: 2 } };
  }
  const fake = {
    analyse,
    // Liveness needs only the landmarks: the store asks for detection alone.
    locate: analyse,
    async verify() {
      return { ok: true, ...matchResult(options.distance ?? 0.3, defaultFaceConfig.match, { modelVersion: 'test-model', recognizer: 'fake@1', metric: 'cosine' }, { detectMs: 1, descriptorMs: 1, totalMs: 2 }) };
    },
  } as unknown as FaceEngine;
  return async () => ({ engine: fake, backend: 'wasm', modelLoadMs: 1, backendStartMs: 0 });
}

const photo = 'data:image/jpeg;base64,AAAA';
const decode = async () => frame;

describe('face store', () => {
  it('without a reference photo says so; with an unusable one says the photo cannot be used', async () => {
    const cam = camera();
    const store = createFaceStore({ camera: cam.store, loadEngine: engine({}), decode });
    await store.getState().run(undefined);
    expect(store.getState().check).toEqual({ status: 'error', message: '没有可用的报名照片，无法进行人脸比对。' });
    const bad = createFaceStore({ camera: cam.store, loadEngine: engine({ reference: 'no-face' }), decode });
    await bad.getState().run(photo);
    expect(bad.getState().check).toMatchObject({ status: 'error', message: expect.stringContaining('证件照片中无法识别人脸') });
  });

  it('reports the comparison with its decision band', async () => {
    // Inside, between and beyond the configured review band (whatever recognizer the defaults calibrate).
    const { lower, upper } = defaultFaceConfig.match.reviewBand;
    for (const [distance, decision] of [[lower - 0.05, 'pass'], [(lower + upper) / 2, 'review'], [upper + 0.05, 'fail']] as const) {
      const store = createFaceStore({ camera: camera().store, loadEngine: engine({ distance }), decode });
      await store.getState().run(photo);
      const check = store.getState().check;
      expect(check.status).toBe('done');
      if (check.status === 'done' && check.result.ok) expect(check.result.decision).toBe(decision);
    }
  });

  it('with liveness on, a blink is required before the comparison; a still face times out', async () => {
    const liveness = LivenessConfig.parse({ enabled: true, mode: 'blink', timeoutMs: 1000 });
    let t = 0;
    let frameNo = 0;
    const blinking = createFaceStore({
      camera: camera().store,
      loadEngine: engine({ eyes: () => (++frameNo % 6 === 3 ? 'closed' : 'open') }),
      liveness: () => liveness,
      decode,
      now: () => (t += 50),
    });
    await blinking.getState().run(photo);
    expect(blinking.getState().check.status).toBe('done');

    t = 0;
    const still = createFaceStore({ camera: camera().store, loadEngine: engine({ eyes: () => 'open' }), liveness: () => liveness, decode, now: () => (t += 50) });
    await still.getState().run(photo);
    expect(still.getState().check).toEqual({ status: 'error', message: '活体检测超时，请重试' });
  });
  it('prepare() loads the engine and describes the reference once; the check then reuses both', async () => {
    let loads = 0;
    let referenceAnalyses = 0;
    let releaseLoad!: () => void;
    const loaded = new Promise<void>((resolve) => (releaseLoad = resolve));
    const inner = engine({});
    const loadEngine = async () => {
      loads++;
      await loaded;
      const e = await inner();
      const analyse = e.engine.analyse.bind(e.engine);
      const counting = Object.assign(Object.create(e.engine) as FaceEngine, {
        analyse: (image: RgbaImage, kind: 'reference' | 'live') => {
          if (kind === 'reference') referenceAnalyses++;
          return analyse(image, kind);
        },
      });
      return { ...e, engine: counting };
    };
    const store = createFaceStore({ camera: camera().store, loadEngine, decode });
    const preparing = store.getState().prepare(photo);
    expect(store.getState().engine).toBe('loading');
    expect(store.getState().check).toEqual({ status: 'idle' });
    // Staff press 核验 while the engine is still loading: the check waits for the same preparation.
    const checking = store.getState().run(photo);
    releaseLoad();
    await Promise.all([preparing, checking]);
    expect(store.getState().engine).toBe('ready');
    expect(store.getState().check.status).toBe('done');
    expect(referenceAnalyses).toBe(1);
    // A new photo (the next candidate) is described anew.
    await store.getState().prepare('data:image/jpeg;base64,BBBB');
    expect(referenceAnalyses).toBe(2);
    expect(loads).toBe(3);
  });

  it('a failed preparation leaves the check to report the failure, and is tried again', async () => {
    let fail = true;
    const inner = engine({});
    const loadEngine = async () => {
      if (fail) throw new Error('models missing');
      return inner();
    };
    const store = createFaceStore({ camera: camera().store, loadEngine, decode });
    await store.getState().prepare(photo);
    expect(store.getState().engine).toBe('idle');
    expect(store.getState().check).toEqual({ status: 'idle' });
    await store.getState().run(photo);
    expect(store.getState()).toMatchObject({ engine: 'failed', check: { status: 'error' } });
    fail = false;
    await store.getState().run(photo);
    expect(store.getState().check.status).toBe('done');
  });
});
