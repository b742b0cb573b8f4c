/**
 * The one picture format of the face engine: 8-bit RGBA, row-major, no padding between rows. Browser ImageData
 * has this shape, and Node decoders (jpeg-js, pngjs) produce it, so the engine runs the same code in both.
 */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array | Uint8ClampedArray;
}

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

export function isValidRgba(image: RgbaImage): boolean {
  return (
    Number.isInteger(image.width) &&
    Number.isInteger(image.height) &&
    image.width > 0 &&
    image.height > 0 &&
    image.data.length === image.width * image.height * 4
  );
}

export function createRgba(width: number, height: number, fill: readonly [number, number, number] = [0, 0, 0]): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < data.length; i += 4) {
    data[i] = fill[0];
    data[i + 1] = fill[1];
    data[i + 2] = fill[2];
    data[i + 3] = 255;
  }
  return { width, height, data };
}

/** RGB planes interleaved, as the detector's input tensor wants them (alpha dropped). */
export function toRgbInt32(image: RgbaImage): Int32Array {
  const { data } = image;
  const out = new Int32Array(image.width * image.height * 3);
  for (let i = 0, j = 0; i < data.length; i += 4, j += 3) {
    out[j] = data[i] ?? 0;
    out[j + 1] = data[i + 1] ?? 0;
    out[j + 2] = data[i + 2] ?? 0;
  }
  return out;
}

/** Rec. 601 luma per pixel, as float (0–255). */
export function toLuma(image: RgbaImage): Float32Array {
  const { data } = image;
  const out = new Float32Array(image.width * image.height);
  for (let i = 0, j = 0; j < out.length; i += 4, j++) {
    out[j] = 0.299 * (data[i] ?? 0) + 0.587 * (data[i + 1] ?? 0) + 0.114 * (data[i + 2] ?? 0);
  }
  return out;
}

/** Mean colour of the outermost pixel ring: a neutral fill for padding that adds no edges of its own. */
export function borderMean(image: RgbaImage): [number, number, number] {
  const sum = [0, 0, 0];
  let n = 0;
  const add = (x: number, y: number): void => {
    const i = (y * image.width + x) * 4;
    sum[0]! += image.data[i] ?? 0;
    sum[1]! += image.data[i + 1] ?? 0;
    sum[2]! += image.data[i + 2] ?? 0;
    n++;
  };
  for (let x = 0; x < image.width; x++) {
    add(x, 0);
    add(x, image.height - 1);
  }
  for (let y = 1; y < image.height - 1; y++) {
    add(0, y);
    add(image.width - 1, y);
  }
  return [Math.round(sum[0]! / n), Math.round(sum[1]! / n), Math.round(sum[2]! / n)];
}

/**
 * The image centred on a larger canvas (each side grows by `factor` − 1 times the size, split evenly). The
 * detector misses tightly cropped faces (chip photos, roster crops): it was trained on faces with context.
 */
export function padImage(image: RgbaImage, factor: number, fill: readonly [number, number, number] = borderMean(image)): { image: RgbaImage; offset: Point } {
  const width = Math.round(image.width * factor);
  const height = Math.round(image.height * factor);
  const out = createRgba(width, height, fill);
  const ox = Math.floor((width - image.width) / 2);
  const oy = Math.floor((height - image.height) / 2);
  for (let y = 0; y < image.height; y++) {
    const src = image.data.subarray(y * image.width * 4, (y + 1) * image.width * 4);
    (out.data as Uint8ClampedArray).set(src, ((y + oy) * width + ox) * 4);
  }
  return { image: out, offset: { x: ox, y: oy } };
}

/**
 * Bilinear sample of an axis-aligned source rectangle into a new image of the given size. Source pixels outside
 * the picture take `fill`, so a crop that runs past the edge is visible as such rather than smeared.
 */
export function resampleRegion(
  image: RgbaImage,
  region: Box,
  width: number,
  height: number,
  fill: readonly [number, number, number] = [255, 255, 255],
): RgbaImage {
  const out = new Uint8ClampedArray(width * height * 4);
  const sx = region.width / width;
  const sy = region.height / height;
  // When shrinking a lot, bilinear alone aliases; average a small grid of taps per output pixel.
  const taps = Math.max(1, Math.min(4, Math.ceil(Math.max(sx, sy))));
  const { data, width: w, height: h } = image;
  const px = (x: number, y: number, c: number): number => {
    if (x < 0 || y < 0 || x >= w || y >= h) return fill[c] ?? 0;
    return data[(y * w + x) * 4 + c] ?? 0;
  };
  for (let oy = 0; oy < height; oy++) {
    for (let ox = 0; ox < width; ox++) {
      const acc = [0, 0, 0];
      for (let ty = 0; ty < taps; ty++) {
        for (let tx = 0; tx < taps; tx++) {
          const fx = region.x + (ox + (tx + 0.5) / taps) * sx - 0.5;
          const fy = region.y + (oy + (ty + 0.5) / taps) * sy - 0.5;
          const x0 = Math.floor(fx);
          const y0 = Math.floor(fy);
          const ax = fx - x0;
          const ay = fy - y0;
          for (let c = 0; c < 3; c++) {
            const top = px(x0, y0, c) * (1 - ax) + px(x0 + 1, y0, c) * ax;
            const bottom = px(x0, y0 + 1, c) * (1 - ax) + px(x0 + 1, y0 + 1, c) * ax;
            acc[c]! += top * (1 - ay) + bottom * ay;
          }
        }
      }
      const o = (oy * width + ox) * 4;
      const n = taps * taps;
      out[o] = acc[0]! / n;
      out[o + 1] = acc[1]! / n;
      out[o + 2] = acc[2]! / n;
      out[o + 3] = 255;
    }
  }
  return { width, height, data: out };
}

/** Scales an image to fit within maxSide (no-op when already small): detection cost grows with pixels. */
export function fitWithin(image: RgbaImage, maxSide: number): { image: RgbaImage; scale: number } {
  const side = Math.max(image.width, image.height);
  if (side <= maxSide) return { image, scale: 1 };
  const scale = maxSide / side;
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  return { image: resampleRegion(image, { x: 0, y: 0, width: image.width, height: image.height }, width, height), scale: width / image.width };
}

/** The picture mirrored left to right (faces are near-symmetric: a mirrored crop is a second view of the same face). */
export function mirrorHorizontally(image: RgbaImage): RgbaImage {
  const { width, height, data } = image;
  const out = new Uint8ClampedArray(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = (y * width + x) * 4;
      const to = (y * width + (width - 1 - x)) * 4;
      out[to] = data[from]!;
      out[to + 1] = data[from + 1]!;
      out[to + 2] = data[from + 2]!;
      out[to + 3] = data[from + 3]!;
    }
  }
  return { width, height, data: out };
}
