import { FileInvalidError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import type { RgbaImage } from '../face/rgba.js';
import { base64ToBytes } from './base64.js';

/** A photo data URL (the roster's) as RGBA pixels; decoded here, since the CSP allows no fetch of data: URLs. */
export async function decodePhoto(dataUrl: string): Promise<RgbaImage> {
  const match = /^data:([^;,]+);base64,(.*)$/.exec(dataUrl);
  if (!match) throw new Error('not a base64 data URL');
  return decodeImageFile(new Blob([base64ToBytes(match[2]!)], { type: match[1]! }));
}

/** An image file (JPEG/PNG from disk or a scanner) as RGBA pixels; a file that is no image is a typed error. */
export async function decodeImageFile(blob: Blob): Promise<RgbaImage> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch (cause) {
    throw new FileInvalidError(`image does not decode (${cause instanceof Error ? cause.name : 'unknown'})`, zhCN.ocr.errors.imageInvalid);
  }
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2D canvas context');
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return context.getImageData(0, 0, canvas.width, canvas.height);
}
