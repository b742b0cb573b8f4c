/** The engine's rules and decisions with a fake model port (no weights needed): fast, deterministic. */
import { describe, expect, it } from 'vitest';
import { FaceError } from '../../../core/errors/face-error.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { assertLocalUrl } from '../../../renderer/face/browser-face-engine.js';
import { FaceConfig } from '../../../core/contract/face-config.js';
import type { FaceDetectionSession, FaceModelPort } from '../../../renderer/face/face-api-port.js';
import { modelFilesFor } from '../../../renderer/face/face-api-port.js';
import { RECOGNIZERS } from '../../../renderer/face/recognizer.js';
import { FaceEngine } from '../../../renderer/face/face-engine.js';
import { decide, euclideanDistance } from '../../../renderer/face/face-match.js';
import { selectSingleFace, type DetectedFace } from '../../../renderer/face/face-rules.js';
import { headPose } from '../../../renderer/face/landmarks.js';
import { createRgba, padImage, type RgbaImage } from '../../../renderer/face/rgba.js';
import { syntheticFace } from '../../support/face/synthetic-landmarks.js';

/** The fake port's descriptors are Euclidean, as with face-api's dlib net. */
const config = FaceConfig.parse({ match: { recognizer: 'faceapi-dlib' } });

/** A port that "finds" faces by picture width, so tests pick outcomes by the picture they pass. */
function fakePort(byWidth: Record<number, { faces: DetectedFace[]; descriptor?: number[] }>): FaceModelPort & { widths: number[]; detectors: string[] } {
  const widths: number[] = [];
  const detectors: string[] = [];
  return {
    modelVersion: 'fake@1',
    backend: 'fake',
    recognizer: RECOGNIZERS['faceapi-dlib'],
    widths,
    detectors,
    async detect(image: RgbaImage, options): Promise<FaceDetectionSession> {
      widths.push(image.width);
      detectors.push(`${options.detector}@${options.tinyInputSize}`);
      const hit = byWidth[image.width] ?? { faces: [] };
      return {
        faces: hit.faces,
        describe: async () => ({ descriptor: Float32Array.from(hit.descriptor ?? new Array(128).fill(0)) }),
        dispose: () => undefined,
      };
    },
  };
}

const vec = (first: number): number[] => [first, ...new Array(127).fill(0)];

/** A picture full of fine detail (seeded noise): what a sharp camera frame looks like to the quality score. */
function textured(width: number, height: number): RgbaImage {
  const image = createRgba(width, height);
  let seed = 7;
  for (let i = 0; i < image.data.length; i += 4) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const v = seed & 0xff;
    (image.data as Uint8ClampedArray).set([v, v, v], i);
  }
  return image;
}

describe('decision', () => {
  const match = config.match;
  it('passes below the review band, reviews inside it (edges included), fails above', () => {
    expect(decide(match.reviewBand.lower - 0.001, match)).toBe('pass');
    expect(decide(match.reviewBand.lower, match)).toBe('review');
    expect(decide(match.threshold, match)).toBe('review');
    expect(decide(match.reviewBand.upper, match)).toBe('review');
    expect(decide(match.reviewBand.upper + 0.001, match)).toBe('fail');
    expect(decide(Number.NaN, match)).toBe('fail');
  });

  it('computes Euclidean distance and refuses mismatched lengths', () => {
    expect(euclideanDistance([0, 3], [4, 0])).toBe(5);
    expect(() => euclideanDistance([1], [1, 2])).toThrow(RangeError);
  });

  it('config rejects a review band that does not contain the threshold', () => {
    expect(() => FaceConfig.parse({ match: { threshold: 0.6, reviewBand: { lower: 0.4, upper: 0.5 } } })).toThrow();
    expect(config.match.reviewBand.lower).toBeLessThanOrEqual(config.match.threshold);
  });
});

