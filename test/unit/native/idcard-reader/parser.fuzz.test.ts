/**
 * Fuzzes the frame parser and the reply decoders with 100,000+ generated inputs (fixed seeds: a failure names
 * its seed and case number and replays exactly). Properties:
 * - push/flush never throw; every error item is a CardReaderError with a known reason;
 * - every emitted frame has a full preamble, a LEN that matches its size and a valid checksum;
 * - a single flipped bit never turns into a different accepted frame;
 * - valid frames embedded in noise, or split into any chunk sizes (incl. 64-byte HID reports), come out
 *   byte-exact and in order;
 * - the decoders, on any emitted frame, return schema-valid data or throw a CardReaderError — nothing else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdCardData } from '../../../../core/contract/id-card.js';
import { CardReaderError, cardReaderReasons } from '../../../../core/errors/station-error.js';
import { SamFrameParser, type ParsedItem } from '../../../../native/idcard-reader/frame-parser.js';
import { decodeNewestAddress, decodeReadReply, decodeSamId } from '../../../../native/idcard-reader/read-reply.js';
import {
  commands,
  encodeNamedCommand,
  encodeResponse,
  PREAMBLE,
  status,
  xorChecksum,
  type CommandName,
} from '../../../../native/idcard-reader/sam-protocol.js';
import { seededRandom as mulberry32 } from '../../../../native/simulators/seeded-random.js';
import { concat, u16be } from './text-block-builder.js';

const reasons: ReadonlySet<string> = new Set(cardReaderReasons);

class Rng {
  readonly #next: () => number;
  constructor(seed: number) {
    this.#next = mulberry32(seed);
  }
  float(): number {
    return this.#next();
  }
  int(n: number): number {
    return Math.floor(this.#next() * n);
  }
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  /** Four bytes per draw: payload generation dominates the run time otherwise. */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const word = this.#next() * 4294967296;
      out[i] = word & 0xff;
      if (i + 1 < n) out[i + 1] = (word >>> 8) & 0xff;
      if (i + 2 < n) out[i + 2] = (word >>> 16) & 0xff;
      if (i + 3 < n) out[i + 3] = (word >>> 24) & 0xff;
    }
    return out;
  }
  /** Random bytes rich in preamble bytes, so sync hunting, missing-AA handling and LEN checks get exercised. */
  biasedBytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 1) out[i] = this.float() < 0.35 ? this.pick([0xaa, 0xaa, 0x96, 0x69, 0x00, 0x05]) : this.int(256);
    return out;
  }
}

// ----------------------------------------------------------------------------------------------------------
// Generators

const commandNames = Object.keys(commands) as CommandName[];
const statusCodes = Object.values(status);

function textUnit(rng: Rng): number {
  const r = rng.float();
  if (r < 0.45) return 0x4e00 + rng.int(0x5000); // CJK
  if (r < 0.75) return rng.pick([0x30, 0x31, 0x32, 0x39, 0x41, 0x58, 0x59, 0x4a, 0x49]) + (rng.float() < 0.5 ? rng.int(10) : 0);
  if (r < 0.95) return 0x20;
  if (r < 0.97) return 0;
  if (r < 0.985) return rng.int(0x20); // control character
  return 0xd800 + rng.int(0x800); // a surrogate, usually unpaired
}

/** A text block that decodes often but not always: mostly text, a chosen marker, some damage. */
function textBlock(rng: Rng): Uint8Array {
  const block = new Uint8Array(256);
  const fill = rng.float();
  for (let i = 0; i < 256; i += 2) {
    const unit = fill < 0.7 ? textUnit(rng) : fill < 0.85 ? 0x20 : rng.int(0x10000);
    block[i] = unit & 0xff;
    block[i + 1] = unit >> 8;
  }
  const marker = rng.pick([0x20, 0x20, 0x4a, 0x49, 0x59, rng.int(0x10000)]);
  block[248] = marker & 0xff;
  block[249] = marker >> 8;
  return block;
}

interface GeneratedFrame {
  frame: Uint8Array;
  /** The frame answers 30 10 (for the decoder's options). */
  withFingerprint: boolean;
}

