/**
 * The host↔SAM frame protocol of second-generation ID card readers (spec: shared/specs/idcard-reader-protocol.md §2–4).
 * Pure byte logic, no I/O: the driver, the simulator and the CLI all build and read frames through this module.
 */

export const PREAMBLE = Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69);
/** Bytes before the payload: preamble (5) + LEN (2). */
export const HEADER_SIZE = 7;
/** No known reply exceeds 2314 bytes after LEN; anything larger is garbage (spec §2.4). */
export const MAX_LEN = 4096;

/** Host → reader commands as [CMD, PARA] (spec §4). */
export const commands = {
  resetSam: [0x10, 0xff],
  samStatus: [0x11, 0xff],
  readSamId: [0x12, 0xff],
  findCard: [0x20, 0x01],
  selectCard: [0x20, 0x02],
  readTextPhoto: [0x30, 0x01],
  readTextPhotoFingerprint: [0x30, 0x10],
  readNewestAddress: [0x30, 0x03],
} as const satisfies Record<string, readonly [number, number]>;
export type CommandName = keyof typeof commands;

/** SW3 status codes (spec §3). */
export const status = {
  ok: 0x90,
  findOk: 0x9f,
  notPresent: 0x91,
  checksumError: 0x10,
  lengthError: 0x11,
  commandError: 0x21,
  notPermitted: 0x23,
  unrecognised: 0x24,
  cardAuthFailed: 0x31,
  samAuthFailed: 0x32,
  verifyFailed: 0x33,
  wrongCard: 0x40,
  readFailed: 0x41,
  randomFailed: 0x47,
  samSelfTestFailed: 0x60,
  samNotAuthorised: 0x66,
  findFailed: 0x80,
  selectFailed: 0x81,
} as const;

/** XOR of every byte from LEN's high byte (offset 5) up to, not including, the checksum byte. */
export function xorChecksum(frame: Uint8Array, start = 5, end = frame.length - 1): number {
  let x = 0;
  for (let i = start; i < end; i += 1) x ^= frame[i]!;
  return x;
}

function frameWith(body: Uint8Array): Uint8Array {
  // body = everything after LEN except CHK
  const len = body.length + 1;
  const frame = new Uint8Array(HEADER_SIZE + len);
  frame.set(PREAMBLE, 0);
  frame[5] = len >> 8;
  frame[6] = len & 0xff;
  frame.set(body, HEADER_SIZE);
  frame[frame.length - 1] = xorChecksum(frame);
  return frame;
}

/** A complete host → reader frame. */
export function encodeCommand(cmd: number, para: number, data: Uint8Array = new Uint8Array()): Uint8Array {
  const body = new Uint8Array(2 + data.length);
  body[0] = cmd;
  body[1] = para;
  body.set(data, 2);
  return frameWith(body);
}

export function encodeNamedCommand(name: CommandName): Uint8Array {
  const [cmd, para] = commands[name];
  return encodeCommand(cmd, para);
}

/** A complete reader → host frame (used by the simulator and tests). */
export function encodeResponse(sw3: number, data: Uint8Array = new Uint8Array(), sw1 = 0, sw2 = 0): Uint8Array {
  const body = new Uint8Array(3 + data.length);
  body[0] = sw1;
  body[1] = sw2;
  body[2] = sw3;
  body.set(data, 3);
  return frameWith(body);
}

/** A reader → host frame whose preamble, length and checksum were already verified by the parser. */
export interface SamResponse {
  sw1: number;
  sw2: number;
  sw3: number;
  data: Uint8Array;
}

/** A host → reader frame as the simulator receives it. */
export interface SamCommand {
  cmd: number;
  para: number;
  data: Uint8Array;
}

/** Splits a verified frame (from the parser) into response fields. */
export function toResponse(frame: Uint8Array): SamResponse {
  return { sw1: frame[7]!, sw2: frame[8]!, sw3: frame[9]!, data: frame.subarray(10, frame.length - 1) };
}

/** Splits a verified frame into command fields. */
export function toCommand(frame: Uint8Array): SamCommand {
  return { cmd: frame[7]!, para: frame[8]!, data: frame.subarray(9, frame.length - 1) };
}

export { fromHex, toHex } from '../transport/hex.js';
