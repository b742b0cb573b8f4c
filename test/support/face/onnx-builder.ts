/**
 * Writes small ONNX models (protobuf ModelProto) for tests of the face engine's ONNX runner: nodes with
 * attributes, float32 initializers filled with seeded values, int64 shape constants. onnxruntime reads the same
 * bytes, so a test can compare both runtimes on one graph.
 */

export interface TestNode {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs?: Readonly<Record<string, number | readonly number[]>>;
  /** Float32 initializers this node reads, by name → dims (values are seeded pseudo-random in [−1, 1)). */
  readonly weights?: Readonly<Record<string, readonly number[]>>;
  /** Int64 initializers, by name → values (a 1-D constant). */
  readonly int64?: Readonly<Record<string, readonly number[]>>;
}

class Writer {
  private readonly parts: number[] = [];

  varint(value: number | bigint): this {
    let v = BigInt.asUintN(64, BigInt(value));
    do {
      const byte = Number(v & 0x7fn);
      v >>= 7n;
      this.parts.push(v > 0n ? byte | 0x80 : byte);
    } while (v > 0n);
    return this;
  }

  tag(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }

  int(field: number, value: number): this {
    return this.tag(field, 0).varint(value);
  }

  bytes(field: number, payload: Uint8Array): this {
    this.tag(field, 2).varint(payload.length);
    for (const b of payload) this.parts.push(b);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, build: (w: Writer) => void): this {
    const inner = new Writer();
    build(inner);
    return this.bytes(field, inner.done());
  }

  float(field: number, value: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    for (const x of b) this.parts.push(x);
    return this;
  }

  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

const FLOAT = 1;
const INT64 = 7;

/** One graph: a single float input of `input.dims`, the named output, the nodes in order. */
export function onnxModel(spec: { input: { name: string; dims: readonly number[] }; output: string; nodes: readonly TestNode[]; seed?: number }): Uint8Array {
  const random = seeded(spec.seed ?? 5);
  const w = new Writer();
  // ir_version 7 and opset 11: what both the shipped nets' exporters and onnxruntime-web read.
  w.int(1, 7);
  w.message(8, (o) => o.string(1, '').int(2, 11));
  w.message(7, (g) => {
    for (const node of spec.nodes) {
      g.message(1, (n) => {
        for (const i of node.inputs) n.string(1, i);
        for (const o of node.outputs) n.string(2, o);
        n.string(4, node.op);
        for (const [name, value] of Object.entries(node.attrs ?? {})) {
          n.message(5, (a) => {
            a.string(1, name);
            if (typeof value !== 'number') {
              for (const v of value) a.int(8, v);
              a.int(20, 7);
            } else if (Number.isInteger(value) && name !== 'alpha' && name !== 'beta' && name !== 'epsilon') {
              a.int(3, value).int(20, 2);
            } else {
              a.float(2, value).int(20, 1);
            }
          });
        }
      });
    }
    g.string(2, 'test');
    for (const node of spec.nodes) {
      for (const [name, dims] of Object.entries(node.weights ?? {})) {
        const count = dims.reduce((a, b) => a * b, 1);
        // Variances must be positive; every other weight may be negative.
        const data = Float32Array.from({ length: count }, () => (name.endsWith('v') ? 0.5 + Math.abs(random()) : random()));
        g.message(5, (t) => {
          for (const d of dims) t.int(1, d);
          t.int(2, FLOAT).string(8, name).bytes(9, new Uint8Array(data.buffer));
        });
      }
      for (const [name, values] of Object.entries(node.int64 ?? {})) {
        const raw = new BigInt64Array(values.map((v) => BigInt(v)));
        g.message(5, (t) => t.int(1, values.length).int(2, INT64).string(8, name).bytes(9, new Uint8Array(raw.buffer)));
      }
    }
    g.message(11, (v) =>
      v.string(1, spec.input.name).message(2, (type) => type.message(1, (tensor) => tensor.int(1, FLOAT).message(2, (shape) => spec.input.dims.forEach((d) => shape.message(1, (dim) => dim.int(1, d)))))),
    );
    g.message(12, (v) => v.string(1, spec.output).message(2, (type) => type.message(1, (tensor) => tensor.int(1, FLOAT))));
  });
  return w.done();
}
