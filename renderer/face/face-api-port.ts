import type * as FaceApi from '@vladmandic/face-api';
import { FaceError } from '../../core/errors/face-error.js';
import type { FaceDetectionConfig } from '../../core/contract/face-config.js';
import type { DetectedFace } from './face-rules.js';
import { isValidRgba, toRgbInt32, type RgbaImage } from './rgba.js';

/** The face-api module: the browser ESM bundle or the Node WASM build (same API, same types). */
export type FaceApiModule = typeof FaceApi;

/**
 * What the engine needs from a model runtime. A detection keeps the picture on the device (GPU/WASM memory)
 * until disposed, so the descriptor of the chosen face is computed without uploading it again.
 */
export interface FaceModelPort {
  readonly modelVersion: string;
  readonly backend: string;
  detect(image: RgbaImage, options: FaceDetectionConfig): Promise<FaceDetectionSession>;
}

export interface FaceDetectionSession {
  readonly faces: readonly DetectedFace[];
  /** The 128-D descriptor of faces[index] (dlib-aligned chip, as face-api's withFaceDescriptors does). */
  describe(index: number): Promise<Float32Array>;
  dispose(): void;
}

/** The parts of tfjs's top-level API that face-api's typings leave out but its bundles export at run time. */
interface TfRuntime {
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  getBackend(): string;
  setWasmPaths?: (prefixOrFileMap: string | Record<string, string>) => void;
  env?: () => { set(flag: string, value: boolean | number): void };
}

export function tfRuntime(faceapi: FaceApiModule): TfRuntime {
  const tf: unknown = faceapi.tf;
  const t = tf as Partial<TfRuntime>;
  if (typeof t.setBackend !== 'function' || typeof t.ready !== 'function' || typeof t.getBackend !== 'function') {
    throw new FaceError('backend-unavailable', 'face-api bundle exposes no tfjs backend control');
  }
  return t as TfRuntime;
}

export type DetectorKind = FaceDetectionConfig['detector'];

/** The networks the engine uses for a detector choice (the other detector's weights need not ship). */
export function netsFor(faceapi: FaceApiModule, detector: DetectorKind): FaceApi.NeuralNetwork<unknown>[] {
  const n = faceapi.nets;
  const det = detector === 'ssd' ? n.ssdMobilenetv1 : n.tinyFaceDetector;
  return [det as FaceApi.NeuralNetwork<unknown>, n.faceLandmark68Net as FaceApi.NeuralNetwork<unknown>, n.faceRecognitionNet as FaceApi.NeuralNetwork<unknown>];
}

/** The weight files a deployment must ship for a detector choice (manifest + bin each). */
export function modelFilesFor(detector: DetectorKind): string[] {
  const stems = [detector === 'ssd' ? 'ssd_mobilenetv1_model' : 'tiny_face_detector_model', 'face_landmark_68_model', 'face_recognition_model'];
  return stems.flatMap((s) => [`${s}-weights_manifest.json`, `${s}.bin`]);
}

export function modelVersionOf(faceapi: FaceApiModule, detector: DetectorKind): string {
  return `face-api@${faceapi.version}/${detector === 'ssd' ? 'ssd_mobilenetv1' : 'tiny_face_detector'}+landmark68+dlib-resnet128`;
}

/** A FaceModelPort over a face-api module whose networks are loaded and whose backend is ready. */
export function faceApiPort(faceapi: FaceApiModule, detector: DetectorKind): FaceModelPort {
  const backend = tfRuntime(faceapi).getBackend();
  return {
    modelVersion: modelVersionOf(faceapi, detector),
    backend,
    async detect(image, options) {
      if (!isValidRgba(image)) throw new FaceError('image-invalid', `rgba ${image.width}x${image.height}, ${image.data.length} bytes`);
      if (options.detector !== detector) throw new FaceError('not-ready', `models loaded for ${detector}, asked for ${options.detector}`);
      const tensor = faceapi.tf.tensor3d(toRgbInt32(image), [image.height, image.width, 3], 'int32');
      try {
        const detectorOptions =
          options.detector === 'ssd'
            ? new faceapi.SsdMobilenetv1Options({ minConfidence: options.minConfidence })
            : new faceapi.TinyFaceDetectorOptions({ inputSize: options.tinyInputSize, scoreThreshold: options.minConfidence });
        const results = await faceapi.detectAllFaces(tensor, detectorOptions).withFaceLandmarks();
        const faces: DetectedFace[] = results.map((r) => ({
          box: { x: r.detection.box.x, y: r.detection.box.y, width: r.detection.box.width, height: r.detection.box.height },
          score: r.detection.score,
          landmarks: r.landmarks.positions.map((p) => ({ x: p.x, y: p.y })),
        }));
        return {
          faces,
          async describe(index) {
            const r = results[index];
            if (!r) throw new RangeError(`no face ${index}`);
            // Same alignment as face-api's withFaceDescriptors(): the dlib reference points.
            const aligned = r.landmarks.align(null, { useDlibAlignment: true });
            const chips = await faceapi.extractFaceTensors(tensor, [aligned]);
            try {
              const chip = chips[0];
              if (!chip) throw new FaceError('no-face', 'face chip extraction returned nothing');
              const out = await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(chip);
              const descriptor = Array.isArray(out) ? out[0] : out;
              if (!(descriptor instanceof Float32Array)) throw new FaceError('model-load', 'recognition net returned no descriptor');
              return descriptor;
            } finally {
              for (const c of chips) c.dispose();
            }
          },
          dispose() {
            tensor.dispose();
          },
        };
      } catch (error) {
        tensor.dispose();
        throw error;
      }
    },
  };
}
