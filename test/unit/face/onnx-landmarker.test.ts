/**
 * The alignment landmark net (Faceplugin's fr_landmark.onnx behind renderer/face/onnx-landmarker.ts): how the
 * box becomes its input and its output becomes picture points (fake net), and, on fixture photos (TEST USE
 * ONLY, read in place), that the real net's points land where face-api's do. Also the augmented description of
 * small reference faces in the aligned-recognizer port (fake face-api and recognizer).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FaceConfig } from '../../../core/contract/face-config.js';
import { alignedRecognizerPort, type FaceApiModule } from '../../../renderer/face/face-api-port.js';
import { eyeCentres } from '../../../renderer/face/landmarks.js';
import { createOnnxLandmarker, type FaceLandmarker } from '../../../renderer/face/onnx-landmarker.js';
import { createTfjsOnnxNet, onnxTf, type NetRunner } from '../../../renderer/face/tfjs-onnx-net.js';
import { RECOGNIZERS, type FaceRecognizer } from '../../../renderer/face/recognizer.js';
import { createRgba, type RgbaImage } from '../../../renderer/face/rgba.js';
import { readImage } from '../../../scripts/face/decode-image.js';
import { createNodeFaceEngine, recognizerModelFile } from '../../../scripts/face/node-face-engine.js';
import { faceFixturesAvailable, faceFixturesRoot } from '../../support/face/fixtures.js';
import { syntheticFace } from '../../support/face/synthetic-landmarks.js';

const info = RECOGNIZERS['faceplugin-fr-feature'].alignmentLandmarks!;

/** A net stand-in that records its input and answers every point at (0.25, 0.75) of the box. */
function fakeNet(): { net: NetRunner; inputs: { dims: readonly number[]; data: Float32Array }[] } {
  const inputs: { dims: readonly number[]; data: Float32Array }[] = [];
  const net: NetRunner = {
    id: 'fake',
    async run(data, dims) {
      inputs.push({ dims, data });
      const out = new Float32Array(136);
      for (let i = 0; i < 68; i++) out.set([0.25, 0.75], 2 * i);
      return out;
    },
  };
  return { net, inputs };
}

describe('onnx landmarker', () => {
  it('feeds the rounded box as 64² greyscale with the configured channel weights and maps points back into the picture', async () => {
    const { net, inputs } = fakeNet();
    const landmarker = createOnnxLandmarker(net, info);
    // A pure red picture: the grey value is the weight of channel 0 (the SDK's BGR2GRAY on RGBA puts 0.114 there).
    const points = await landmarker.locate(createRgba(200, 100, [255, 0, 0]), { x: 40.4, y: 19.6, width: 80.2, height: 60 });
    expect(inputs[0]!.dims).toEqual([1, 1, 64, 64]);
    expect(inputs[0]!.data[64 * 32 + 32]).toBeCloseTo((255 * info.luma[0]) / 256, 4);
    expect(points).toHaveLength(68);
    // Relative to the box as rounded (40, 20, 80 × 60).
    expect(points[0]).toEqual({ x: 40 + 0.25 * 80, y: 20 + 0.75 * 60 });
  });

  it('is required by the recognizer calibrated on it', async () => {
    const recognizer: FaceRecognizer = { info: RECOGNIZERS['faceplugin-fr-feature'], embed: async () => new Float32Array(512) };
    const faceapi = { tf: { setBackend: async () => true, ready: async () => undefined, getBackend: () => 'wasm' }, version: 'x' } as unknown as FaceApiModule;
    expect(() => alignedRecognizerPort(faceapi, 'ssd', recognizer)).toThrow(/fr_landmark/);
    const other: FaceLandmarker = { info: { ...info, id: 'other' }, locate: async () => [] };
    expect(() => alignedRecognizerPort(faceapi, 'ssd', recognizer, other)).toThrow(/fr_landmark/);
  });
});

