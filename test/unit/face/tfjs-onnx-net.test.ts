/**
 * The face engine's ONNX nets run on face-api's tfjs (renderer/face/tfjs-onnx-net.ts over onnx-graph.ts): the
 * shipped fr_feature.onnx and fr_landmark.onnx give onnxruntime's own results (the reference implementation of
 * the format), small hand-built graphs cover each op, and the parser refuses damaged files with a typed error.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { FaceError } from '../../../core/errors/face-error.js';
import type { FaceApiModule } from '../../../renderer/face/face-api-port.js';
import { parseOnnxGraph } from '../../../renderer/face/onnx-graph.js';
import { createTfjsOnnxNet, onnxTf, type Tf } from '../../../renderer/face/tfjs-onnx-net.js';
import { FaceConfig } from '../../../core/contract/face-config.js';
import { createNodeFaceEngine, recognizerModelFile } from '../../../scripts/face/node-face-engine.js';
import { onnxModel, type TestNode } from '../../support/face/onnx-builder.js';

let tf: Tf;
beforeAll(async () => {
  // The engine's loader sets up face-api's WASM backend once per process.
  await createNodeFaceEngine(FaceConfig.parse({ match: { recognizer: 'faceapi-dlib' } }));
  tf = onnxTf(createRequire(import.meta.url)('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApiModule);
}, 60_000);

/** A deterministic pseudo-random input in [−1, 1). */
function noise(length: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

async function ortRun(model: Uint8Array, input: Float32Array, dims: number[]): Promise<Float32Array> {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'] });
  const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', input, dims) });
  const data = out[session.outputNames[0]!]!.data;
  if (!(data instanceof Float32Array)) throw new Error('onnxruntime gave no float32 output');
  await session.release();
  return data;
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe('shipped nets on tfjs', () => {
  for (const [file, dims, tolerance] of [
    ['fr_feature.onnx', [1, 3, 112, 112], 1e-4],
    ['fr_landmark.onnx', [1, 1, 64, 64], 1e-5],
  ] as const) {
    it(`${file} gives onnxruntime's output`, async () => {
      const model = new Uint8Array(await readFile(recognizerModelFile('faceplugin-fr-feature', file)));
      const net = createTfjsOnnxNet(tf, file, model);
      for (const seed of [1, 2]) {
        const input = noise(dims.reduce((a: number, b: number) => a * b, 1), seed);
        const ours = await net.run(input, dims);
        const theirs = await ortRun(model, input, [...dims]);
        expect(maxDifference(ours, theirs)).toBeLessThan(tolerance);
      }
    }, 60_000);
  }
});

describe('ops', () => {
  const input = (c: number, h: number, w: number) => ({ name: 'x', dims: [1, c, h, w] });
  const cases: { name: string; nodes: TestNode[]; x: { name: string; dims: number[] } }[] = [
    {
      name: 'conv with asymmetric padding, stride 2, then PRelu (fused)',
      x: input(3, 7, 6),
      nodes: [
        { op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['c'], attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [0, 1, 1, 2] }, weights: { w: [4, 3, 3, 3], b: [4] } },
        { op: 'PRelu', inputs: ['c', 's'], outputs: ['y'], weights: { s: [4, 1, 1] } },
      ],
    },
    {
      name: 'depthwise conv, then Relu, Add of two branches',
      x: input(4, 5, 5),
      nodes: [
        { op: 'Conv', inputs: ['x', 'w'], outputs: ['d'], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], group: 4 }, weights: { w: [4, 1, 3, 3] } },
        { op: 'Relu', inputs: ['d'], outputs: ['r'] },
        { op: 'Add', inputs: ['r', 'x'], outputs: ['y'] },
      ],
    },
    {
      name: 'a conv output read twice stays unfused; flatten of a 2×2 map keeps ONNX order; Gemm and BatchNormalization',
      x: input(2, 3, 3),
      nodes: [
        { op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['c'], attrs: { kernel_shape: [2, 2] }, weights: { w: [3, 2, 2, 2], b: [3] } },
        { op: 'PRelu', inputs: ['c', 's'], outputs: ['p'], weights: { s: [3, 1, 1] } },
        { op: 'Add', inputs: ['p', 'c'], outputs: ['a'] },
        { op: 'Flatten', inputs: ['a'], outputs: ['f'], attrs: { axis: 1 } },
        { op: 'Gemm', inputs: ['f', 'g', 'h'], outputs: ['m'], attrs: { transB: 1, alpha: 0.5, beta: 2 }, weights: { g: [5, 12], h: [5] } },
        { op: 'BatchNormalization', inputs: ['m', 'bs', 'bb', 'bm', 'bv'], outputs: ['y'], attrs: { epsilon: 1e-3 }, weights: { bs: [5], bb: [5], bm: [5], bv: [5] } },
      ],
    },
    {
      name: 'reshape to 4-D and back into the conv layout',
      x: input(2, 2, 2),
      nodes: [
        { op: 'Reshape', inputs: ['x', 'shape'], outputs: ['r'], int64: { shape: [0, 4, 2, 1] } },
        { op: 'Conv', inputs: ['r', 'w'], outputs: ['y'], attrs: { kernel_shape: [1, 1] }, weights: { w: [3, 4, 1, 1] } },
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const model = onnxModel({ input: c.x, output: 'y', nodes: c.nodes });
      const x = noise(c.x.dims.reduce((a, b) => a * b, 1), 7);
      const ours = await createTfjsOnnxNet(tf, c.name, model).run(x, c.x.dims);
      expect(maxDifference(ours, await ortRun(model, x, c.x.dims))).toBeLessThan(1e-5);
    }, 30_000);
  }

  it('refuses ops and attributes it does not implement, by name', () => {
    const x = input(4, 4, 4);
    const refuse = (nodes: TestNode[], message: RegExp) => {
      const model = onnxModel({ input: x, output: 'y', nodes });
      expect(() => createTfjsOnnxNet(tf, 'net', model)).toThrow(message);
    };
    refuse([{ op: 'Sigmoid', inputs: ['x'], outputs: ['y'] }], /op Sigmoid is not supported/);
    refuse([{ op: 'Conv', inputs: ['x', 'w'], outputs: ['y'], attrs: { kernel_shape: [3, 3], group: 2 }, weights: { w: [4, 2, 3, 3] } }], /group 2/);
    refuse([{ op: 'Conv', inputs: ['x', 'w'], outputs: ['y'], attrs: { kernel_shape: [3, 3], dilations: [2, 2] }, weights: { w: [4, 4, 3, 3] } }], /dilations/);
  });

  it('refuses an input of the wrong size', async () => {
    const net = createTfjsOnnxNet(tf, 'relu', onnxModel({ input: input(1, 2, 2), output: 'y', nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }] }));
    await expect(net.run(new Float32Array(3), [1, 1, 2, 2])).rejects.toThrow(FaceError);
    await expect(net.run(new Float32Array([-1, 2, -3, 4]), [1, 1, 2, 2])).resolves.toEqual(new Float32Array([0, 2, 0, 4]));
  });
});

