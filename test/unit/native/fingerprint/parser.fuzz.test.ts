/**
 * Fuzzes the R30x packet parser with 100,000+ generated inputs (fixed seeds: a failure names its seed and case).
 * Properties: push/flush never throw; every error item is a FingerprintError with a known reason; every
 * emitted packet re-encodes to a checksum-valid packet; a single flipped bit outside the length field never
 * turns into a different accepted packet; valid packets in noise or in any chunking come out exactly and in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FingerprintError, fingerprintReasons } from '../../../../core/errors/fingerprint-error.js';
import { R30xPacketParser, type ParsedPacket } from '../../../../native/fingerprint/packet-parser.js';
import { encodePacket, pid, type R30xPacket } from '../../../../native/fingerprint/r30x-protocol.js';
import { seededRandom } from '../../../../native/simulators/seeded-random.js';

const reasons: ReadonlySet<string> = new Set(fingerprintReasons);

class Rng {
  readonly #next: () => number;
  constructor(seed: number) {
    this.#next = seededRandom(seed);
  }
  float(): number {
    return this.#next();
  }
  int(n: number): number {
    return Math.floor(this.#next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  bytes(n: number, biased = false): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 1) out[i] = biased && this.float() < 0.3 ? this.pick([0xef, 0x01, 0xff, 0x07, 0x00, 0x02, 0x08]) : this.int(256);
    return out;
  }
}

function fail(where: string, what: string): never {
  throw new Error(`${where}: ${what}`);
}

const pids = Object.values(pid);

function validPacket(rng: Rng): Uint8Array {
  const size = rng.pick([1, 1, 2, 3, 17, 32, 64, 128, 256, rng.int(256) + 1]);
  return encodePacket(rng.pick(pids), rng.bytes(size, true), rng.float() < 0.8 ? 0xffffffff : rng.int(2 ** 32));
}

function mutate(rng: Rng, packet: Uint8Array): { bytes: Uint8Array; flippedAt: number } {
  const out = packet.slice();
  switch (rng.int(5)) {
    case 0: {
      const at = rng.int(out.length);
      out[at]! ^= 1 << rng.int(8);
      return { bytes: out, flippedAt: at };
    }
    case 1:
      return { bytes: out.slice(0, rng.int(out.length)), flippedAt: -1 };
    case 2: {
      const at = rng.int(out.length);
      return { bytes: Uint8Array.from([...out.subarray(0, at), ...rng.bytes(rng.int(12) + 1, true), ...out.subarray(at)]), flippedAt: -1 };
    }
    case 3:
      out[7] = rng.int(256);
      out[8] = rng.int(256);
      return { bytes: out, flippedAt: -1 };
    default: {
      const at = rng.int(out.length);
      return { bytes: Uint8Array.from([...out.subarray(0, at), ...out.subarray(at + rng.int(8) + 1)]), flippedAt: -1 };
    }
  }
}

let inputs = 0;

function feed(parser: R30xPacketParser, rng: Rng, bytes: Uint8Array, where: string): ParsedPacket[] {
  inputs += 1;
  const items: ParsedPacket[] = [];
  try {
    for (let at = 0; at < bytes.length; ) {
      const size = rng.float() < 0.2 ? 1 : 1 + rng.int(300);
      items.push(...parser.push(bytes.subarray(at, at + size)));
      at += size;
    }
    items.push(...parser.flush());
  } catch (thrown) {
    fail(where, `parser threw ${String(thrown)}`);
  }
  for (const item of items) {
    if (item.kind === 'error') {
      if (!(item.error instanceof FingerprintError) || !reasons.has(item.error.reason)) fail(where, 'untyped error item');
    } else {
      checkPacket(item.packet, where);
    }
  }
  return items;
}

function checkPacket(packet: R30xPacket, where: string): void {
  if (!pids.includes(packet.pid as (typeof pids)[number])) fail(where, 'packet with unknown PID');
  if (packet.payload.length < 1 || packet.payload.length > 256) fail(where, 'packet with impossible size');
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);
const encoded = (p: R30xPacket) => encodePacket(p.pid, p.payload, p.address);

describe('R30x packet parser under fuzzing', () => {
  const limit = Error.stackTraceLimit;
  // Most cases end in error items; stack traces would be most of the run time.
  beforeAll(() => {
    Error.stackTraceLimit = 0;
  });
  afterAll(() => {
    Error.stackTraceLimit = limit;
  });
  const seen = new Set<string>();

  it('random byte strings: never throws, only typed errors', () => {
    const seed = 0xf1_0001;
    const rng = new Rng(seed);
    for (let i = 0; i < 45_000; i += 1) {
      const items = feed(new R30xPacketParser(), rng, rng.bytes(rng.int(200), rng.float() < 0.5), `seed ${seed} case ${i}`);
      for (const item of items) if (item.kind === 'error') seen.add(item.error.reason);
    }
  });

  it('mutated valid packets: typed errors, single flipped bits never accepted as another packet, recovery', () => {
    const seed = 0xf1_0002;
    const rng = new Rng(seed);
    for (let i = 0; i < 35_000; i += 1) {
      const where = `seed ${seed} case ${i}`;
      const packet = validPacket(rng);
      const { bytes, flippedAt } = mutate(rng, packet);
      const parser = new R30xPacketParser();
      const items = feed(parser, rng, bytes, where);
      for (const item of items) if (item.kind === 'error') seen.add(item.error.reason);
      // The 16-bit sum covers PID, length and payload: it catches every single-bit error there except in the
      // length (a shorter length checksums a prefix). Header and address are outside the sum by protocol design.
      if (flippedAt >= 6 && flippedAt !== 7 && flippedAt !== 8) {
        for (const item of items) {
          if (item.kind === 'packet' && !same(encoded(item.packet), packet)) fail(where, 'flipped bit accepted as a different packet');
        }
      }
      const next = validPacket(rng);
      const after = feed(parser, rng, next, `${where} (next)`).flatMap((it) => (it.kind === 'packet' ? [it.packet] : []));
      if (after.length !== 1 || !same(encoded(after[0]!), next)) fail(where, 'next packet not recovered');
    }
    for (const reason of ['bad-checksum', 'bad-length', 'bad-packet-id', 'truncated']) expect(seen).toContain(reason);
  });

  it('valid packets in header-free noise and any chunking come out exactly and in order', () => {
    const seed = 0xf1_0003;
    const rng = new Rng(seed);
    for (let i = 0; i < 22_000; i += 1) {
      const where = `seed ${seed} case ${i}`;
      const sent = Array.from({ length: 1 + rng.int(4) }, () => validPacket(rng));
      const parts: number[] = [];
      for (const p of sent) {
        const noise = rng.bytes(rng.int(40), true);
        // Noise must not contain a header, and must not end in EF (which would make EF EF 01 … ambiguous).
        for (let k = 0; k < noise.length; k += 1) if (noise[k] === 0xef) noise[k] = 0xee;
        parts.push(...noise, ...p);
      }
      const got = feed(new R30xPacketParser(), rng, Uint8Array.from(parts), where).flatMap((it) => (it.kind === 'packet' ? [it.packet] : []));
      if (got.length !== sent.length) fail(where, `recovered ${got.length} of ${sent.length}`);
      got.forEach((p, k) => {
        if (!same(encoded(p), sent[k]!)) fail(where, `packet ${k} differs`);
      });
    }
  });

  it('ran at least 100,000 inputs', () => {
    expect(inputs).toBeGreaterThanOrEqual(100_000);
  });
});
