import { FaceError } from '../../core/errors/face-error.js';
import type { RgbaImage } from '../face/rgba.js';
import type { JpegEncoder } from './standard-photo.js';

/** The browser's JPEG encoder (OffscreenCanvas): native speed, no encoder library in the renderer bundle. */
export const encodeJpegCanvas: JpegEncoder = async (image: RgbaImage, quality: number) => {
  const canvas = new OffscreenCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new FaceError('backend-unavailable', 'no 2D canvas context');
  // A copy: ImageData needs a plain ArrayBuffer, and the source may be a view on a shared or larger buffer.
  const pixels = new Uint8ClampedArray(image.data.byteLength);
  pixels.set(image.data);
  ctx.putImageData(new ImageData(pixels, image.width, image.height), 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality });
  return new Uint8Array(await blob.arrayBuffer());
};