describe.skipIf(!faceFixturesAvailable())('fr_landmark on fixture photos', () => {
  it('puts the eye centres within a tenth of the eye distance of face-api\'s', async () => {
    const { engine } = await createNodeFaceEngine(FaceConfig.parse({}));
    const faceapi = createRequire(import.meta.url)('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApiModule;
    const landmarker = createOnnxLandmarker(createTfjsOnnxNet(onnxTf(faceapi), info.id, new Uint8Array(await readFile(recognizerModelFile('faceplugin-fr-feature', info.file)))), info);
    for (const name of ['Ai_Sugiyama/Ai_Sugiyama_0002', 'Edward_Lu/Edward_Lu_0003', 'Zhu_Rongji/Zhu_Rongji_0001']) {
      const image = await readImage(path.join(faceFixturesRoot, 'faces-lfw', `${name}.jpg`));
      const found = await engine.locate(image, 'reference');
      if (!found.ok) throw new Error(`fixture photo without a usable face: ${found.reason}`);
      const ours = eyeCentres(await landmarker.locate(image, found.face.box));
      const theirs = eyeCentres(found.face.landmarks);
      const eyeDistance = Math.hypot(theirs.right.x - theirs.left.x, theirs.right.y - theirs.left.y);
      expect(Math.hypot(ours.left.x - theirs.left.x, ours.left.y - theirs.left.y)).toBeLessThan(eyeDistance / 10);
      expect(Math.hypot(ours.right.x - theirs.right.x, ours.right.y - theirs.right.y)).toBeLessThan(eyeDistance / 10);
    }
  }, 60_000);
});

describe('reference description of small faces', () => {
  /** face-api stand-in that "detects" one given face, and a recognizer that counts its runs and the crops it saw. */
  function port(face: ReturnType<typeof syntheticFace>) {
    const crops: RgbaImage[] = [];
    // The recognizer without its landmark net: the test's face-api points place the crop.
    const { alignmentLandmarks: _unused, ...info } = RECOGNIZERS['faceplugin-fr-feature'];
    const recognizer: FaceRecognizer = {
      info,
      embed: async (crop) => {
        crops.push(crop);
        // A unit vector per run, so that the mean of n runs has length 1 only if n = 1.
        const e = new Float32Array(512);
        e[crops.length % 512] = 1;
        return e;
      },
    };
    const faceapi = {
      version: 'x',
      tf: { setBackend: async () => true, ready: async () => undefined, getBackend: () => 'wasm', tensor3d: () => ({ dispose: () => undefined }) },
      SsdMobilenetv1Options: class {},
      TinyFaceDetectorOptions: class {},
      detectAllFaces: () => ({ withFaceLandmarks: async () => [{ detection: { box: face.box, score: 0.9 }, landmarks: { positions: face.landmarks } }] }),
    } as unknown as FaceApiModule;
    return { crops, port: alignedRecognizerPort(faceapi, 'ssd', recognizer) };
  }
  const detection = FaceConfig.parse({}).detection;

  it('averages ten crops (five shifted, each mirrored) for a reference whose eyes are closer than the net crop\'s', async () => {
    // size 60: eyes 0.38 × 60 ≈ 23 px apart, a chip photo's face; the 112 px crop has them 35 px apart.
    const { crops, port: p } = port(syntheticFace({ x: 20, y: 20, size: 60 }));
    const session = await p.detect(createRgba(100, 120, [120, 120, 120]), detection);
    const { descriptor, crop } = await session.describe(0, { reference: true });
    expect(crops).toHaveLength(10);
    expect(crop).toBe(crops[0]);
    expect(Math.hypot(...descriptor)).toBeCloseTo(Math.sqrt(10), 5);
    // A live frame of the same face is described once.
    await session.describe(0);
    expect(crops).toHaveLength(11);
  });

  it('describes a reference with enough pixels once', async () => {
    const { crops, port: p } = port(syntheticFace({ x: 40, y: 40, size: 200 }));
    const session = await p.detect(createRgba(300, 300, [120, 120, 120]), detection);
    await session.describe(0, { reference: true });
    expect(crops).toHaveLength(1);
  });
});
