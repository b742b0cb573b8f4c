import { readFile } from 'node:fs/promises';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { FaceError } from '../../core/errors/face-error.js';
import type { RgbaImage } from '../../renderer/face/rgba.js';

/** JPEG or PNG bytes to RGBA (by signature, not by file name). Greyscale PNGs come out as RGBA too. */
export function decodeImage(bytes: Uint8Array): RgbaImage {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer[0] === 0xff && buffer[1] === 0xd8) {
    // maxMemoryUsageInMB: the largest fixture (1434×2333) is ~13 MB decoded; keep a guard against bombs.
    const img = jpeg.decode(buffer, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 256 });
    return { width: img.width, height: img.height, data: img.data };
  }
  if (buffer.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    const png = PNG.sync.read(buffer);
    return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
  }
  throw new FaceError('image-invalid', 'not a JPEG or PNG');
}

export async function readImage(file: string): Promise<RgbaImage> {
  return decodeImage(await readFile(file));
}

/** The photo encoder for Node (tests, scripts): jpeg-js at a quality in 0–1. */
export function encodeJpegNode(image: RgbaImage, quality: number): Uint8Array {
  const out = jpeg.encode({ width: image.width, height: image.height, data: Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength) }, Math.round(quality * 100));
  return new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.byteLength);
}
