import { FaceError } from '../../core/errors/face-error.js';
import { cropToTensor, type FaceRecognizer, type RecognizerInfo } from './recognizer.js';
import type { RgbaImage } from './rgba.js';
import { createOnnxLandmarker, type FaceLandmarker } from './onnx-landmarker.js';
import { createTfjsOnnxNet, type NetRunner, type Tf } from './tfjs-onnx-net.js';

/** An ONNX recognizer (run by `net`): the aligned crop normalised into the net's input layout, its embedding out. */
export function createOnnxRecognizer(net: NetRunner, info: RecognizerInfo): FaceRecognizer {
  const spec = info.alignment;
  const layout = info.input;
  if (!spec || !layout) throw new FaceError('model-load', `${info.id} has no alignment or input spec`);
  const dims = layout.layout === 'nchw' ? [1, 3, spec.size, spec.size] : [1, spec.size, spec.size, 3];
  return {
    info,
    async embed(crop: RgbaImage): Promise<Float32Array> {
      if (crop.width !== spec.size || crop.height !== spec.size) throw new FaceError('image-invalid', `crop ${crop.width}x${crop.height}, want ${spec.size}`);
      const embedding = await net.run(cropToTensor(crop, layout.layout, (v) => (v - layout.mean) / layout.std), dims);
      if (embedding.length === 0) throw new FaceError('model-load', `${info.id} returned no embedding`);
      return embedding;
    },
  };
}

/** An ONNX recognizer's nets, ready: the recognizer and, where it aligns on its own points, the landmark net. */
export interface OnnxNets {
  readonly recognizer: FaceRecognizer;
  readonly landmarker?: FaceLandmarker;
}

/** The weight files an ONNX recognizer needs: its own, and its alignment landmark net's if it has one. */
export function onnxWeightFiles(info: RecognizerInfo): { readonly net: string; readonly landmarks?: string } {
  const net = info.files[0];
  if (!net) throw new FaceError('model-load', `${info.id} lists no weight file`);
  const landmarks = info.alignmentLandmarks?.file;
  return landmarks ? { net, landmarks } : { net };
}

/** Builds the nets on face-api's tfjs (the backend face-api already runs on: one runtime for the whole engine). */
export function createOnnxNets(tf: Tf, info: RecognizerInfo, weights: { readonly net: Uint8Array; readonly landmarks?: Uint8Array }): OnnxNets {
  const recognizer = createOnnxRecognizer(createTfjsOnnxNet(tf, info.id, weights.net), info);
  const lm = info.alignmentLandmarks;
  if (!lm) return { recognizer };
  if (!weights.landmarks) throw new FaceError('model-load', `${info.id}: the ${lm.id} weights are missing`);
  return { recognizer, landmarker: createOnnxLandmarker(createTfjsOnnxNet(tf, lm.id, weights.landmarks), lm) };
}