describe('parser', () => {
  it('reads the shipped landmark net: nodes, weights, one input and output', async () => {
    const graph = parseOnnxGraph(new Uint8Array(await readFile(recognizerModelFile('faceplugin-fr-feature', 'fr_landmark.onnx'))));
    expect(graph.inputs).toEqual(['input']);
    expect(graph.outputs).toEqual(['output']);
    expect(graph.nodes.filter((n) => n.opType === 'Conv')).toHaveLength(40);
    const gemm = graph.nodes.find((n) => n.opType === 'Gemm')!;
    const weight = graph.initializers.get(gemm.inputs[1]!)!;
    expect(weight.dims).toEqual([136, 512]);
    expect(weight.data.length).toBe(136 * 512);
  });

  it('refuses truncated, empty and random files with a model-load FaceError, never anything else', async () => {
    const model = new Uint8Array(await readFile(recognizerModelFile('faceplugin-fr-feature', 'fr_landmark.onnx')));
    const attempts: Uint8Array[] = [new Uint8Array(), new Uint8Array([0x08]), new Uint8Array([0xff, 0xff, 0xff])];
    for (const cut of [1, 10, 100, 1000, 100_000, model.length - 1]) attempts.push(model.subarray(0, cut));
    let seed = 99;
    const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0);
    for (let i = 0; i < 300; i++) attempts.push(Uint8Array.from({ length: (random() % 200) + 1 }, () => random() & 0xff));
    // Flipped bytes inside a real file: each either parses (weights changed) or fails as model-load.
    for (let i = 0; i < 60; i++) {
      const damaged = model.slice();
      damaged[random() % damaged.length] = random() & 0xff;
      attempts.push(damaged);
    }
    for (const bytes of attempts) {
      try {
        parseOnnxGraph(bytes);
      } catch (error) {
        expect(error).toBeInstanceOf(FaceError);
        expect((error as FaceError).reason).toBe('model-load');
      }
    }
    expect(() => parseOnnxGraph(model.subarray(0, 1000))).toThrow(FaceError);
  });
});
