import type * as FaceApi from '@vladmandic/face-api';
import { FaceError } from '../../core/errors/face-error.js';
import type { FaceDetectionConfig, RecognizerId } from '../../core/contract/face-config.js';
import { alignFace, fivePoints, referencePoints, type AlignmentSpec } from './align.js';
import type { DetectedFace } from './face-rules.js';
import type { FaceLandmarker } from './onnx-landmarker.js';
import { RECOGNIZERS, recognizerLabel, type FaceRecognizer, type RecognizerInfo } from './recognizer.js';
import { mirrorHorizontally, isValidRgba, toRgbInt32, type Point, type RgbaImage } from './rgba.js';

/** The face-api module: the browser ESM bundle or the Node WASM build (same API, same types). */
export type FaceApiModule = typeof FaceApi;

/**
 * What the engine needs from a model runtime: detect (boxes and 68 landmarks), then describe a chosen face
 * (align its crop and run the recognizer). A detection keeps what describing needs (the picture, and for
 * face-api's own chip the tensor on the device) until disposed.
 */
export interface FaceModelPort {
  /** Detector, landmarks and recognizer, with versions. */
  readonly modelVersion: string;
  readonly backend: string;
  readonly recognizer: RecognizerInfo;
  detect(image: RgbaImage, options: FaceDetectionConfig): Promise<FaceDetectionSession>;
}

export interface FaceDescription {
  readonly descriptor: Float32Array;
  /** The aligned crop the recognizer saw, when the engine made it (five-point alignment). */
  readonly crop?: RgbaImage;
}

export interface DescribeOptions {
  /** A reference picture (described once per candidate), not a live frame: it may be worth more net runs. */
  readonly reference?: boolean;
}

export interface FaceDetectionSession {
  /** Faces in the detected picture's pixels. */
  readonly faces: readonly DetectedFace[];
  describe(index: number, options?: DescribeOptions): Promise<FaceDescription>;
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
/** One detector, or the ones a config uses (reference and live frames may differ). */
export type Detectors = DetectorKind | readonly DetectorKind[];
const listOf = (detectors: Detectors): readonly DetectorKind[] => (typeof detectors === 'string' ? [detectors] : [...new Set(detectors)]);
const netName = (d: DetectorKind): string => (d === 'ssd' ? 'ssd_mobilenetv1' : 'tiny_face_detector');

/** The networks the engine uses for a detector choice (the other detector's weights need not ship). */
export function netsFor(faceapi: FaceApiModule, detectors: Detectors, recognizer: RecognizerId = 'faceapi-dlib'): FaceApi.NeuralNetwork<unknown>[] {
  const n = faceapi.nets;
  const dets = listOf(detectors).map((d) => (d === 'ssd' ? n.ssdMobilenetv1 : n.tinyFaceDetector) as FaceApi.NeuralNetwork<unknown>);
  const nets = [...dets, n.faceLandmark68Net as FaceApi.NeuralNetwork<unknown>];
  return recognizer === 'faceapi-dlib' ? [...nets, n.faceRecognitionNet as FaceApi.NeuralNetwork<unknown>] : nets;
}

/** The face-api weight files a deployment must ship for a detector choice (manifest + bin each). */
export function modelFilesFor(detector: DetectorKind): string[] {
  const stems = [detector === 'ssd' ? 'ssd_mobilenetv1_model' : 'tiny_face_detector_model', 'face_landmark_68_model', 'face_recognition_model'];
  return stems.flatMap((s) => [`${s}-weights_manifest.json`, `${s}.bin`]);
}

export function modelVersionOf(faceapi: FaceApiModule, detectors: Detectors, recognizer: RecognizerInfo = RECOGNIZERS['faceapi-dlib']): string {
  const det = `face-api@${faceapi.version}/${listOf(detectors).map(netName).join('+')}+landmark68`;
  if (recognizer.id === 'faceapi-dlib') return `${det}+dlib-resnet128`;
  // The alignment's landmark net is part of what a distance means: a record names it.
  const align = recognizer.alignmentLandmarks ? `+${recognizer.alignmentLandmarks.id}` : '';
  return `${det}${align}+${recognizerLabel(recognizer)}`;
}

interface Detection {
  readonly tensor: FaceApi.tf.Tensor3D;
  readonly results: FaceApi.WithFaceLandmarks<{ detection: FaceApi.FaceDetection }, FaceApi.FaceLandmarks68>[];
  readonly faces: DetectedFace[];
}

async function detectFaces(faceapi: FaceApiModule, detectors: Detectors, image: RgbaImage, options: FaceDetectionConfig): Promise<Detection> {
  if (!isValidRgba(image)) throw new FaceError('image-invalid', `rgba ${image.width}x${image.height}, ${image.data.length} bytes`);
  if (!listOf(detectors).includes(options.detector)) throw new FaceError('not-ready', `models loaded for ${listOf(detectors).join(', ')}, asked for ${options.detector}`);
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
    return { tensor, results, faces };
  } catch (error) {
    tensor.dispose();
    throw error;
  }
}

