import type * as Tfjs from '@tensorflow/tfjs';
import { FaceError } from '../../core/errors/face-error.js';
import type { FaceApiModule } from './face-api-port.js';
import { parseOnnxGraph, type OnnxAttribute, type OnnxNode, type OnnxTensor } from './onnx-graph.js';

/** tfjs as face-api bundles it (4.x: its typings leave out the fused ops, which its bundles export at run time). */
export type Tf = typeof Tfjs;
type Tensor = Tfjs.Tensor;

/** face-api's tfjs with the ops the ONNX nets need, checked: a bundle without them cannot run the recognizer. */
export function onnxTf(faceapi: FaceApiModule): Tf {
  const tf = faceapi.tf as unknown as Partial<Tf>;
  const ops = [tf.fused?.conv2d, tf.fused?.depthwiseConv2d, tf.prelu, tf.relu, tf.add, tf.mul, tf.matMul, tf.reshape, tf.transpose, tf.pad, tf.tidy, tf.tensor4d];
  if (ops.some((op) => typeof op !== 'function')) throw new FaceError('backend-unavailable', 'face-api bundle lacks the tfjs ops the ONNX nets need');
  return tf as Tf;
}

/** One single-input, single-output net: an NCHW float input in, its output's values out. */
export interface NetRunner {
  readonly id: string;
  run(input: Float32Array, dims: readonly number[]): Promise<Float32Array>;
}

/**
 * Runs a small ONNX convolutional net (Conv, PRelu, Relu, Add, BatchNormalization, Gemm, Flatten, Reshape: what
 * fr_feature.onnx and fr_landmark.onnx are made of) on face-api's own tfjs, on whatever backend face-api runs.
 * Measured (npm run bench:face): onnxruntime-web cost the face engine a second WASM runtime, 14 MB compiled at
 * every start, most of a 2 s load; tfjs's WASM backend is already loaded for face-api's detector.
 *
 * Inside, 4-D values are NHWC (tfjs's layout); the caller's NCHW input is transposed once, and a 4-D output or
 * a flatten goes back to NCHW order, so results equal ONNX's own (test/unit/renderer/face/tfjs-onnx-net.test.ts
 * compares them with onnxruntime's).
 */
export function createTfjsOnnxNet(tf: Tf, id: string, model: Uint8Array): NetRunner {
  const graph = parseOnnxGraph(model);
  if (graph.inputs.length !== 1 || graph.outputs.length !== 1) throw new FaceError('model-load', `${id}: want one input and one output`);
  const inputName = graph.inputs[0]!;
  const outputName = graph.outputs[0]!;
  const constant = (name: string | undefined): OnnxTensor | undefined => (name ? graph.initializers.get(name) : undefined);
  const consumers = new Map<string, number>();
  for (const node of graph.nodes) for (const name of node.inputs) consumers.set(name, (consumers.get(name) ?? 0) + 1);

  const steps: Step[] = [];
  const fusedInto = new Set<OnnxNode>();
  try {
    graph.nodes.forEach((node, index) => {
      if (fusedInto.has(node)) return;
      // A conv whose only consumer is the next node's activation runs as one fused kernel.
      const next = graph.nodes[index + 1];
      const out = node.outputs[0];
      const activation = node.opType === 'Conv' && next && out && consumers.get(out) === 1 && next.inputs[0] === out && (next.opType === 'PRelu' || next.opType === 'Relu') ? next : undefined;
      if (activation) fusedInto.add(activation);
      steps.push(compile(tf, id, node, constant, activation));
    });
  } catch (error) {
    for (const step of steps) step.dispose();
    throw error;
  }

  let queue: Promise<unknown> = Promise.resolve();
  return {
    id,
    async run(input, dims) {
      if (dims.length !== 4 || dims[0] !== 1 || dims.reduce((a, b) => a * b, 1) !== input.length) throw new FaceError('image-invalid', `${id}: input ${dims.join('×')} for ${input.length} values`);
      // Serialised like every tfjs caller in the engine: one backend, one queue.
      const result = queue.then(async () => {
        const output = tf.tidy(() => {
          const values = new Map<string, Value>();
          const [, c, h, w] = dims as [number, number, number, number];
          values.set(inputName, { tensor: tf.transpose(tf.tensor4d(input, [1, c, h, w]), [0, 2, 3, 1]), nhwc: true });
          for (const step of steps) step.run(values);
          const value = values.get(outputName);
          if (!value) throw new FaceError('model-load', `${id}: the graph never computes its output`);
          return toOnnxLayout(tf, value);
        });
        try {
          const data = await output.data();
          if (!(data instanceof Float32Array)) throw new FaceError('model-load', `${id}: output is not float32`);
          return data;
        } finally {
          output.dispose();
        }
      });
      queue = result.catch(() => undefined);
      return result;
    },
  };
}

