import { IdCardData } from '../../core/contract/id-card.js';
import { CardReaderError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { HEADER_SIZE, PREAMBLE, status, toHex, toResponse, xorChecksum, type SamResponse } from './sam-protocol.js';
import { decodeTextBlock, decodeUcs2Field } from './text-block.js';

/**
 * Payload decoders for the replies that carry data (spec §5): read (30 01 / 30 10), SAM id (12 FF) and
 * newest appended address (30 03). Input is a frame as the parser emits it; every length is read from the
 * frame and checked against it, so a damaged or hostile reply ends as a CardReaderError, never as an
 * out-of-range read or a half-filled card. Nothing but CardReaderError is thrown.
 */

/** SW1 SW2 SW3 + CHK: the smallest reply. A shorter frame is a command, not a reply. */
const MIN_REPLY_LEN = 4;
const PHOTO_MAX = 1024;
const FINGERPRINT_SIZES: ReadonlySet<number> = new Set([0, 512, 1024]);
const SAM_ID_SIZE = 16;
const ADDRESS_SIZE = 70;

export interface SamId {
  /** The 16 bytes as upper-case hex: the canonical id (renderings differ between SDKs, spec §5.4). */
  raw: string;
  /** The S8 SDK's rendering, e.g. `05.01-20101201-0012345678-0123456789`, for display only. */
  display: string;
}

export interface ReadReplyOptions {
  /** The frame answers 30 10 (three length fields) rather than 30 01 (two). */
  withFingerprint: boolean;
}

function badPayload(detail: string): CardReaderError {
  return new CardReaderError('bad-payload', detail, zhCN.cardReader.badPayload);
}

function hex2(byte: number): string {
  return toHex(Uint8Array.of(byte));
}

/** The reader reported a non-success SW3: message by code, with a generic one naming the code otherwise. */
export function statusError(sw3: number): CardReaderError {
  const code = hex2(sw3 & 0xff);
  const message = zhCN.cardReader.status[sw3] ?? zhCN.cardReader.unknownStatus(code);
  return new CardReaderError('status', `SW3 ${code}`, message, sw3);
}

/**
 * Re-checks the frame envelope. The parser already verified it, but these decoders are public and a frame
 * from elsewhere (a file, a test) must not be trusted for its length.
 */
function replyOf(frame: Uint8Array): SamResponse {
  if (frame.length < HEADER_SIZE + MIN_REPLY_LEN) {
    throw new CardReaderError('unexpected-reply', `${frame.length}-byte frame is not a reply`, zhCN.cardReader.transfer);
  }
  for (let i = 0; i < PREAMBLE.length; i += 1) {
    if (frame[i] !== PREAMBLE[i]) throw new CardReaderError('bad-preamble', 'no preamble', zhCN.cardReader.transfer);
  }
  const len = (frame[5]! << 8) | frame[6]!;
  if (HEADER_SIZE + len !== frame.length) {
    throw new CardReaderError('bad-length', `LEN ${len} in a ${frame.length}-byte frame`, zhCN.cardReader.transfer);
  }
  if (xorChecksum(frame) !== frame[frame.length - 1]) {
    throw new CardReaderError('bad-checksum', `LEN ${len}`, zhCN.cardReader.transfer);
  }
  return toResponse(frame);
}

/** The reply's data when SW3 is the command's success code; otherwise the status error. */
function successData(frame: Uint8Array, success: number): Uint8Array {
  const reply = replyOf(frame);
  if (reply.sw3 !== success) throw statusError(reply.sw3);
  return reply.data;
}

function u16be(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!;
}

function u32le(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');
}

/**
 * Decodes a 30 01 (text + photo) or 30 10 (text + photo + fingerprint) reply into a schema-valid card.
 * The length fields decide where each part lies; they must add up to exactly the data the frame carries.
 */
export function decodeReadReply(frame: Uint8Array, options: ReadReplyOptions): IdCardData {
  const data = successData(frame, status.ok);
  const headerSize = options.withFingerprint ? 6 : 4;
  if (data.length < headerSize) throw badPayload(`${data.length} data bytes, no length header`);
  const textLen = u16be(data, 0);
  const photoLen = u16be(data, 2);
  const fpLen = options.withFingerprint ? u16be(data, 4) : 0;
  if (headerSize + textLen + photoLen + fpLen !== data.length) {
    throw badPayload(`length fields ${textLen}/${photoLen}/${fpLen} disagree with ${data.length} data bytes`);
  }
  if (photoLen > PHOTO_MAX) throw badPayload(`photo length ${photoLen}`);
  if (!FINGERPRINT_SIZES.has(fpLen)) throw badPayload(`fingerprint length ${fpLen}`);

  const photoAt = headerSize + textLen;
  const fpAt = photoAt + photoLen;
  const card: IdCardData = decodeTextBlock(data.subarray(headerSize, photoAt));
  if (photoLen > 0) card.photoWlt = base64(data.subarray(photoAt, fpAt));
  if (fpLen > 0) card.fingerprint = base64(data.subarray(fpAt, fpAt + fpLen));

  // The contract is the last word: a value the schema refuses must not reach the app as a "card".
  const parsed = IdCardData.safeParse(card);
  if (!parsed.success) {
    // Paths only: the values are personal data.
    const where = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw badPayload(`card fails the contract at ${where}`);
  }
  return parsed.data;
}

/** Decodes a 12 FF reply: 16 bytes kept raw, plus the S8 display string (spec §5.4). */
export function decodeSamId(frame: Uint8Array): SamId {
  const data = successData(frame, status.ok);
  if (data.length !== SAM_ID_SIZE) throw badPayload(`SAM id of ${data.length} bytes`);
  // S8: hex(b0).hex(b2)-u32le(b4..7)-pad10(u32le(b8..11))-pad10(u32le(b12..15)); its hex is lower-case.
  const pad10 = (n: number) => String(n).padStart(10, '0');
  const display =
    `${hex2(data[0]!).toLowerCase()}.${hex2(data[2]!).toLowerCase()}` +
    `-${u32le(data, 4)}-${pad10(u32le(data, 8))}-${pad10(u32le(data, 12))}`;
  return { raw: toHex(data), display };
}

/**
 * Decodes a 30 03 reply: the newest appended address, or undefined when the card has none (SW3 91) or the
 * field is all padding.
 */
export function decodeNewestAddress(frame: Uint8Array): string | undefined {
  const reply = replyOf(frame);
  if (reply.sw3 === status.notPresent) return undefined;
  if (reply.sw3 !== status.ok) throw statusError(reply.sw3);
  if (reply.data.length !== ADDRESS_SIZE) throw badPayload(`address of ${reply.data.length} bytes`);
  const address = decodeUcs2Field(reply.data, 'newestAddress');
  return address === '' ? undefined : address;
}