/**
 * The engine as it was until issue 14: face-api's detector and landmarks, and face-api's dlib ResNet on
 * face-api's own chip (a box around the landmarks, as withFaceDescriptors() makes it). Kept as a recognizer
 * choice and as the baseline the calibration and the bench print beside the current one.
 */
export function faceApiPort(faceapi: FaceApiModule, detector: Detectors): FaceModelPort {
  const backend = tfRuntime(faceapi).getBackend();
  return {
    modelVersion: modelVersionOf(faceapi, detector),
    backend,
    recognizer: RECOGNIZERS['faceapi-dlib'],
    async detect(image, options) {
      const { tensor, results, faces } = await detectFaces(faceapi, detector, image, options);
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
            return { descriptor };
          } finally {
            for (const c of chips) c.dispose();
          }
        },
        dispose() {
          tensor.dispose();
        },
      };
    },
  };
}

/**
 * face-api's detector and 68 landmarks, then a recognizer of its own runtime on a five-point aligned crop
 * (renderer/face/align.ts): detect → align → describe. With a landmarker (the recognizer's own landmark net,
 * RecognizerInfo.alignmentLandmarks) the five points come from it, run on the detector's box of the chosen face;
 * face-api's points still decide the one-face rules, pose and frame quality. The detection tensor is freed at
 * once; describing needs only the picture, the box and the landmarks.
 */
export function alignedRecognizerPort(faceapi: FaceApiModule, detector: Detectors, recognizer: FaceRecognizer, landmarker?: FaceLandmarker): FaceModelPort {
  const spec = recognizer.info.alignment;
  if (!spec) throw new FaceError('model-load', `${recognizer.info.id} needs an alignment spec`);
  if (recognizer.info.alignmentLandmarks && landmarker?.info.id !== recognizer.info.alignmentLandmarks.id) {
    throw new FaceError('model-load', `${recognizer.info.id} is calibrated on ${recognizer.info.alignmentLandmarks.id} landmarks`);
  }
  return {
    modelVersion: modelVersionOf(faceapi, detector, recognizer.info),
    backend: tfRuntime(faceapi).getBackend(),
    recognizer: recognizer.info,
    async detect(image, options) {
      const { tensor, faces } = await detectFaces(faceapi, detector, image, options);
      tensor.dispose();
      return {
        faces,
        async describe(index, options = {}) {
          const face = faces[index];
          if (!face) throw new RangeError(`no face ${index}`);
          const points = landmarker ? await landmarker.locate(image, face.box) : face.landmarks;
          const crop = alignFace(image, points, spec);
          if (!options.reference || recognizer.info.metric !== 'cosine' || !upsampled(points, spec)) return { descriptor: await recognizer.embed(crop), crop };
          return { descriptor: await augmentedEmbedding(recognizer, image, points, spec, crop), crop };
        },
        dispose() {},
      };
    },
  };
}

/**
 * Sub-pixel shifts of the landmarks (picture pixels) for the augmented reference description: the crop as aligned
 * and moved by 0.7 px each way (about 1 px of the crop for a chip photo), the order of the landmark noise there.
 */
const REFERENCE_SHIFTS: readonly (readonly [number, number])[] = [
  [0, 0],
  [0.7, 0],
  [-0.7, 0],
  [0, 0.7],
  [0, -0.7],
];

/** Whether the face has fewer pixels than the net's crop (eye distance below the crop's): the crop is an upscale. */
function upsampled(points: readonly Point[], spec: AlignmentSpec): boolean {
  const [left, right] = fivePoints(points);
  const [refLeft, refRight] = referencePoints(spec);
  return Math.hypot(right.x - left.x, right.y - left.y) < Math.hypot(refRight.x - refLeft.x, refRight.y - refLeft.y);
}

/**
 * A reference whose face is smaller than the net's crop (a 102×126 chip photo: eyes ~22 px apart against 35) is
 * described as the mean of the unit embeddings of five shifted crops and their mirror images: an upscaled crop
 * carries more landmark and interpolation noise, and a reference is described once per candidate (ten runs,
 * ~0.3–0.4 s, where a live frame gets one). On the fixtures' chip references it raised East Asian genuine accept at
 * 0.1 % impostors from 91.7 % to 94.0 % (all identities 90.0 % → 90.9 %; docs/calibration/face.md).
 */
async function augmentedEmbedding(recognizer: FaceRecognizer, image: RgbaImage, points: readonly Point[], spec: AlignmentSpec, centre: RgbaImage): Promise<Float32Array> {
  let sum: Float32Array | undefined;
  const add = (e: Float32Array): void => {
    let norm = 0;
    for (const v of e) norm += v * v;
    norm = Math.sqrt(norm) || 1;
    sum ??= new Float32Array(e.length);
    for (let i = 0; i < e.length; i++) sum[i]! += e[i]! / norm;
  };
  for (const [dx, dy] of REFERENCE_SHIFTS) {
    const crop = dx === 0 && dy === 0 ? centre : alignFace(image, points.map((p) => ({ x: p.x + dx, y: p.y + dy })), spec);
    add(await recognizer.embed(crop));
    add(await recognizer.embed(mirrorHorizontally(crop)));
  }
  return sum!;
}
