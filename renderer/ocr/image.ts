/**
 * Raster primitives for the OCR pipeline. Plain typed arrays only (no DOM, no Node), so the same code runs in a
 * Web Worker, in the renderer and in Node (CLI, benchmark, tests).
 */

/** Same shape as the DOM's ImageData, so an ImageData can be passed as is. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

/** One byte per pixel, row-major. */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export interface Point {
  x: number;
  y: number;
}

/** Corners in order top-left, top-right, bottom-right, bottom-left (card upright). */
export type Quad = readonly [Point, Point, Point, Point];

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export function isRgbaImage(value: RgbaImage): boolean {
  return (
    Number.isInteger(value.width) &&
    Number.isInteger(value.height) &&
    value.width > 0 &&
    value.height > 0 &&
    value.data.length === value.width * value.height * 4
  );
}

/** Luma (for edges) or each pixel's brightest channel (for text: drops blue labels and the tinted pattern). */
export function toGray(img: RgbaImage, mode: 'luma' | 'max'): GrayImage {
  const n = img.width * img.height;
  const out = new Uint8Array(n);
  const d = img.data;
  if (mode === 'max') {
    for (let i = 0, j = 0; i < n; i++, j += 4) {
      const r = d[j] ?? 0;
      const g = d[j + 1] ?? 0;
      const b = d[j + 2] ?? 0;
      out[i] = r > g ? (r > b ? r : b) : g > b ? g : b;
    }
  } else {
    for (let i = 0, j = 0; i < n; i++, j += 4) {
      out[i] = ((d[j] ?? 0) * 77 + (d[j + 1] ?? 0) * 150 + (d[j + 2] ?? 0) * 29) >> 8;
    }
  }
  return { width: img.width, height: img.height, data: out };
}

/** Box-filter downscale of an RGBA image by an integer-free factor (area average); never upscales. */
export function downscaleRgba(img: RgbaImage, maxSide: number): { image: RgbaImage; scale: number } {
  const scale = Math.min(1, maxSide / Math.max(img.width, img.height));
  if (scale >= 1) return { image: img, scale: 1 };
  const w = Math.max(1, Math.round(img.width * scale));
  const h = Math.max(1, Math.round(img.height * scale));
  const out = new Uint8ClampedArray(w * h * 4);
  const sx = img.width / w;
  const sy = img.height / h;
  const src = img.data;
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor(y * sy);
    const y1 = Math.max(y0 + 1, Math.floor((y + 1) * sy));
    for (let x = 0; x < w; x++) {
      const x0 = Math.floor(x * sx);
      const x1 = Math.max(x0 + 1, Math.floor((x + 1) * sx));
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let yy = y0; yy < y1; yy++) {
        let j = (yy * img.width + x0) * 4;
        for (let xx = x0; xx < x1; xx++, j += 4) {
          r += src[j] ?? 0;
          g += src[j + 1] ?? 0;
          b += src[j + 2] ?? 0;
          a += src[j + 3] ?? 0;
        }
      }
      const c = (y1 - y0) * (x1 - x0);
      const o = (y * w + x) * 4;
      out[o] = r / c;
      out[o + 1] = g / c;
      out[o + 2] = b / c;
      out[o + 3] = a / c;
    }
  }
  return { image: { width: w, height: h, data: out }, scale: w / img.width };
}

/** 3×3 homography (row-major, h[8] = 1) mapping each `from` corner onto the matching `to` corner. */
export function homography(from: Quad, to: Quad): number[] {
  // Direct linear transform: 8 equations, 8 unknowns, solved by Gaussian elimination with partial pivoting.
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const { x, y } = from[i] as Point;
    const { x: u, y: v } = to[i] as Point;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let r = col + 1; r < 8; r++) {
      if (Math.abs(a[r]?.[col] ?? 0) > Math.abs(a[pivot]?.[col] ?? 0)) pivot = r;
    }
    const tmp = a[col] as number[];
    a[col] = a[pivot] as number[];
    a[pivot] = tmp;
    const prow = a[col] as number[];
    const p = prow[col] ?? 0;
    if (Math.abs(p) < 1e-12) throw new RangeError('degenerate quadrilateral');
    for (let r = 0; r < 8; r++) {
      if (r === col) continue;
      const row = a[r] as number[];
      const f = (row[col] ?? 0) / p;
      if (f === 0) continue;
      for (let c = col; c < 9; c++) row[c] = (row[c] ?? 0) - f * (prow[c] ?? 0);
    }
  }
  const h: number[] = [];
  for (let i = 0; i < 8; i++) h.push((a[i]?.[8] ?? 0) / (a[i]?.[i] ?? 1));
  h.push(1);
  return h;
}

