import type * as Ort from 'onnxruntime-web';
import { FaceError } from '../../core/errors/face-error.js';
import { cropToTensor, type FaceRecognizer, type RecognizerInfo } from './recognizer.js';
import type { RgbaImage } from './rgba.js';

/** The parts of onnxruntime-web the recognizer uses: the same in Node (its node build) and in the browser. */
export type OrtModule = Pick<typeof Ort, 'InferenceSession' | 'Tensor' | 'env'>;

/** One ORT session on the WASM backend for a single-input, single-output net; a load failure is a FaceError. */
export async function openOrtSession(ort: OrtModule, id: string, model: Uint8Array): Promise<{ session: Ort.InferenceSession; input: string; output: string }> {
  let session: Ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  } catch (cause) {
    throw new FaceError('model-load', `cannot load ${id}`, { cause });
  }
  const input = session.inputNames[0];
  const output = session.outputNames[0];
  if (!input || !output) throw new FaceError('model-load', `${id} has no input or output`);
  return { session, input, output };
}

/**
 * One ORT session on the WASM backend, single-threaded: the app is not cross-origin isolated (no
 * SharedArrayBuffer), and one thread is what the station's two-core machines can spare beside the UI.
 */
export async function createOnnxRecognizer(ort: OrtModule, info: RecognizerInfo, model: Uint8Array): Promise<FaceRecognizer> {
  const spec = info.alignment;
  const layout = info.input;
  if (!spec || !layout) throw new FaceError('model-load', `${info.id} has no alignment or input spec`);
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  const { session, input, output } = await openOrtSession(ort, info.id, model);
  // Serialised: one WASM instance, and a second run while the first is in flight would only queue anyway.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    info,
    embed(crop: RgbaImage): Promise<Float32Array> {
      if (crop.width !== spec.size || crop.height !== spec.size) throw new FaceError('image-invalid', `crop ${crop.width}x${crop.height}, want ${spec.size}`);
      const run = queue.then(async () => {
        const tensor = new ort.Tensor('float32', cropToTensor(crop, layout.layout, (v) => (v - layout.mean) / layout.std), layout.layout === 'nchw' ? [1, 3, spec.size, spec.size] : [1, spec.size, spec.size, 3]);
        try {
          const result = await session.run({ [input]: tensor });
          const out = result[output];
          if (!out || !(out.data instanceof Float32Array)) throw new FaceError('model-load', `${info.id} returned no embedding`);
          const embedding = new Float32Array(out.data);
          out.dispose();
          return embedding;
        } finally {
          tensor.dispose();
        }
      });
      queue = run.catch(() => undefined);
      return run;
    },
  };
}
