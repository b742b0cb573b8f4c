/**
 * The R30x / AS60x / ZFM UART packet protocol (spec: shared/specs/fingerprint-scanner.md §2.2).
 * Pure byte logic, no I/O: the driver, the simulator and the CLI all build and read packets through this module.
 *
 *   EF 01 | address (4) | PID (1) | length (2, BE) | payload (length − 2) | checksum (2, BE)
 *   checksum = 16-bit sum of PID, both length bytes and every payload byte
 */

export const HEADER = Uint8Array.of(0xef, 0x01);
/** Bytes before the payload: header (2) + address (4) + PID (1) + length (2). */
export const PREFIX_SIZE = 9;
export const DEFAULT_ADDRESS = 0xffffffff;
export const DEFAULT_PASSWORD = 0;

/** Packet identifiers. */
export const pid = {
  command: 0x01,
  data: 0x02,
  ack: 0x07,
  endData: 0x08,
} as const;
export type PacketKind = keyof typeof pid;

/** Length counts payload + checksum: a packet carries at least one payload byte. */
export const MIN_LENGTH = 3;
/** The largest data packet (size code 3 = 256 bytes) plus checksum; nothing a module sends is larger. */
export const MAX_LENGTH = 256 + 2;

export const instruction = {
  genImg: 0x01,
  img2Tz: 0x02,
  match: 0x03,
  search: 0x04,
  regModel: 0x05,
  store: 0x06,
  loadChar: 0x07,
  upChar: 0x08,
  downChar: 0x09,
  upImage: 0x0a,
  downImage: 0x0b,
  deleteChar: 0x0c,
  empty: 0x0d,
  setSysPara: 0x0e,
  readSysPara: 0x0f,
  setPwd: 0x12,
  vfyPwd: 0x13,
  getRandomCode: 0x14,
  setAddr: 0x15,
  handshake: 0x17,
  highSpeedSearch: 0x1b,
  templateNum: 0x1d,
  readIndexTable: 0x1f,
} as const;
export type InstructionName = keyof typeof instruction;

const instructionNames = new Map<number, InstructionName>(
  (Object.keys(instruction) as InstructionName[]).map((name) => [instruction[name], name]),
);

export function instructionName(code: number): InstructionName | undefined {
  return instructionNames.get(code);
}

/** Confirmation codes (first payload byte of an acknowledge). */
export const confirm = {
  ok: 0x00,
  packetError: 0x01,
  noFinger: 0x02,
  imageFail: 0x03,
  imageMessy: 0x06,
  tooFewFeatures: 0x07,
  noMatch: 0x08,
  notFound: 0x09,
  enrollMismatch: 0x0a,
  badLocation: 0x0b,
  readTemplateError: 0x0c,
  uploadFeatureFail: 0x0d,
  packetResponseFail: 0x0e,
  uploadImageFail: 0x0f,
  deleteFail: 0x10,
  clearFail: 0x11,
  wrongPassword: 0x13,
  invalidImage: 0x15,
  flashError: 0x18,
  invalidRegister: 0x1a,
  addressError: 0x20,
  passwordRequired: 0x21,
} as const;

/** Sensor image geometry of the family (spec §2.2): 256 × 288, 4 bits per pixel, high nibble first. */
export const IMAGE_WIDTH = 256;
export const IMAGE_HEIGHT = 288;
export const IMAGE_BYTES = (IMAGE_WIDTH * IMAGE_HEIGHT) / 2;
/** Data packet payload sizes by the ReadSysPara packet-size code. */
export const packetSizes = [32, 64, 128, 256] as const;

/** A packet whose header, length and checksum the parser verified. */
export interface R30xPacket {
  address: number;
  pid: number;
  payload: Uint8Array;
}

export function checksum(pidByte: number, length: number, payload: Uint8Array): number {
  let sum = pidByte + (length >> 8) + (length & 0xff);
  for (let i = 0; i < payload.length; i += 1) sum += payload[i]!;
  return sum & 0xffff;
}

export function encodePacket(pidByte: number, payload: Uint8Array, address: number = DEFAULT_ADDRESS): Uint8Array {
  const length = payload.length + 2;
  const out = new Uint8Array(PREFIX_SIZE + length);
  out.set(HEADER, 0);
  new DataView(out.buffer).setUint32(2, address >>> 0);
  out[6] = pidByte;
  out[7] = length >> 8;
  out[8] = length & 0xff;
  out.set(payload, PREFIX_SIZE);
  const sum = checksum(pidByte, length, payload);
  out[out.length - 2] = sum >> 8;
  out[out.length - 1] = sum & 0xff;
  return out;
}

export function encodeCommand(code: number, params: readonly number[] | Uint8Array = [], address?: number): Uint8Array {
  return encodePacket(pid.command, Uint8Array.from([code, ...params]), address);
}

export function encodeAck(confirmation: number, data: readonly number[] | Uint8Array = [], address?: number): Uint8Array {
  return encodePacket(pid.ack, Uint8Array.from([confirmation, ...data]), address);
}

/** Splits `bytes` into data packets of `size` payload bytes, the last one marked as end of data. */
export function encodeDataPackets(bytes: Uint8Array, size: number, address?: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length || at === 0; at += size) {
    const end = Math.min(bytes.length, at + size);
    out.push(encodePacket(end >= bytes.length ? pid.endData : pid.data, bytes.subarray(at, end), address));
    if (end >= bytes.length) break;
  }
  return out;
}

export function u32be(value: number): number[] {
  return [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}

/** The 16-byte ReadSysPara result (after the confirmation code). */
export interface SysParams {
  statusRegister: number;
  systemId: number;
  librarySize: number;
  securityLevel: number;
  address: number;
  packetSizeCode: number;
  /** Baud = 9600 × factor. */
  baudFactor: number;
}

export function decodeSysParams(data: Uint8Array): SysParams | undefined {
  if (data.length < 16) return undefined;
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return {
    statusRegister: v.getUint16(0),
    systemId: v.getUint16(2),
    librarySize: v.getUint16(4),
    securityLevel: v.getUint16(6),
    address: v.getUint32(8),
    packetSizeCode: v.getUint16(12),
    baudFactor: v.getUint16(14),
  };
}

export function encodeSysParams(p: SysParams): Uint8Array {
  const out = new Uint8Array(16);
  const v = new DataView(out.buffer);
  v.setUint16(0, p.statusRegister);
  v.setUint16(2, p.systemId);
  v.setUint16(4, p.librarySize);
  v.setUint16(6, p.securityLevel);
  v.setUint32(8, p.address >>> 0);
  v.setUint16(12, p.packetSizeCode);
  v.setUint16(14, p.baudFactor);
  return out;
}

/** 8-bit grey pixels → the module's 4-bit upload form (high nibble first). */
export function packImage4(pixels: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(pixels.length / 2));
  for (let i = 0; i < out.length; i += 1) {
    out[i] = ((pixels[i * 2]! >> 4) << 4) | ((pixels[i * 2 + 1] ?? 0) >> 4);
  }
  return out;
}

/** The module's 4-bit image → 8-bit grey: each nibble × 17 so 0..15 spans 0..255. */
export function unpackImage4(packed: Uint8Array, pixelCount = packed.length * 2): Uint8Array {
  const out = new Uint8Array(pixelCount);
  for (let i = 0; i < pixelCount; i += 1) {
    const byte = packed[i >> 1] ?? 0;
    out[i] = ((i & 1) === 0 ? byte >> 4 : byte & 0x0f) * 17;
  }
  return out;
}

export { fromHex, toHex } from '../transport/hex.js';