export function applyHomography(h: readonly number[], p: Point): Point {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, k = 0, l = 1] = h;
  const w = g * p.x + k * p.y + l;
  return { x: (a * p.x + b * p.y + c) / w, y: (d * p.x + e * p.y + f) / w };
}

/**
 * Straighten the quadrilateral `quad` of `img` into an upright `outW`×`outH` image (bilinear sampling).
 * Pixels that fall outside the source are white, which reads as card background downstream.
 */
export function warpPerspective(img: RgbaImage, quad: Quad, outW: number, outH: number): RgbaImage {
  const target: Quad = [
    { x: 0, y: 0 },
    { x: outW, y: 0 },
    { x: outW, y: outH },
    { x: 0, y: outH },
  ];
  // Map output → source so every output pixel is sampled exactly once.
  const h = homography(target, quad);
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, k = 0, l = 1] = h;
  const out = new Uint8ClampedArray(outW * outH * 4);
  const src = img.data;
  const W = img.width;
  const H = img.height;
  for (let y = 0; y < outH; y++) {
    const py = y + 0.5;
    for (let x = 0; x < outW; x++) {
      const px = x + 0.5;
      const w = g * px + k * py + l;
      const sx = (a * px + b * py + c) / w - 0.5;
      const sy = (d * px + e * py + f) / w - 0.5;
      const o = (y * outW + x) * 4;
      if (!(sx >= 0 && sy >= 0 && sx < W - 1 && sy < H - 1)) {
        out[o] = 255;
        out[o + 1] = 255;
        out[o + 2] = 255;
        out[o + 3] = 255;
        continue;
      }
      const x0 = sx | 0;
      const y0 = sy | 0;
      const fx = sx - x0;
      const fy = sy - y0;
      const i00 = (y0 * W + x0) * 4;
      const i10 = i00 + 4;
      const i01 = i00 + W * 4;
      const i11 = i01 + 4;
      for (let ch = 0; ch < 3; ch++) {
        const top = (src[i00 + ch] ?? 0) * (1 - fx) + (src[i10 + ch] ?? 0) * fx;
        const bottom = (src[i01 + ch] ?? 0) * (1 - fx) + (src[i11 + ch] ?? 0) * fx;
        out[o + ch] = top * (1 - fy) + bottom * fy;
      }
      out[o + 3] = 255;
    }
  }
  return { width: outW, height: outH, data: out };
}

export function cropGray(img: GrayImage, rect: Rect): GrayImage {
  const left = Math.max(0, Math.min(img.width - 1, Math.round(rect.left)));
  const top = Math.max(0, Math.min(img.height - 1, Math.round(rect.top)));
  const right = Math.max(left + 1, Math.min(img.width, Math.round(rect.left + rect.width)));
  const bottom = Math.max(top + 1, Math.min(img.height, Math.round(rect.top + rect.height)));
  const w = right - left;
  const h = bottom - top;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) out.set(img.data.subarray((top + y) * img.width + left, (top + y) * img.width + left + w), y * w);
  return { width: w, height: h, data: out };
}