describe('exactly-one-face rule', () => {
  const det = config.detection;
  it('no face, several faces, a small bystander, a turned head, a small face', () => {
    const main = syntheticFace({ x: 200, y: 150, size: 200 });
    expect(selectSingleFace([], 640, 'live', det)).toMatchObject({ ok: false, reason: 'no-face' });
    expect(selectSingleFace([main, syntheticFace({ x: 450, y: 150, size: 180 })], 640, 'live', det)).toMatchObject({ ok: false, reason: 'multiple-faces' });
    expect(selectSingleFace([main, syntheticFace({ x: 500, y: 50, size: 60 })], 640, 'live', det)).toMatchObject({ ok: true, index: 0 });
    expect(selectSingleFace([syntheticFace({ x: 200, y: 150, size: 200, yaw: 0.5 })], 640, 'live', det)).toMatchObject({ ok: false, reason: 'not-frontal' });
    expect(selectSingleFace([syntheticFace({ x: 200, y: 150, size: 70 })], 640, 'live', det)).toMatchObject({ ok: false, reason: 'too-small' });
    // The same 70 px face is fine in a reference photo (a chip photo's face is about that size).
    expect(selectSingleFace([syntheticFace({ x: 10, y: 10, size: 70 })], 102, 'reference', det)).toMatchObject({ ok: true });
    // A chip photo framed per the ID-photo spec has a face box of ~51 px: still a usable reference; 25 px is not.
    expect(selectSingleFace([syntheticFace({ x: 25, y: 30, size: 51 })], 102, 'reference', det)).toMatchObject({ ok: true });
    expect(selectSingleFace([syntheticFace({ x: 25, y: 30, size: 25 })], 102, 'reference', det)).toMatchObject({ ok: false, reason: 'too-small' });
  });

  it('estimates yaw and roll from landmarks', () => {
    expect(Math.abs(headPose(syntheticFace({ x: 0, y: 0, size: 200 }).landmarks).yawRatio)).toBeLessThan(0.01);
    expect(headPose(syntheticFace({ x: 0, y: 0, size: 200, yaw: 0.3 }).landmarks).yawRatio).toBeCloseTo(0.3, 2);
  });
});

describe('FaceEngine with a fake port', () => {
  it('retries a tight reference crop padded, and maps the face back to source pixels', async () => {
    const image = createRgba(100, 120);
    const padded = padImage(image, config.detection.padFactor);
    const face = syntheticFace({ x: 50 + padded.offset.x - 30, y: 60 + padded.offset.y - 30, size: 80 });
    const port = fakePort({ [padded.image.width]: { faces: [face] } });
    const engine = new FaceEngine(port, config);
    const a = await engine.analyse(image, 'reference');
    expect(port.widths).toEqual([100, 200]);
    expect(a.ok).toBe(true);
    if (a.ok) {
      expect(a.padded).toBe(true);
      expect(a.face.box.x).toBeCloseTo(20, 5);
    }
    // Told it is a tight crop, the engine pads at once (one detection instead of two).
    port.widths.length = 0;
    await engine.analyse(image, 'reference', { pad: 'always' });
    expect(port.widths).toEqual([200]);
  });

  it('does not pad live frames, and says why a frame is unusable in Chinese', async () => {
    const port = fakePort({});
    const a = await new FaceEngine(port, config).analyse(createRgba(640, 480), 'live');
    expect(port.widths).toEqual([640]);
    expect(a).toMatchObject({ ok: false, reason: 'no-face', message: zhCN.face.detection.noFace });
  });

  it('compares the best frame by quality (not the first, not the closest), stops at a good one, records the decision', async () => {
    const face = syntheticFace({ x: 200, y: 100, size: 220 });
    // 640: usable but flat (no detail: sharpness 0); 641: no face; 642: detailed (sharp), open eyes, frontal;
    // 643 would be even closer to the reference but is never looked at: 642 is good enough.
    const port = fakePort({ 640: { faces: [face], descriptor: vec(0.05) }, 642: { faces: [face], descriptor: vec(0.1) }, 643: { faces: [face], descriptor: vec(0) }, 644: { faces: [face], descriptor: vec(0.8) } });
    const engine = new FaceEngine(port, config, 123);
    const frames = [createRgba(640, 480), createRgba(641, 480), textured(642, 480), textured(643, 480)];
    const result = await engine.verify(vec(0), frames);
    expect(port.widths).toEqual([640, 641, 642]);
    expect(result).toMatchObject({ ok: true, decision: 'pass', distance: 0.1, framesTried: 3, bestFrame: 2, modelVersion: 'fake@1', recognizer: 'faceapi-dlib@1.7.15', metric: 'euclidean', threshold: config.match.threshold });
    if (result.ok) expect(result.timings.modelLoadMs).toBe(123);
    // Load time is reported once, by the first result.
    const second = await engine.verify(vec(0), [textured(644, 480)]);
    expect(second).toMatchObject({ ok: true, decision: 'fail' });
    if (second.ok) expect(second.timings.modelLoadMs).toBeUndefined();
  });

  it('prefers a sharp frame with open eyes over an earlier one with closed eyes', async () => {
    const open = syntheticFace({ x: 200, y: 100, size: 220 });
    const closed = syntheticFace({ x: 200, y: 100, size: 220, eyeOpen: 0.2 });
    const port = fakePort({ 640: { faces: [closed], descriptor: vec(0.9) }, 641: { faces: [open], descriptor: vec(0.1) } });
    const result = await new FaceEngine(port, config).verify(vec(0), [textured(640, 480), textured(641, 480)]);
    expect(result).toMatchObject({ ok: true, bestFrame: 1, distance: 0.1 });
  });

  it('uses the live detector for camera frames and the reference detector for reference photos', async () => {
    const face = syntheticFace({ x: 200, y: 100, size: 220 });
    const port = fakePort({ 640: { faces: [face] } });
    const engine = new FaceEngine(port, FaceConfig.parse({ match: { recognizer: 'faceapi-dlib' }, detection: { liveDetector: 'tiny', liveTinyInputSize: 320 } }));
    await engine.analyse(createRgba(640, 480), 'reference');
    await engine.verify(vec(0), [createRgba(640, 480)]);
    expect(port.detectors).toEqual(['ssd@416', 'tiny@320']);
  });

  it('reports why no frame could be compared', async () => {
    const engine = new FaceEngine(fakePort({}), FaceConfig.parse({ match: { frames: 2 } }));
    const r = await engine.verify(vec(0), [createRgba(640, 480), createRgba(640, 480), createRgba(640, 480)]);
    expect(r).toMatchObject({ ok: false, reason: 'no-face', framesTried: 2 });
  });
});