/** A value during a run: 4-D tensors are kept NHWC (`nhwc`), others as ONNX has them. */
interface Value {
  readonly tensor: Tensor;
  readonly nhwc: boolean;
}

interface Step {
  run(values: Map<string, Value>): void;
  dispose(): void;
}

const unsupported = (id: string, node: OnnxNode, what: string): FaceError => new FaceError('model-load', `${id}: ${node.opType} with ${what} is not supported`);

function ints(node: OnnxNode, name: string, fallback: readonly number[]): readonly number[] {
  const a: OnnxAttribute | undefined = node.attributes.get(name);
  if (!a) return fallback;
  if (a.kind === 'ints') return a.value;
  if (a.kind === 'int') return [a.value];
  throw new FaceError('model-load', `${node.opType}.${name} is not a list of integers`);
}

function number(node: OnnxNode, name: string, fallback: number): number {
  const a = node.attributes.get(name);
  if (!a) return fallback;
  if (a.kind === 'int' || a.kind === 'float') return a.value;
  throw new FaceError('model-load', `${node.opType}.${name} is not a number`);
}

function toOnnxLayout(tf: Tf, value: Value): Tensor {
  return value.nhwc ? tf.transpose(value.tensor, [0, 3, 1, 2]) : value.tensor;
}

function compile(tf: Tf, id: string, node: OnnxNode, constant: (name: string | undefined) => OnnxTensor | undefined, activation: OnnxNode | undefined): Step {
  const weights: Tensor[] = [];
  const keep = <T extends Tensor>(t: T): T => {
    weights.push(t);
    return t;
  };
  const floats = (name: string | undefined, what: string): Extract<OnnxTensor, { kind: 'float32' }> => {
    const t = constant(name);
    if (!t || t.kind !== 'float32') throw unsupported(id, node, `a ${what} that is not a float constant`);
    return t;
  };
  const [first, second, third] = node.inputs;
  const out = (activation ?? node).outputs[0];
  if (!out) throw new FaceError('model-load', `${id}: ${node.opType} has no output`);
  const get = (values: Map<string, Value>, name: string | undefined): Value => {
    const v = name ? values.get(name) : undefined;
    if (!v) throw new FaceError('model-load', `${id}: ${node.opType} reads ${name ?? '(nothing)'} before it is computed`);
    return v;
  };
  const step = (run: (values: Map<string, Value>) => Value): Step => ({
    run: (values) => values.set(out, run(values)),
    dispose: () => weights.forEach((t) => t.dispose()),
  });

  switch (node.opType) {
    case 'Conv': {
      const w = floats(second, 'weight');
      if (w.dims.length !== 4) throw unsupported(id, node, 'a weight that is not 4-D');
      const [o, perGroup, kh, kw] = w.dims as [number, number, number, number];
      const group = number(node, 'group', 1);
      const depthwise = group > 1 && group === o && perGroup === 1;
      if (group !== 1 && !depthwise) throw unsupported(id, node, `group ${group}`);
      if (ints(node, 'dilations', [1, 1]).some((d) => d !== 1)) throw unsupported(id, node, 'dilations');
      const autoPad = node.attributes.get('auto_pad');
      if (autoPad && !(autoPad.kind === 'string' && autoPad.value === 'NOTSET')) throw unsupported(id, node, 'auto_pad');
      const [sh, sw] = ints(node, 'strides', [1, 1]) as [number, number];
      const [top, left, bottom, right] = ints(node, 'pads', [0, 0, 0, 0]) as [number, number, number, number];
      const symmetric = top === bottom && left === right && top === left;
      // ONNX [O, I/g, kH, kW] → tfjs conv [kH, kW, I, O], depthwise [kH, kW, C, 1].
      const filter = keep(tf.tidy(() => tf.transpose(tf.tensor4d(w.data, [o, perGroup, kh, kw]), depthwise ? [2, 3, 0, 1] : [2, 3, 1, 0])));
      const b = third ? floats(third, 'bias') : undefined;
      const bias = b ? keep(tf.tensor1d(b.data)) : undefined;
      let alpha: Tensor | undefined;
      if (activation?.opType === 'PRelu') alpha = keep(tf.tensor1d(floats(activation.inputs[1], 'slope').data));
      const act = activation?.opType === 'PRelu' ? 'prelu' : activation?.opType === 'Relu' ? 'relu' : 'linear';
      return step((values) => {
        let x = get(values, first).tensor as Tfjs.Tensor4D;
        // tfjs takes one number for symmetric padding; anything else is padded first.
        if (!symmetric) x = tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]);
        const args = { x, filter: filter as Tfjs.Tensor4D, strides: [sh, sw] as [number, number], pad: symmetric ? top : 0, dataFormat: 'NHWC' as const, activation: act, ...(bias ? { bias } : {}), ...(alpha ? { preluActivationWeights: alpha } : {}) } as const;
        return { tensor: depthwise ? tf.fused.depthwiseConv2d(args) : tf.fused.conv2d(args), nhwc: true };
      });
    }
    case 'PRelu': {
      const slope = floats(second, 'slope');
      const alpha = keep(tf.tensor1d(slope.data));
      return step((values) => {
        const x = get(values, first);
        return { tensor: tf.prelu(x.tensor, x.nhwc || x.tensor.rank === 2 ? alpha : alpha.reshape(slope.dims as number[])), nhwc: x.nhwc };
      });
    }
    case 'Relu':
      return step((values) => {
        const x = get(values, first);
        return { tensor: tf.relu(x.tensor), nhwc: x.nhwc };
      });
    case 'Add':
      return step((values) => {
        const a = get(values, first);
        const b = get(values, second);
        if (a.nhwc !== b.nhwc) throw unsupported(id, node, 'operands of different layouts');
        return { tensor: tf.add(a.tensor, b.tensor), nhwc: a.nhwc };
      });
    case 'BatchNormalization': {
      const [scale, shift, mean, variance] = [floats(second, 'scale'), floats(third, 'bias'), floats(node.inputs[3], 'mean'), floats(node.inputs[4], 'variance')];
      const eps = number(node, 'epsilon', 1e-5);
      // Inference form, folded once: y = x · a + b with a = scale / √(var + ε), b = bias − mean · a.
      const a = scale.data.map((s, i) => s / Math.sqrt(variance.data[i]! + eps));
      const bb = shift.data.map((s, i) => s - mean.data[i]! * a[i]!);
      const aT = keep(tf.tensor1d(a));
      const bT = keep(tf.tensor1d(bb));
      return step((values) => {
        const x = get(values, first);
        // Channels are the last axis in NHWC and in [N, C]; other ranks are not needed by the shipped nets.
        if (!x.nhwc && x.tensor.rank !== 2) throw unsupported(id, node, `a rank-${x.tensor.rank} input`);
        return { tensor: tf.add(tf.mul(x.tensor, aT), bT), nhwc: x.nhwc };
      });
    }
    case 'Flatten': {
      const axis = number(node, 'axis', 1);
      if (axis !== 1) throw unsupported(id, node, `axis ${axis}`);
      return step((values) => {
        const t = toOnnxLayout(tf, get(values, first));
        return { tensor: tf.reshape(t, [t.shape[0] ?? 1, -1]), nhwc: false };
      });
    }
    case 'Reshape': {
      const shape = constant(second);
      if (!shape || shape.kind !== 'int64') throw unsupported(id, node, 'a shape that is not an int64 constant');
      return step((values) => {
        const t = toOnnxLayout(tf, get(values, first));
        // ONNX: 0 copies the input's dimension, −1 is inferred.
        const target = shape.data.map((d, i) => (d === 0 ? (t.shape[i] ?? 1) : d));
        const tensor = tf.reshape(t, target);
        // A 4-D result is NCHW now: back to the internal layout.
        return tensor.rank === 4 ? { tensor: tf.transpose(tensor, [0, 2, 3, 1]), nhwc: true } : { tensor, nhwc: false };
      });
    }
    case 'Gemm': {
      if (number(node, 'transA', 0) !== 0) throw unsupported(id, node, 'transA');
      const w = floats(second, 'weight');
      if (w.dims.length !== 2) throw unsupported(id, node, 'a weight that is not 2-D');
      const transB = number(node, 'transB', 0) !== 0;
      const alpha = number(node, 'alpha', 1);
      const beta = number(node, 'beta', 1);
      const weight = keep(tf.tidy(() => tf.mul(tf.tensor2d(w.data, w.dims as [number, number]), alpha)));
      const c = third ? floats(third, 'bias') : undefined;
      const bias = c ? keep(tf.tidy(() => tf.mul(tf.tensor(c.data, c.dims as number[]), beta))) : undefined;
      return step((values) => {
        const x = get(values, first);
        if (x.nhwc || x.tensor.rank !== 2) throw unsupported(id, node, 'an input that is not 2-D');
        const product = tf.matMul(x.tensor as Tfjs.Tensor2D, weight as Tfjs.Tensor2D, false, transB);
        return { tensor: bias ? tf.add(product, bias) : product, nhwc: false };
      });
    }
    default:
      throw new FaceError('model-load', `${id}: ONNX op ${node.opType} is not supported`);
  }
}
