/**
 * Every entry of the spec's SAM vectors is checked, and every key of every `expect` object has a check: a key
 * without one fails the test, so a new vector field cannot be silently ignored.
 *
 * PRIVACY: the vector texts are test-only. Assertions here compare values without printing them (failures
 * name the vector and key, never the value), and test names carry no vector content.
 * IDCARD_VECTORS_DIR may point at another vector set with the same format (e.g. the held-out one).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IdCardData } from '../../../../core/contract/id-card.js';
import type { IdCardText } from '../../../../native/idcard-reader/text-block.js';
import { SamFrameParser, type ParsedItem } from '../../../../native/idcard-reader/frame-parser.js';
import { decodeReadReply } from '../../../../native/idcard-reader/read-reply.js';
import {
  commands,
  encodeNamedCommand,
  fromHex,
  toCommand,
  toHex,
  toResponse,
  xorChecksum,
  type CommandName,
} from '../../../../native/idcard-reader/sam-protocol.js';
import { decodeTextBlock } from '../../../../native/idcard-reader/text-block.js';

const vectorsDir =
  process.env.IDCARD_VECTORS_DIR ?? fileURLToPath(new URL('../../../../../shared/specs/vectors/', import.meta.url));

interface Vector {
  id: string;
  kind: string;
  hex?: string;
  hexFile?: string;
  expect?: Record<string, unknown>;
}

const file = JSON.parse(readFileSync(`${vectorsDir}/idcard-sam-vectors.json`, 'utf8')) as { vectors: Vector[] };

/** Equality that never prints the values (they may be personal data). */
function same(actual: unknown, expected: unknown, label: string): void {
  if (!Object.is(actual, expected) && JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${label}: decoded value differs from the vector`);
  }
}

function bytesOf(v: Vector): Uint8Array {
  if (v.hex !== undefined) return fromHex(v.hex);
  if (v.hexFile !== undefined) return fromHex(readFileSync(`${vectorsDir}/${v.hexFile}`, 'utf8'));
  throw new Error(`${v.id}: no hex and no hexFile`);
}

/** Feeds `bytes` to a fresh parser in `chunk`-byte pieces; returns the items and the bytes still pending. */
function parse(bytes: Uint8Array, chunk: number): { items: ParsedItem[]; pending: number } {
  const parser = new SamFrameParser();
  const items: ParsedItem[] = [];
  for (let i = 0; i < bytes.length; i += chunk) items.push(...parser.push(bytes.subarray(i, i + chunk)));
  return { items, pending: parser.pending };
}

function onlyFrame(items: ParsedItem[], label: string): Uint8Array {
  const frames = items.flatMap((item) => (item.kind === 'frame' ? [item.frame] : []));
  same(frames.length, 1, `${label}: frame count`);
  same(items.length, 1, `${label}: parser items (errors besides the frame)`);
  return frames[0]!;
}

function commandNameOf(frame: Uint8Array): CommandName | undefined {
  const { cmd, para } = toCommand(frame);
  return (Object.keys(commands) as CommandName[]).find((n) => commands[n][0] === cmd && commands[n][1] === para);
}

/** The card-type marker character → the card type the decoder must report. */
const markerTypes: Record<string, IdCardText['cardType']> = {
  ' ': 'resident',
  J: 'hmt-residence',
  I: 'foreign-2017',
  Y: 'foreign-2023',
};

/** Checks every key of a `text` expectation against the decoded card and the raw block. */
function checkText(expected: Record<string, unknown>, card: IdCardText, block: Uint8Array, label: string): void {
  for (const [key, value] of Object.entries(expected)) {
    const where = `${label}: text.${key}`;
    if (key === 'cardTypeMarkerAt248') {
      const marker = String.fromCharCode(block[248]! | (block[249]! << 8));
      same(marker, value, where);
      same(card.cardType, markerTypes[marker] ?? 'unknown', `${where} (card type)`);
      continue;
    }
    const textKeys = [
      'name',
      'englishName',
      'sexCode',
      'nationCode',
      'birthDate',
      'address',
      'idNumber',
      'issuingAuthority',
      'validFrom',
      'validTo',
      'travelPermitNumber',
      'issueCount',
      'nationality',
      'cardVersion',
      'authorityCode',
      'renewalCount',
    ] as const;
    const known = textKeys.find((k) => k === key);
    if (known === undefined) throw new Error(`${where}: no check for this key`);
    same(card[known], value, where);
  }
}

/** Checks of a read-reply stream; each one knows what its key means. */
interface StreamContext {
  file: Uint8Array;
  frame: Uint8Array;
  pending: number;
  card: IdCardData;
  label: string;
}

const hex2 = (n: number) => toHex(Uint8Array.of(n));
const u16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;

const streamChecks: Record<string, (value: unknown, c: StreamContext) => void> = {
  fileBytes: (v, c) => same(c.file.length, v, `${c.label}: fileBytes`),
  frameBytes: (v, c) => same(c.frame.length, v, `${c.label}: frameBytes`),
  declaredLen: (v, c) => same(u16(c.frame, 5), v, `${c.label}: declaredLen`),
  sw1sw2sw3: (v, c) => same(toHex(c.frame.subarray(7, 10)), v, `${c.label}: sw1sw2sw3`),
  textLen: (v, c) => same(u16(c.frame, 10), v, `${c.label}: textLen`),
  photoLen: (v, c) => {
    same(u16(c.frame, 12), v, `${c.label}: photoLen`);
    same(Buffer.from(c.card.photoWlt ?? '', 'base64').length, v, `${c.label}: decoded photo size`);
  },
  checksumStored: (v, c) => same(hex2(c.frame[c.frame.length - 1]!), v, `${c.label}: checksumStored`),
  checksumComputed: (v, c) => same(hex2(xorChecksum(c.frame)), v, `${c.label}: checksumComputed`),
  checksumValid: (v, c) => same(xorChecksum(c.frame) === c.frame[c.frame.length - 1], v, `${c.label}: checksumValid`),
  trailingBytesAfterFrame: (v, c) => same(c.pending, v, `${c.label}: trailingBytesAfterFrame`),
  photoFirst4: (v, c) => same(toHex(Buffer.from(c.card.photoWlt ?? '', 'base64').subarray(0, 4)), v, `${c.label}: photoFirst4`),
  photoLast4: (v, c) => same(toHex(Buffer.from(c.card.photoWlt ?? '', 'base64').subarray(-4)), v, `${c.label}: photoLast4`),
  text: (v, c) => {
    const textLen = u16(c.frame, 10);
    checkText(v as Record<string, unknown>, c.card, c.frame.subarray(14, 14 + textLen), c.label);
  },
};

const responseChecks: Record<string, (value: unknown, frame: Uint8Array, label: string) => void> = {
  sw1sw2sw3: (v, frame, label) => {
    const r = toResponse(frame);
    same(toHex(Uint8Array.of(r.sw1, r.sw2, r.sw3)), v, `${label}: sw1sw2sw3`);
  },
  checksumValid: (v, frame, label) => same(xorChecksum(frame) === frame[frame.length - 1], v, `${label}: checksumValid`),
};

const textBlockChecks: Record<string, (value: unknown, block: Uint8Array, label: string) => void> = {
  bytes: (v, block, label) => same(block.length, v, `${label}: bytes`),
  text: (v, block, label) => checkText(v as Record<string, unknown>, decodeTextBlock(block), block, label),
};

function unknownKeys(expectObj: Record<string, unknown> | undefined, known: object): string[] {
  return Object.keys(expectObj ?? {}).filter((key) => !Object.hasOwn(known, key));
}

describe('SAM vectors', () => {
  it('has vectors of every kind', () => {
    const kinds = new Set(file.vectors.map((v) => v.kind));
    for (const kind of ['command', 'response', 'response-stream', 'text-block']) expect(kinds.has(kind), kind).toBe(true);
    expect(new Set(file.vectors.map((v) => v.id)).size).toBe(file.vectors.length);
  });

  for (const v of file.vectors) {
    it(`${v.kind} ${v.id}`, () => {
      const bytes = bytesOf(v);
      switch (v.kind) {
        case 'command': {
          expect(unknownKeys(v.expect, {}), 'expect keys without a check').toEqual([]);
          const frame = onlyFrame(parse(bytes, bytes.length).items, v.id);
          const name = commandNameOf(frame);
          expect(name, `${v.id}: a named command`).toBeDefined();
          expect(toHex(encodeNamedCommand(name!))).toBe(toHex(bytes));
          expect(xorChecksum(bytes)).toBe(bytes[bytes.length - 1]);
          break;
        }
        case 'response': {
          expect(unknownKeys(v.expect, responseChecks), 'expect keys without a check').toEqual([]);
          for (const chunk of [bytes.length, 1]) {
            const frame = onlyFrame(parse(bytes, chunk).items, v.id);
            expect(toHex(frame)).toBe(toHex(bytes));
            // LEN counts everything after it; the data lies between SW3 and CHK.
            expect(7 + u16(frame, 5)).toBe(frame.length);
            expect(toHex(toResponse(frame).data)).toBe(toHex(bytes.subarray(10, -1)));
            for (const [key, value] of Object.entries(v.expect ?? {})) responseChecks[key]!(value, frame, v.id);
          }
          break;
        }
        case 'response-stream': {
          expect(unknownKeys(v.expect, streamChecks), 'expect keys without a check').toEqual([]);
          for (const chunk of [bytes.length, 64, 1]) {
            const label = `${v.id} (${chunk}-byte chunks)`;
            const { items, pending } = parse(bytes, chunk);
            const frame = onlyFrame(items, label);
            same(toHex(frame), toHex(bytes.subarray(0, frame.length)), `${label}: frame bytes`);
            const card = decodeReadReply(frame, { withFingerprint: false });
            same(IdCardData.safeParse(card).success, true, `${label}: schema`);
            for (const [key, value] of Object.entries(v.expect ?? {})) {
              streamChecks[key]!(value, { file: bytes, frame, pending, card, label });
            }
          }
          break;
        }
        case 'text-block': {
          expect(unknownKeys(v.expect, textBlockChecks), 'expect keys without a check').toEqual([]);
          same(IdCardData.safeParse(decodeTextBlock(bytes)).success, true, `${v.id}: schema`);
          for (const [key, value] of Object.entries(v.expect ?? {})) textBlockChecks[key]!(value, bytes, v.id);
          break;
        }
        default:
          throw new Error(`${v.id}: no checks for vector kind ${v.kind}`);
      }
    });
  }
});
