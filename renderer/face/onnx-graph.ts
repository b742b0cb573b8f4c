import { FaceError } from '../../core/errors/face-error.js';

/**
 * Just enough of the ONNX format (a protobuf ModelProto) to run the small convolutional nets the face engine
 * ships on tfjs, so the face engine needs one WASM runtime instead of two (see tfjs-onnx-net.ts). The file is
 * part of the installation, but it is still parsed defensively: a truncated or foreign file is a typed
 * `model-load` error, never a hang or an out-of-bounds read.
 */
export type OnnxAttribute =
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'string'; readonly value: string };

export interface OnnxNode {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: ReadonlyMap<string, OnnxAttribute>;
}

/** A constant: float32 weights, or int64 values (shapes) as numbers. */
export type OnnxTensor =
  | { readonly name: string; readonly kind: 'float32'; readonly dims: readonly number[]; readonly data: Float32Array }
  | { readonly name: string; readonly kind: 'int64'; readonly dims: readonly number[]; readonly data: readonly number[] };

export interface OnnxGraph {
  readonly nodes: readonly OnnxNode[];
  readonly initializers: ReadonlyMap<string, OnnxTensor>;
  /** Graph inputs that are not initializers (what a caller feeds). */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

const FLOAT = 1;
const INT64 = 7;

const invalid = (what: string): FaceError => new FaceError('model-load', `ONNX file: ${what}`);

/** A protobuf wire-format reader over one message's bytes. */
class Reader {
  private pos: number;
  constructor(
    private readonly bytes: Uint8Array,
    start = 0,
    private readonly end = bytes.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** A varint as a signed 64-bit value (negative int64s take ten bytes), exact within ±2^53. */
  varint(): number {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw invalid('truncated varint');
      const byte = this.bytes[this.pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return Number(BigInt.asIntN(64, result));
      shift += 7n;
    }
    throw invalid('varint longer than ten bytes');
  }

  /** Field number and wire type of the next field. */
  tag(): { field: number; wire: number } {
    const tag = this.varint();
    if (tag <= 0) throw invalid('bad field tag');
    return { field: Math.floor(tag / 8), wire: tag & 7 };
  }

  /** The bounds of a length-delimited field's payload; the reader moves past it. */
  span(): { start: number; end: number } {
    const length = this.varint();
    if (length < 0 || length > this.end - this.pos) throw invalid('field runs past the end');
    const start = this.pos;
    this.pos += length;
    return { start, end: this.pos };
  }

  sub(): Reader {
    const { start, end } = this.span();
    return new Reader(this.bytes, start, end);
  }

  string(): string {
    const { start, end } = this.span();
    return new TextDecoder().decode(this.bytes.subarray(start, end));
  }

  bytesField(): Uint8Array {
    const { start, end } = this.span();
    return this.bytes.subarray(start, end);
  }

  fixed32(): number {
    if (this.end - this.pos < 4) throw invalid('truncated fixed32');
    const value = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.pos, 4).getFloat32(0, true);
    this.pos += 4;
    return value;
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.advance(8);
    else if (wire === 2) this.span();
    else if (wire === 5) this.advance(4);
    else throw invalid(`unsupported wire type ${wire}`);
  }

  /** Repeated varints, packed (wire 2) or one per tag (wire 0). */
  varints(wire: number, into: number[]): void {
    if (wire === 0) into.push(this.varint());
    else if (wire === 2) {
      const packed = this.sub();
      while (!packed.done) into.push(packed.varint());
    } else throw invalid('bad repeated integer field');
  }

  /** Repeated floats, packed (wire 2) or one per tag (wire 5). */
  floats(wire: number, into: number[]): void {
    if (wire === 5) into.push(this.fixed32());
    else if (wire === 2) {
      const packed = this.sub();
      while (!packed.done) into.push(packed.fixed32());
    } else throw invalid('bad repeated float field');
  }

