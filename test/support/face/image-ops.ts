import { createRgba, resampleRegion, type Box, type RgbaImage } from '../../../renderer/face/rgba.js';

/**
 * Derivations of fixture pictures for the photo-quality tests, made in memory per run (never written to disk,
 * never committed).
 */
export function mapPixels(image: RgbaImage, f: (v: number) => number): RgbaImage {
  const data = new Uint8ClampedArray(image.data.length);
  for (let i = 0; i < data.length; i++) data[i] = (i & 3) === 3 ? 255 : f(image.data[i] ?? 0);
  return { width: image.width, height: image.height, data };
}

export const darken = (image: RgbaImage, factor: number): RgbaImage => mapPixels(image, (v) => v * factor);
export const flatten = (image: RgbaImage, factor: number): RgbaImage => mapPixels(image, (v) => 128 + (v - 128) * factor);

/** Separable box blur, `radius` px, applied `passes` times (three passes approximate a Gaussian). */
export function boxBlur(image: RgbaImage, radius: number, passes = 3): RgbaImage {
  let src = new Float32Array(image.data);
  const { width: w, height: h } = image;
  for (let p = 0; p < passes; p++) {
    for (const horizontal of [true, false]) {
      const dst = new Float32Array(src.length);
      const [outer, inner] = horizontal ? [h, w] : [w, h];
      for (let o = 0; o < outer; o++) {
        for (let c = 0; c < 3; c++) {
          for (let i = 0; i < inner; i++) {
            let sum = 0;
            let n = 0;
            for (let k = -radius; k <= radius; k++) {
              const j = Math.min(inner - 1, Math.max(0, i + k));
              const idx = horizontal ? (o * w + j) * 4 + c : (j * w + o) * 4 + c;
              sum += src[idx] ?? 0;
              n++;
            }
            dst[(horizontal ? o * w + i : i * w + o) * 4 + c] = sum / n;
          }
        }
      }
      for (let i = 3; i < dst.length; i += 4) dst[i] = 255;
      src = dst;
    }
  }
  return { width: w, height: h, data: Uint8ClampedArray.from(src) };
}

/** Two copies side by side on one canvas (two people in the frame). */
export function sideBySide(a: RgbaImage, b: RgbaImage = a): RgbaImage {
  const height = Math.max(a.height, b.height);
  const out = createRgba(a.width + b.width, height, [255, 255, 255]);
  const put = (img: RgbaImage, ox: number): void => {
    for (let y = 0; y < img.height; y++) (out.data as Uint8ClampedArray).set(img.data.subarray(y * img.width * 4, (y + 1) * img.width * 4), (y * out.width + ox) * 4);
  };
  put(a, 0);
  put(b, a.width);
  return out;
}

/** The picture moved by (dx, dy) on a same-size canvas; the uncovered part is filled with `fill`. */
export function shift(image: RgbaImage, dx: number, dy: number, fill: readonly [number, number, number] = [128, 128, 128]): RgbaImage {
  return resampleRegion(image, { x: -dx, y: -dy, width: image.width, height: image.height }, image.width, image.height, fill);
}

export function scaleImage(image: RgbaImage, factor: number): RgbaImage {
  return resampleRegion(image, { x: 0, y: 0, width: image.width, height: image.height }, Math.round(image.width * factor), Math.round(image.height * factor));
}

/**
 * Everything outside an ellipse replaced by a plain backdrop: a stand-in for a candidate in front of the
 * station's backdrop cloth, made from a fixture whose own background is cluttered.
 */
export function plainBackdrop(image: RgbaImage, ellipse: Box, colour: readonly [number, number, number] = [200, 220, 240]): RgbaImage {
  const data = new Uint8ClampedArray(image.data);
  const cx = ellipse.x + ellipse.width / 2;
  const cy = ellipse.y + ellipse.height / 2;
  const rx = ellipse.width / 2;
  const ry = ellipse.height / 2;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const inside = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
      // Everything below the ellipse's centre line stays (neck, shoulders), as it would in front of a backdrop.
      if (inside || y > cy + ry * 0.6) continue;
      const i = (y * image.width + x) * 4;
      data[i] = colour[0];
      data[i + 1] = colour[1];
      data[i + 2] = colour[2];
    }
  }
  return { width: image.width, height: image.height, data };
}