/** Bilinear resize of a gray image (used to bring text to the glyph height the recogniser likes). */
export function resizeGray(img: GrayImage, outW: number, outH: number): GrayImage {
  const out = new Uint8Array(outW * outH);
  const sx = img.width / outW;
  const sy = img.height / outH;
  const src = img.data;
  const W = img.width;
  for (let y = 0; y < outH; y++) {
    const fyAbs = Math.min(img.height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.min(img.height - 2, fyAbs | 0);
    const fy = Math.max(0, Math.min(1, fyAbs - y0));
    for (let x = 0; x < outW; x++) {
      const fxAbs = Math.min(W - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.min(W - 2, fxAbs | 0);
      const fx = Math.max(0, Math.min(1, fxAbs - x0));
      const i = Math.max(0, y0) * W + Math.max(0, x0);
      const a = src[i] ?? 255;
      const b = src[i + 1] ?? a;
      const c = src[i + W] ?? a;
      const d = src[i + W + 1] ?? c;
      out[y * outW + x] = (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
    }
  }
  return { width: outW, height: outH, data: out };
}

/** Otsu's threshold over a histogram of `img` (or of the pixels in `mask` when given). */
export function otsuThreshold(img: GrayImage): number {
  const hist = new Float64Array(256);
  for (const v of img.data) hist[v] = (hist[v] ?? 0) + 1;
  const total = img.data.length;
  let sum = 0;
  for (let i = 0; i < 256; i++) sum += i * (hist[i] ?? 0);
  let sumB = 0;
  let wB = 0;
  let best = 0;
  let bestVar = -1;
  for (let t = 0; t < 256; t++) {
    wB += hist[t] ?? 0;
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += t * (hist[t] ?? 0);
    const mB = sumB / wB;
    const mF = (sum - sumB) / wF;
    const between = wB * wF * (mB - mF) * (mB - mF);
    if (between > bestVar) {
      bestVar = between;
      best = t;
    }
  }
  return best;
}

/**
 * Local-contrast binarisation: a pixel is ink when it is darker than its neighbourhood mean by `delta` and
 * darker than `ceiling`. Survives uneven lighting that defeats one global threshold.
 */
export function adaptiveThreshold(img: GrayImage, radius: number, delta: number, ceiling = 255): GrayImage {
  const { width: w, height: h, data } = img;
  const integral = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += data[y * w + x] ?? 0;
      integral[(y + 1) * (w + 1) + x + 1] = (integral[y * (w + 1) + x + 1] ?? 0) + row;
    }
  }
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const y0 = Math.max(0, y - radius);
    const y1 = Math.min(h, y + radius + 1);
    for (let x = 0; x < w; x++) {
      const x0 = Math.max(0, x - radius);
      const x1 = Math.min(w, x + radius + 1);
      const s =
        (integral[y1 * (w + 1) + x1] ?? 0) -
        (integral[y0 * (w + 1) + x1] ?? 0) -
        (integral[y1 * (w + 1) + x0] ?? 0) +
        (integral[y0 * (w + 1) + x0] ?? 0);
      const mean = s / ((y1 - y0) * (x1 - x0));
      const v = data[y * w + x] ?? 255;
      out[y * w + x] = v < mean - delta && v < ceiling ? 0 : 255;
    }
  }
  return { width: w, height: h, data: out };
}

/** Add a white border: the recogniser misses glyphs that touch the image edge. */
export function padGray(img: GrayImage, pad: number): GrayImage {
  const w = img.width + 2 * pad;
  const h = img.height + 2 * pad;
  const out = new Uint8Array(w * h).fill(255);
  for (let y = 0; y < img.height; y++) out.set(img.data.subarray(y * img.width, (y + 1) * img.width), (y + pad) * w + pad);
  return { width: w, height: h, data: out };
}

/**
 * Encode a gray image as an uncompressed 24-bit BMP. Both tesseract.js builds (Node and browser) accept encoded
 * image bytes, and BMP needs no codec, so no canvas or Node buffer is involved.
 */
export function encodeBmp(img: GrayImage): Uint8Array {
  const rowSize = Math.ceil((img.width * 3) / 4) * 4;
  const size = 54 + rowSize * img.height;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out[0] = 0x42;
  out[1] = 0x4d;
  view.setUint32(2, size, true);
  view.setUint32(10, 54, true);
  view.setUint32(14, 40, true);
  view.setInt32(18, img.width, true);
  view.setInt32(22, img.height, true);
  view.setUint16(26, 1, true);
  view.setUint16(28, 24, true);
  view.setUint32(34, rowSize * img.height, true);
  view.setInt32(38, 2835, true);
  view.setInt32(42, 2835, true);
  for (let y = 0; y < img.height; y++) {
    // BMP rows run bottom-up.
    let o = 54 + (img.height - 1 - y) * rowSize;
    for (let x = 0; x < img.width; x++) {
      const v = img.data[y * img.width + x] ?? 255;
      out[o++] = v;
      out[o++] = v;
      out[o++] = v;
    }
  }
  return out;
}
