import { resampleRegion, type Box, type RgbaImage } from '../../../renderer/face/rgba.js';
import { decodeImage, encodeJpegNode } from '../decode-image.js';

/** The calibration's chip stand-in (scripts/calibrate-face.ts chipReference), repeated so the lab needs no import of that script. */
export const CHIP = { width: 102, height: 126, quality: 0.4 };
export function chipReference(image: RgbaImage, face: Box): RgbaImage {
  const width = face.width / (207 / 358 / 1.15);
  const height = (width * CHIP.height) / CHIP.width;
  const cx = face.x + face.width / 2;
  const cy = face.y + face.height * 0.45;
  const region = { x: cx - width / 2, y: cy - height * 0.48, width, height };
  const small = resampleRegion(image, region, CHIP.width, CHIP.height);
  return decodeImage(encodeJpegNode(small, CHIP.quality));
}
