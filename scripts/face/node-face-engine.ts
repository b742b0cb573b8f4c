import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { FaceError } from '../../core/errors/face-error.js';
import { FaceConfig, detectorsOf, type RecognizerId } from '../../core/contract/face-config.js';
import { alignedRecognizerPort, faceApiPort, netsFor, tfRuntime, type FaceApiModule, type FaceModelPort } from '../../renderer/face/face-api-port.js';
import { FaceEngine } from '../../renderer/face/face-engine.js';
import { createOnnxNets, onnxWeightFiles, type OnnxNets } from '../../renderer/face/onnx-recognizer.js';
import { onnxTf } from '../../renderer/face/tfjs-onnx-net.js';
import { RECOGNIZERS, type FaceRecognizer } from '../../renderer/face/recognizer.js';

const require = createRequire(import.meta.url);

/** Where the shipped weights live in Node: the package's own model folder (never a download). */
export const nodeModelDir = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
const wasmDir = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');

/** Where a recognizer's weight file (the first of its files, or the one named) lives in node_modules (the package the build copies it from). */
export function recognizerModelFile(id: RecognizerId, name?: string): string {
  const info = RECOGNIZERS[id];
  const file = name ?? info.files[0];
  if (!file || !info.files.includes(file)) throw new FaceError('model-load', `${id} lists no weight file ${name ?? ''}`);
  const dir = path.dirname(require.resolve(`${info.package}/package.json`));
  // Both packages keep their weights in model/.
  return path.join(dir, 'model', file);
}

const recognizers = new Map<RecognizerId, Promise<OnnxNets>>();

/** An ONNX recognizer's nets on face-api's tfjs, as in the app (tfjs-onnx-net.ts), built once per process. */
function onnxRecognizer(faceapi: FaceApiModule, id: RecognizerId): Promise<OnnxNets> {
  let loading = recognizers.get(id);
  if (!loading) {
    loading = (async () => {
      const info = RECOGNIZERS[id];
      const files = onnxWeightFiles(info);
      const net = new Uint8Array(await readFile(recognizerModelFile(id, files.net)));
      const landmarks = files.landmarks ? new Uint8Array(await readFile(recognizerModelFile(id, files.landmarks))) : undefined;
      return createOnnxNets(onnxTf(faceapi), info, landmarks ? { net, landmarks } : { net });
    })();
    recognizers.set(id, loading);
    loading.catch(() => recognizers.delete(id));
  }
  return loading;
}

let loaded: Promise<FaceApiModule> | undefined;
const loadedNets = new Set<string>();

/**
 * face-api's Node WASM build over @tensorflow/tfjs + tfjs-backend-wasm (tfjs-node, the native binding, cannot be
 * installed here). One module instance per process: tfjs keeps global backend state.
 */
function faceApiWasm(): Promise<FaceApiModule> {
  loaded ??= (async () => {
    const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApiModule;
    const tf = tfRuntime(faceapi);
    // A directory prefix with trailing separator: tfjs appends the binary's file name.
    tf.setWasmPaths?.(wasmDir + path.sep);
    if (!(await tf.setBackend('wasm'))) throw new FaceError('backend-unavailable', 'tfjs wasm backend did not initialise');
    await tf.ready();
    return faceapi;
  })();
  return loaded;
}

export interface NodeFaceEngine {
  readonly engine: FaceEngine;
  readonly modelLoadMs: number;
  readonly backendMs: number;
}

/**
 * A FaceEngine on the Node WASM backend with weights from node_modules (or `modelDir`). `candidate` replaces the
 * configured recognizer with one that only the calibration knows (scripts/face/candidate-recognizers.ts).
 */
export async function createNodeFaceEngine(
  config: FaceConfig = FaceConfig.parse(undefined),
  modelDir: string = nodeModelDir,
  candidate?: (faceapi: FaceApiModule) => Promise<FaceRecognizer>,
): Promise<NodeFaceEngine> {
  const t0 = performance.now();
  const faceapi = await faceApiWasm();
  const backendMs = performance.now() - t0;
  const t1 = performance.now();
  try {
    for (const net of netsFor(faceapi, detectorsOf(config.detection), config.match.recognizer)) {
      if (net.isLoaded && loadedNets.has(modelDir)) continue;
      await net.loadFromDisk(modelDir);
    }
    loadedNets.add(modelDir);
  } catch (cause) {
    throw new FaceError('model-load', `cannot load face models from disk`, { cause });
  }
  const detector = detectorsOf(config.detection);
  let port: FaceModelPort;
  if (candidate) port = alignedRecognizerPort(faceapi, detector, await candidate(faceapi));
  else if (config.match.recognizer === 'faceapi-dlib') port = faceApiPort(faceapi, detector);
  else {
    const nets = await onnxRecognizer(faceapi, config.match.recognizer);
    port = alignedRecognizerPort(faceapi, detector, nets.recognizer, nets.landmarker);
  }
  const modelLoadMs = performance.now() - t1;
  const engine = new FaceEngine(port, config, modelLoadMs);
  return { engine, modelLoadMs, backendMs };
}