function validFrame(rng: Rng): GeneratedFrame {
  const r = rng.float();
  if (r < 0.3) {
    const photoLen = rng.float() < 0.8 ? 1024 : rng.int(1100);
    const data = concat(u16be(256), u16be(photoLen), textBlock(rng), rng.bytes(photoLen));
    return { frame: encodeResponse(0x90, data), withFingerprint: false };
  }
  if (r < 0.5) {
    const fpLen = rng.float() < 0.9 ? rng.pick([0, 512, 1024]) : rng.int(1100);
    const data = concat(u16be(256), u16be(1024), u16be(fpLen), textBlock(rng), rng.bytes(1024 + fpLen));
    return { frame: encodeResponse(0x90, data), withFingerprint: true };
  }
  if (r < 0.65) {
    // Anything at all a reader might send, up to 2400 data bytes.
    return { frame: encodeResponse(rng.int(256), rng.bytes(rng.int(2401)), rng.int(256), rng.int(256)), withFingerprint: rng.float() < 0.5 };
  }
  if (r < 0.8) return { frame: encodeResponse(rng.pick(statusCodes)), withFingerprint: false };
  if (r < 0.87) return { frame: encodeResponse(0x90, rng.bytes(16)), withFingerprint: false };
  if (r < 0.94) {
    const address = new Uint8Array(70);
    for (let i = 0; i < 70; i += 2) {
      const unit = textUnit(rng);
      address[i] = unit & 0xff;
      address[i + 1] = unit >> 8;
    }
    return { frame: encodeResponse(rng.pick([0x90, 0x91]), address), withFingerprint: false };
  }
  return { frame: encodeNamedCommand(rng.pick(commandNames)), withFingerprint: false };
}

type Mutation = 'bitflip' | 'truncate' | 'duplicate' | 'insert' | 'len' | 'delete';
const mutations: readonly Mutation[] = ['bitflip', 'truncate', 'duplicate', 'insert', 'len', 'delete'];

function mutate(rng: Rng, frame: Uint8Array, how: Mutation): Uint8Array {
  switch (how) {
    case 'bitflip': {
      const out = frame.slice();
      const flips = rng.float() < 0.5 ? 1 : rng.range(2, 8);
      for (let i = 0; i < flips; i += 1) out[rng.int(out.length)]! ^= 1 << rng.int(8);
      return out;
    }
    case 'truncate':
      return frame.slice(0, rng.int(frame.length));
    case 'duplicate': {
      if (rng.float() < 0.3) return concat(frame, frame);
      const from = rng.int(frame.length);
      const to = Math.min(frame.length, from + rng.range(1, 64));
      return concat(frame.subarray(0, to), frame.subarray(from, to), frame.subarray(to));
    }
    case 'insert': {
      const at = rng.int(frame.length + 1);
      return concat(frame.subarray(0, at), rng.biasedBytes(rng.range(1, 16)), frame.subarray(at));
    }
    case 'len': {
      const out = frame.slice();
      const len = rng.pick([0, 1, 2, 3, 4097, 0xffff, rng.int(0x10000), ((out[5]! << 8) | out[6]!) + rng.range(-3, 3)]);
      out[5] = (len >> 8) & 0xff;
      out[6] = len & 0xff;
      return out;
    }
    case 'delete': {
      const at = rng.int(frame.length);
      return concat(frame.subarray(0, at), frame.subarray(Math.min(frame.length, at + rng.range(1, 32))));
    }
  }
}

/** Splits `bytes` like a transport would: random read sizes, or 64-byte HID reports zero-padded at the end. */
function chunks(rng: Rng, bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const hid = rng.float() < 0.3;
  for (let i = 0; i < bytes.length; ) {
    const size = hid ? 64 : rng.float() < 0.2 ? 1 : rng.range(1, 600);
    out.push(bytes.subarray(i, i + size));
    i += size;
  }
  return out;
}

/** Noise that never contains the sync pattern AA AA 96 69 (which would legitimately start a frame). */
function noise(rng: Rng, n: number): Uint8Array {
  const out = rng.biasedBytes(n);
  for (let i = 0; i + 3 < out.length; i += 1) {
    if (out[i] === 0xaa && out[i + 1] === 0xaa && out[i + 2] === 0x96 && out[i + 3] === 0x69) out[i + 3] = 0x68;
  }
  return out;
}

// ----------------------------------------------------------------------------------------------------------
// Property checks (plain throws: `expect` in a hot loop costs more than the parser)

function fail(where: string, what: string): never {
  throw new Error(`${where}: ${what}`);
}

