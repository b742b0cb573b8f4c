/** The `idcard:decode` decoder as a tool the CLI shell runs; usage and output format: scripts/idcard-decode.ts. */
import type { IdCardData } from '../../core/contract/id-card.js';
import { CardReaderError, type StationError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { SamFrameParser } from '../../native/idcard-reader/frame-parser.js';
import { decodeNewestAddress, decodeReadReply, decodeSamId, statusError } from '../../native/idcard-reader/read-reply.js';
import { commands, status, toCommand, toHex, toResponse, type CommandName } from '../../native/idcard-reader/sam-protocol.js';
import { decodeTextBlock, TEXT_BLOCK_SIZE } from '../../native/idcard-reader/text-block.js';
import type { HexDecoderTool } from './hex-decode-cli.js';

type Json = Record<string, unknown>;

const usage = 'usage: npm run -s idcard:decode -- <file.hex>';

function hex2(byte: number): string {
  return toHex(Uint8Array.of(byte));
}

function commandName(cmd: number, para: number): CommandName | undefined {
  const names = Object.keys(commands) as CommandName[];
  return names.find((name) => commands[name][0] === cmd && commands[name][1] === para);
}

/** Splits photo and fingerprint out of the card so the card part stays readable. */
function cardJson(card: IdCardData): Json {
  const { photoWlt, fingerprint, ...text } = card;
  const out: Json = { card: text };
  if (photoWlt !== undefined) {
    const bytes = Buffer.from(photoWlt, 'base64');
    // The WLT signature is informative only (spec §7: a driver must not rely on it).
    out.photo = { bytes: bytes.length, wltSignature: bytes.subarray(0, 3).toString('latin1') === 'WLf', base64: photoWlt };
  } else {
    out.photo = { bytes: 0 };
  }
  out.fingerprint =
    fingerprint === undefined ? { bytes: 0 } : { bytes: Buffer.from(fingerprint, 'base64').length, base64: fingerprint };
  return out;
}

/** A command frame (host → reader): LEN 3, or the one known command with a data byte (61 FF xx). */
function isCommandFrame(frame: Uint8Array): boolean {
  const len = frame.length - 7;
  return len === 3 || (len === 4 && frame[7] === 0x61 && frame[8] === 0xff);
}

/**
 * Guesses which command a reply answers from its SW3 and data length (a reply does not name its command),
 * then decodes it with that command's decoder. Throws CardReaderError.
 */
function decodeFrame(frame: Uint8Array): Json {
  const envelope = { bytes: frame.length, len: frame.length - 7, checksum: hex2(frame[frame.length - 1]!) };
  if (isCommandFrame(frame)) {
    const c = toCommand(frame);
    return {
      frame: {
        kind: 'command',
        command: commandName(c.cmd, c.para) ?? 'unknown',
        cmd: `${hex2(c.cmd)} ${hex2(c.para)}`,
        ...envelope,
        ...(c.data.length > 0 ? { data: toHex(c.data) } : {}),
      },
    };
  }
  const r = toResponse(frame);
  const describe = (command: string, cmd: string): Json => ({
    kind: 'response',
    command,
    cmd,
    ...envelope,
    sw1: hex2(r.sw1),
    sw2: hex2(r.sw2),
    sw3: hex2(r.sw3),
  });
  const u16 = (at: number) => ((r.data[at] ?? 0) << 8) | (r.data[at + 1] ?? 0);
  const n = r.data.length;

  if (r.sw3 === status.findOk) return { frame: describe('findCard', '20 01'), data: toHex(r.data) };
  if (r.sw3 === status.notPresent && n === 0) {
    // 91 = "not on the card": the normal answer to 30 03 on a card without appended addresses.
    return { frame: describe('readNewestAddress', '30 03'), newestAddress: null };
  }
  if (r.sw3 !== status.ok) throw statusError(r.sw3);
  if (n === 0) return { frame: describe('resetSam|samStatus|setSpeed', '10 FF|11 FF|60 xx') };
  if (n === 8) return { frame: describe('selectCard', '20 02'), data: toHex(r.data) };
  if (n === 16) return { frame: describe('readSamId', '12 FF'), samId: decodeSamId(frame) };
  if (n === 70) return { frame: describe('readNewestAddress', '30 03'), newestAddress: decodeNewestAddress(frame) ?? null };
  // At most one of the two read layouts can add up: they differ by a 2-byte length field.
  if (n >= 4 && 4 + u16(0) + u16(2) === n) {
    return { frame: describe('readTextPhoto', '30 01'), ...cardJson(decodeReadReply(frame, { withFingerprint: false })) };
  }
  if (n >= 6 && 6 + u16(0) + u16(2) + u16(4) === n) {
    return {
      frame: describe('readTextPhotoFingerprint', '30 10'),
      ...cardJson(decodeReadReply(frame, { withFingerprint: true })),
    };
  }
  throw new CardReaderError('unexpected-reply', `no known reply carries ${n} data bytes`, zhCN.cardReader.badPayload);
}

function decodeBytes(bytes: Uint8Array): Json {
  const parser = new SamFrameParser();
  const items = [...parser.push(bytes)];
  const trailing = parser.pending;
  items.push(...parser.flush());
  const frames = items.flatMap((item) => (item.kind === 'frame' ? [item.frame] : []));
  const errors = items.flatMap((item) => (item.kind === 'error' ? [item.error] : []));

  if (frames.length === 0) {
    if (errors.length === 0 && bytes.length === TEXT_BLOCK_SIZE) {
      return { input: { kind: 'text-block', bytes: bytes.length }, card: decodeTextBlock(bytes) };
    }
    throw errors[0] ?? new CardReaderError('bad-preamble', 'no frame and not a 256-byte text block', zhCN.cardReader.badPayload);
  }
  const input = {
    kind: 'frames',
    bytes: bytes.length,
    frames: frames.length,
    strayBytes: parser.discarded + trailing,
    ...(errors.length > 0 ? { parserErrors: errors.map((e) => ({ reason: e.reason, detail: e.detail })) } : {}),
  };
  const decoded = frames.map(decodeFrame);
  return decoded.length === 1 ? { input, ...decoded[0] } : { input, frames: decoded };
}

function errorJson(error: StationError): Json {
  const reason = error instanceof CardReaderError ? error.reason : 'not-hex';
  const sw3 = error instanceof CardReaderError && error.sw3 !== undefined ? { sw3: hex2(error.sw3) } : {};
  return { error: { code: error.code, reason, message: error.userMessage, detail: error.detail, ...sw3 } };
}

export const idcardDecoder: HexDecoderTool = { usage, decode: decodeBytes, errorJson };
