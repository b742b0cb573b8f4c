import { createRequire } from 'node:module';
import path from 'node:path';
import { FaceError } from '../../core/errors/face-error.js';
import { FaceConfig } from '../../core/contract/face-config.js';
import { faceApiPort, netsFor, tfRuntime, type FaceApiModule } from '../../renderer/face/face-api-port.js';
import { FaceEngine } from '../../renderer/face/face-engine.js';

const require = createRequire(import.meta.url);

/** Where the shipped weights live in Node: the package's own model folder (never a download). */
export const nodeModelDir = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
const wasmDir = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');

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

/** A FaceEngine on the Node WASM backend with weights from node_modules (or `modelDir`). */
export async function createNodeFaceEngine(config: FaceConfig = FaceConfig.parse(undefined), modelDir: string = nodeModelDir): Promise<NodeFaceEngine> {
  const t0 = performance.now();
  const faceapi = await faceApiWasm();
  const backendMs = performance.now() - t0;
  const t1 = performance.now();
  try {
    for (const net of netsFor(faceapi, config.detection.detector)) {
      if (net.isLoaded && loadedNets.has(modelDir)) continue;
      await net.loadFromDisk(modelDir);
    }
    loadedNets.add(modelDir);
  } catch (cause) {
    throw new FaceError('model-load', `cannot load face models from disk`, { cause });
  }
  const modelLoadMs = performance.now() - t1;
  const engine = new FaceEngine(faceApiPort(faceapi, config.detection.detector), config, modelLoadMs);
  return { engine, modelLoadMs, backendMs };
}