function checkDecoder(run: () => unknown, valid: (value: unknown) => boolean, where: string): void {
  let value: unknown;
  try {
    value = run();
  } catch (thrown) {
    if (!(thrown instanceof CardReaderError)) fail(where, `decoder threw ${String(thrown)}`);
    if (!reasons.has(thrown.reason)) fail(where, `decoder error reason ${thrown.reason}`);
    return;
  }
  if (!valid(value)) fail(where, 'decoder returned an invalid value');
}

let decodedCards = 0;

function checkFrame(frame: Uint8Array, where: string): void {
  for (let i = 0; i < PREAMBLE.length; i += 1) if (frame[i] !== PREAMBLE[i]) fail(where, 'frame without full preamble');
  if (7 + ((frame[5]! << 8) | frame[6]!) !== frame.length) fail(where, 'frame LEN disagrees with its size');
  if (xorChecksum(frame) !== frame[frame.length - 1]) fail(where, 'frame with a wrong checksum');
  for (const withFingerprint of [false, true]) {
    checkDecoder(
      () => decodeReadReply(frame, { withFingerprint }),
      (card) => {
        decodedCards += 1;
        return IdCardData.safeParse(card).success;
      },
      `${where} decodeReadReply`,
    );
  }
  checkDecoder(() => decodeSamId(frame), (id) => typeof id === 'object' && id !== null, `${where} decodeSamId`);
  checkDecoder(() => decodeNewestAddress(frame), (a) => a === undefined || typeof a === 'string', `${where} decodeNewestAddress`);
}

function checkItems(items: readonly ParsedItem[], where: string): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (const item of items) {
    if (item.kind === 'frame') {
      checkFrame(item.frame, where);
      frames.push(item.frame);
    } else if (!(item.error instanceof CardReaderError) || !reasons.has(item.error.reason)) {
      fail(where, 'error item is not a CardReaderError with a known reason');
    }
  }
  return frames;
}

/** Feeds `bytes` in transport-like chunks, then flushes as a reply timeout would. Never throws by contract. */
/** Inputs actually pushed through a parser, counted where it happens (the 100,000 target is checked on it). */
let inputsFed = 0;