describe('other thresholds on the loaded models', () => {
  it('withMatch decides by the new band on the same port, and refuses another recognizer', () => {
    const port = fakePort({});
    const engine = new FaceEngine(port, config);
    // Distance 0.42: inside the calibrated dlib review band (0.40–0.50), below the other band's lower edge (0.43).
    expect(engine.compare(vec(0), vec(0.42)).decision).toBe('review');
    const province = engine.withMatch({ recognizer: 'faceapi-dlib', threshold: 0.44, reviewBand: { lower: 0.43, upper: 0.48 }, frames: 3 });
    expect(province.compare(vec(0), vec(0.42)).decision).toBe('pass');
    expect(province.config.match.frames).toBe(3);
    expect(province.config.detection).toBe(engine.config.detection);
    expect(province.modelVersion).toBe(engine.modelVersion);
    // The original engine keeps its thresholds.
    expect(engine.compare(vec(0), vec(0.42)).decision).toBe('review');
    expect(() => engine.withMatch(FaceConfig.parse({}).match)).toThrow(/faceplugin-fr-feature/);
  });
});

describe('model files stay local', () => {
  const page = 'http://127.0.0.1:17380/staff/index.html';
  it('accepts same-origin, app:// and loopback URLs', () => {
    expect(assertLocalUrl('./models/face', page)).toBe('http://127.0.0.1:17380/staff/models/face/');
    expect(assertLocalUrl('/models/face/', 'app://station/staff/index.html')).toBe('app://station/models/face/');
    expect(assertLocalUrl('http://localhost:9000/m/', page)).toBe('http://localhost:9000/m/');
  });

  it('refuses a CDN', () => {
    expect(() => assertLocalUrl('https://cdn.jsdelivr.net/npm/@vladmandic/face-api/model/', page)).toThrow(FaceError);
    try {
      assertLocalUrl('https://unpkg.com/x/', page);
    } catch (e) {
      expect(e).toBeInstanceOf(FaceError);
      expect((e as FaceError).reason).toBe('model-load');
      expect((e as FaceError).code).toBe('FILE_INVALID');
    }
  });

  it('lists the weight files to ship per detector', () => {
    expect(modelFilesFor('ssd')).toContain('ssd_mobilenetv1_model.bin');
    expect(modelFilesFor('tiny')).not.toContain('ssd_mobilenetv1_model.bin');
    expect(modelFilesFor('tiny')).toHaveLength(6);
  });
});
