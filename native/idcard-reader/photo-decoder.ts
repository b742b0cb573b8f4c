import { CardReaderError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';

/**
 * Turns the chip's 1024-byte WLT photo into a bitmap. No open decoder exists (spec §7): a site plugs in
 * the reader vendor's library (Windows WltRS.dll and the like) by implementing this interface. Without
 * one, the station keeps the raw bytes and uses the roster photo for the face check.
 */
export interface WltPhotoDecoder {
  readonly name: string;
  /** A 24-bit BMP of 102 × 126 pixels (38 862 bytes) for the given 1024 WLT bytes. */
  decode(wlt: Uint8Array): Promise<Uint8Array>;
}

export const WLT_SIZE = 1024;
export const DECODED_BMP_SIZE = 38_862;

/** Checks a vendor library's output before it is shown: right size, BMP signature, 102 × 126, 24-bit. */
export function validateDecodedBmp(bmp: Uint8Array): Uint8Array {
  const view = new DataView(bmp.buffer, bmp.byteOffset, bmp.byteLength);
  const ok =
    bmp.length === DECODED_BMP_SIZE &&
    bmp[0] === 0x42 &&
    bmp[1] === 0x4d &&
    view.getInt32(18, true) === 102 &&
    Math.abs(view.getInt32(22, true)) === 126 &&
    view.getUint16(28, true) === 24;
  if (!ok) throw new CardReaderError('bad-payload', 'photo decoder returned an unexpected bitmap', zhCN.cardReader.photoDecodeFailed);
  return bmp;
}

/** A decode takes milliseconds; a library that hangs must not stall the reader behind it. */
export const DECODE_TIMEOUT_MS = 1500;

/** Decodes with the plugged-in library, or gives up; never lets a vendor library break or stall a read. */
export async function decodeChipPhoto(
  decoder: WltPhotoDecoder | undefined,
  wlt: Uint8Array,
  timeoutMs = DECODE_TIMEOUT_MS,
): Promise<string | undefined> {
  if (!decoder || wlt.length !== WLT_SIZE) return undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  try {
    const bmp = await Promise.race([decoder.decode(wlt), timeout]);
    if (!bmp) return undefined;
    return `data:image/bmp;base64,${Buffer.from(validateDecodedBmp(bmp)).toString('base64')}`;
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
