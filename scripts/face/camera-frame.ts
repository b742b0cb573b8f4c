import { borderMean, createRgba, resampleRegion, type RgbaImage } from '../../renderer/face/rgba.js';

/**
 * A picture placed in a camera-sized frame (default 640×480, the usual webcam mode), scaled so that it fills
 * `fill` of the frame height: what a candidate in front of the station camera roughly looks like to the engine.
 */
export function toCameraFrame(image: RgbaImage, width = 640, height = 480, fill = 0.9): RgbaImage {
  const scale = (height * fill) / image.height;
  const w = Math.min(width, Math.round(image.width * scale));
  const h = Math.round(image.height * scale);
  const placed = resampleRegion(image, { x: 0, y: 0, width: image.width, height: image.height }, w, h);
  const frame = createRgba(width, height, borderMean(image));
  const ox = Math.floor((width - w) / 2);
  const oy = Math.floor((height - h) / 2);
  for (let y = 0; y < h; y++) (frame.data as Uint8ClampedArray).set(placed.data.subarray(y * w * 4, (y + 1) * w * 4), ((y + oy) * width + ox) * 4);
  return frame;
}