function run(parser: SamFrameParser, rng: Rng, bytes: Uint8Array, where: string): ParsedItem[] {
  const items: ParsedItem[] = [];
  inputsFed += 1;
  try {
    for (const chunk of chunks(rng, bytes)) items.push(...parser.push(chunk));
    items.push(...parser.flush());
  } catch (thrown) {
    fail(where, `parser threw ${String(thrown)}`);
  }
  return items;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

// ----------------------------------------------------------------------------------------------------------

describe('SAM frame parser and decoders under fuzzing', () => {
  let total = 0;
  // Most decodes end in a thrown CardReaderError; capturing hundreds of thousands of stack traces would be
  // most of the run time. Failures here name their seed and case instead of relying on stacks.
  const stackTraceLimit = Error.stackTraceLimit;
  beforeAll(() => {
    Error.stackTraceLimit = 0;
  });
  afterAll(() => {
    Error.stackTraceLimit = stackTraceLimit;
  });

  it('random byte strings: never throws, only known errors', () => {
    const seed = 0x1d0001;
    const rng = new Rng(seed);
    for (let i = 0; i < 40_000; i += 1) {
      const where = `seed ${seed} case ${i}`;
      const bytes = rng.float() < 0.5 ? rng.bytes(rng.int(300)) : rng.biasedBytes(rng.int(300));
      const parser = new SamFrameParser();
      checkItems(run(parser, rng, bytes, where), where);
      if (parser.pending !== 0) fail(where, 'flush left bytes behind');
    }
    total += 40_000;
  });

  it('mutated valid frames: never throws, single bit errors are caught, the parser recovers after flush', () => {
    const seed = 0x1d0002;
    const rng = new Rng(seed);
    const seen = new Set<string>();
    for (let i = 0; i < 30_000; i += 1) {
      const where = `seed ${seed} case ${i}`;
      const { frame } = validFrame(rng);
      const how = rng.pick(mutations);
      const mutated = mutate(rng, frame, how);
      const parser = new SamFrameParser();
      const items = run(parser, rng, mutated, where);
      const frames = checkItems(items, where);
      for (const item of items) if (item.kind === 'error') seen.add(item.error.reason);
      // XOR catches every single-bit error outside LEN (only the optional first AA may flip without
      // consequence). A flipped LEN bit is different: a shorter LEN checksums a prefix, which passes 1 in 256.
      const flipped = how === 'bitflip' ? singleBitFlipAt(mutated, frame) : -1;
      if (flipped !== -1 && flipped !== 5 && flipped !== 6 && frames.some((f) => !sameBytes(f, frame))) {
        fail(where, 'a single flipped bit produced a different accepted frame');
      }
      // After the reply timeout's flush, the same parser must take the next reply cleanly.
      const next = validFrame(rng).frame;
      const after = checkItems(run(parser, rng, next, `${where} (next)`), `${where} (next)`);
      if (after.length !== 1 || !sameBytes(after[0]!, next)) fail(where, 'next valid frame not recovered after flush');
    }
    for (const reason of ['bad-length', 'bad-checksum', 'truncated']) expect(seen, reason).toContain(reason);
    total += 30_000;
  });

  it('valid frames embedded in noise come out byte-exact and in order', () => {
    const seed = 0x1d0003;
    const rng = new Rng(seed);
    for (let i = 0; i < 20_000; i += 1) {
      const where = `seed ${seed} case ${i}`;
      const frames = Array.from({ length: rng.range(1, 3) }, () => validFrame(rng));
      const parts: Uint8Array[] = [];
      for (const { frame } of frames) {
        parts.push(noise(rng, rng.float() < 0.3 ? 0 : rng.int(120)));
        // Some readers drop the first sync byte (spec §2.4.1); the parser restores it.
        parts.push(rng.float() < 0.1 ? frame.subarray(1) : frame);
      }
      parts.push(noise(rng, rng.int(40)));
      const items = run(new SamFrameParser(), rng, concat(...parts), where);
      const got = checkItems(items, where);
      if (got.length !== frames.length) fail(where, `recovered ${got.length} of ${frames.length} frames`);
      got.forEach((f, k) => {
        if (!sameBytes(f, frames[k]!.frame)) fail(where, `frame ${k} not byte-exact`);
      });
      if (items.some((item) => item.kind === 'error')) fail(where, 'noise without a sync pattern produced an error');
    }
    total += 20_000;
  });

  it('back-to-back frames split into any chunk sizes (incl. 64-byte HID reports) decode as when whole', () => {
    const seed = 0x1d0004;
    const rng = new Rng(seed);
    for (let i = 0; i < 10_000; i += 1) {
      const where = `seed ${seed} case ${i}`;
      const frames = Array.from({ length: rng.range(1, 4) }, () => validFrame(rng));
      // HID readers pad the last report with zeros; the padding is not a frame.
      const padding = new Uint8Array(rng.float() < 0.5 ? 0 : rng.int(64));
      const got = checkItems(run(new SamFrameParser(), rng, concat(...frames.map((f) => f.frame), padding), where), where);
      if (got.length !== frames.length) fail(where, `recovered ${got.length} of ${frames.length} frames`);
      got.forEach((f, k) => {
        const sent = frames[k]!;
        if (!sameBytes(f, sent.frame)) fail(where, `frame ${k} not byte-exact`);
        if (decodeSummary(f, sent.withFingerprint) !== decodeSummary(sent.frame, sent.withFingerprint)) {
          fail(where, `frame ${k} decodes differently after chunking`);
        }
      });
    }
    total += 10_000;
  });

  it('ran at least 100,000 inputs and decoded real cards among them', () => {
    expect(total).toBe(100_000);
    // Counted inside run(): generated inputs plus the follow-up frames of the recovery checks.
    expect(inputsFed).toBeGreaterThanOrEqual(100_000);
    // The generators are meant to reach the success path too, not only rejections.
    expect(decodedCards).toBeGreaterThan(1_000);
  });
});

/** Offset of the one bit in which `a` and `b` differ, or -1 when they differ in no bit or in several. */
function singleBitFlipAt(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return -1;
  let at = -1;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i]! ^ b[i]!;
    if (x === 0) continue;
    if (at !== -1 || (x & (x - 1)) !== 0) return -1;
    at = i;
  }
  return at;
}

function decodeSummary(frame: Uint8Array, withFingerprint: boolean): string {
  try {
    return JSON.stringify(decodeReadReply(frame, { withFingerprint }));
  } catch (thrown) {
    return thrown instanceof CardReaderError ? `error:${thrown.reason}:${thrown.detail}` : 'other';
  }
}