  private advance(n: number): void {
    if (this.end - this.pos < n) throw invalid('truncated fixed field');
    this.pos += n;
  }
}

/** Parses an ONNX model's graph: nodes, float32/int64 initializers, input and output names. */
export function parseOnnxGraph(model: Uint8Array): OnnxGraph {
  const top = new Reader(model);
  let graph: OnnxGraph | undefined;
  while (!top.done) {
    const { field, wire } = top.tag();
    // ModelProto.graph = 7.
    if (field === 7 && wire === 2) graph = readGraph(top.sub());
    else top.skip(wire);
  }
  if (!graph) throw invalid('no graph');
  if (graph.nodes.length === 0) throw invalid('graph has no nodes');
  if (graph.inputs.length === 0 || graph.outputs.length === 0) throw invalid('graph has no input or output');
  return graph;
}

function readGraph(r: Reader): OnnxGraph {
  const nodes: OnnxNode[] = [];
  const initializers = new Map<string, OnnxTensor>();
  const inputs: string[] = [];
  const outputs: string[] = [];
  while (!r.done) {
    const { field, wire } = r.tag();
    if (wire !== 2) {
      r.skip(wire);
      continue;
    }
    // GraphProto: node = 1, initializer = 5, input = 11, output = 12.
    if (field === 1) nodes.push(readNode(r.sub()));
    else if (field === 5) {
      const tensor = readTensor(r.sub());
      initializers.set(tensor.name, tensor);
    } else if (field === 11) inputs.push(readValueInfoName(r.sub()));
    else if (field === 12) outputs.push(readValueInfoName(r.sub()));
    else r.skip(wire);
  }
  // Older exporters list the weights among the inputs too.
  return { nodes, initializers, inputs: inputs.filter((name) => !initializers.has(name)), outputs };
}

function readValueInfoName(r: Reader): string {
  let name = '';
  while (!r.done) {
    const { field, wire } = r.tag();
    if (field === 1 && wire === 2) name = r.string();
    else r.skip(wire);
  }
  if (!name) throw invalid('unnamed graph input or output');
  return name;
}

function readNode(r: Reader): OnnxNode {
  const inputs: string[] = [];
  const outputs: string[] = [];
  const attributes = new Map<string, OnnxAttribute>();
  let opType = '';
  while (!r.done) {
    const { field, wire } = r.tag();
    if (wire !== 2) {
      r.skip(wire);
      continue;
    }
    // NodeProto: input = 1, output = 2, op_type = 4, attribute = 5.
    if (field === 1) inputs.push(r.string());
    else if (field === 2) outputs.push(r.string());
    else if (field === 4) opType = r.string();
    else if (field === 5) {
      const { name, value } = readAttribute(r.sub());
      if (value) attributes.set(name, value);
    } else r.skip(wire);
  }
  if (!opType) throw invalid('node without an op type');
  return { opType, inputs, outputs, attributes };
}

function readAttribute(r: Reader): { name: string; value: OnnxAttribute | undefined } {
  let name = '';
  let type = 0;
  let f: number | undefined;
  let i: number | undefined;
  let s: string | undefined;
  const floats: number[] = [];
  const ints: number[] = [];
  while (!r.done) {
    const { field, wire } = r.tag();
    // AttributeProto: name = 1, f = 2, i = 3, s = 4, floats = 7, ints = 8, type = 20.
    if (field === 1 && wire === 2) name = r.string();
    else if (field === 2 && wire === 5) f = r.fixed32();
    else if (field === 3 && wire === 0) i = r.varint();
    else if (field === 4 && wire === 2) s = r.string();
    else if (field === 7) r.floats(wire, floats);
    else if (field === 8) r.varints(wire, ints);
    else if (field === 20 && wire === 0) type = r.varint();
    else r.skip(wire);
  }
  if (!name) throw invalid('unnamed attribute');
  // AttributeType: FLOAT 1, INT 2, STRING 3, FLOATS 6, INTS 7; files without `type` are told apart by content.
  if (type === 1 || (type === 0 && f !== undefined)) return { name, value: { kind: 'float', value: f ?? 0 } };
  if (type === 2 || (type === 0 && i !== undefined)) return { name, value: { kind: 'int', value: i ?? 0 } };
  if (type === 3 || (type === 0 && s !== undefined)) return { name, value: { kind: 'string', value: s ?? '' } };
  if (type === 6 || (type === 0 && floats.length > 0)) return { name, value: { kind: 'floats', value: floats } };
  if (type === 7 || (type === 0 && ints.length > 0)) return { name, value: { kind: 'ints', value: ints } };
  // Tensors, graphs and others: the supported ops take none, and an unsupported op is refused later by name.
  return { name, value: undefined };
}

function readTensor(r: Reader): OnnxTensor {
  const dims: number[] = [];
  let dataType = 0;
  let name = '';
  let raw: Uint8Array | undefined;
  const floatData: number[] = [];
  const int64Data: number[] = [];
  while (!r.done) {
    const { field, wire } = r.tag();
    // TensorProto: dims = 1, data_type = 2, float_data = 4, int64_data = 7, name = 8, raw_data = 9.
    if (field === 1) r.varints(wire, dims);
    else if (field === 2 && wire === 0) dataType = r.varint();
    else if (field === 4) r.floats(wire, floatData);
    else if (field === 7) r.varints(wire, int64Data);
    else if (field === 8 && wire === 2) name = r.string();
    else if (field === 9 && wire === 2) raw = r.bytesField();
    else r.skip(wire);
  }
  if (!name) throw invalid('unnamed initializer');
  if (dims.some((d) => d < 0 || !Number.isSafeInteger(d))) throw invalid(`${name}: bad dimensions`);
  const count = dims.reduce((a, b) => a * b, 1);
  if (dataType === FLOAT) {
    let data: Float32Array;
    if (raw) {
      if (raw.length !== count * 4) throw invalid(`${name}: ${raw.length} bytes for ${count} floats`);
      // A copy: the payload's offset in the file need not be 4-byte aligned.
      data = new Float32Array(raw.slice().buffer);
    } else data = Float32Array.from(floatData);
    if (data.length !== count) throw invalid(`${name}: ${data.length} values for ${count}`);
    return { name, kind: 'float32', dims, data };
  }
  if (dataType === INT64) {
    let data: number[];
    if (raw) {
      if (raw.length !== count * 8) throw invalid(`${name}: ${raw.length} bytes for ${count} int64s`);
      const view = new DataView(raw.buffer, raw.byteOffset, raw.length);
      data = Array.from({ length: count }, (_, k) => Number(view.getBigInt64(k * 8, true)));
    } else data = int64Data;
    if (data.length !== count) throw invalid(`${name}: ${data.length} values for ${count}`);
    return { name, kind: 'int64', dims, data };
  }
  throw invalid(`${name}: unsupported data type ${dataType}`);
}
