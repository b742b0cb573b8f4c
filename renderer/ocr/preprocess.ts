/**
 * Field crop → clean recogniser input. The card's labels are printed in blue and its guilloche in pale
 * colours; taking each pixel's brightest channel turns both nearly white while black text stays black. A
 * threshold between ink and paper then drops them, and the crop is tightened to the ink and scaled to the glyph
 * height the recogniser reads best.
 */
import { cropGray, padGray, resizeGray, type GrayImage } from './image.js';
import type { FieldRegion } from './layout.js';

/** Glyph height the LSTM models read best (their training lines are about 36 px high). */
const TARGET_TEXT_HEIGHT = 40;

export interface PreparedField {
  image: GrayImage;
  /** Fraction of the crop's pixels that are ink; near zero means an empty field. */
  inkRatio: number;
  /** Ink-to-paper contrast 0–1 (low on glare or blur). */
  contrast: number;
}

function percentileOf(data: Uint8Array, p: number): number {
  const hist = new Uint32Array(256);
  for (const v of data) hist[v] = (hist[v] ?? 0) + 1;
  const target = p * data.length;
  let acc = 0;
  for (let i = 0; i < 256; i++) {
    acc += hist[i] ?? 0;
    if (acc >= target) return i;
  }
  return 255;
}

interface Run {
  start: number;
  end: number;
  mass: number;
}

/** Runs of rows (or columns) whose ink count exceeds `min`, merged across gaps of at most `gap`. */
function runs(profile: Float64Array, min: number, gap: number): Run[] {
  const out: Run[] = [];
  let cur: Run | undefined;
  let lastInk = -Infinity;
  for (let i = 0; i < profile.length; i++) {
    const v = profile[i] ?? 0;
    if (v > min) {
      if (cur && i - lastInk <= gap + 1) {
        cur.end = i + 1;
        cur.mass += v;
      } else {
        cur = { start: i, end: i + 1, mass: v };
        out.push(cur);
      }
      lastInk = i;
    }
  }
  return out;
}

/**
 * Crop `region` from the straightened card (brightest-channel gray), remove labels and background, tighten to
 * the text and scale it. Returns undefined when the region holds no text.
 */
export interface PrepareOptions {
  /** Scale the text to about this many pixels high (default 40). */
  textHeight?: number | undefined;
  /** Shift the crop by these fractions of the card (crop jitter). */
  shift?: readonly [number, number] | undefined;
  /** Threshold position between ink (0) and paper (1); default 0.5. */
  threshold?: number | undefined;
  /**
   * 'soft' (default): paper and labels white, ink keeps its anti-aliased edges. 'stretch': a linear contrast
   * stretch between ink and paper without cutting, which keeps the shape of blurred strokes.
   */
  tone?: 'soft' | 'stretch' | undefined;
  /** Unsharp-mask strength after scaling (0 = none): restores stroke edges of blurred photos. */
  sharpen?: number | undefined;
}

export function prepareField(card: GrayImage, region: FieldRegion, options: PrepareOptions = {}): PreparedField | undefined {
  const [l0, t0, r0, b0] = region.box;
  const [sx, sy] = options.shift ?? [0, 0];
  const [l, t, r, b] = [l0 + sx, t0 + sy, r0 + sx, b0 + sy];
  const crop = cropGray(card, {
    left: l * card.width,
    top: t * card.height,
    width: (r - l) * card.width,
    height: (b - t) * card.height,
  });
  const ink = percentileOf(crop.data, 0.01);
  const paper = percentileOf(crop.data, 0.6);
  const contrast = Math.max(0, paper - ink) / 255;
  if (contrast < 0.12) return undefined;
  // Halfway between ink and paper: blue labels and the pattern come out of the brightest channel far above it.
  const threshold = ink + (options.threshold ?? 0.5) * (paper - ink);
  const w = crop.width;
  const h = crop.height;
  const mask = new Uint8Array(w * h);
  let inkCount = 0;
  for (let i = 0; i < mask.length; i++) {
    if ((crop.data[i] ?? 255) < threshold) {
      mask[i] = 1;
      inkCount++;
    }
  }
  if (inkCount < 20) return undefined;

  // Rows: the text lines. Tiny counts are pattern specks or a neighbour's descenders.
  const rowProfile = new Float64Array(h);
  for (let y = 0; y < h; y++) {
    let s = 0;
    for (let x = 0; x < w; x++) s += mask[y * w + x] ?? 0;
    rowProfile[y] = s;
  }
  const rowRuns = runs(rowProfile, Math.max(1, w * 0.004), Math.round(card.height * 0.006)).filter(
    (run) => run.end - run.start >= card.height * 0.02,
  );
  if (rowRuns.length === 0) return undefined;
  let top: number;
  let bottom: number;
  if (region.lines === 'one') {
    const main = rowRuns.reduce((a, c) => (c.mass > a.mass ? c : a));
    top = main.start;
    bottom = main.end;
  } else {
    // A last address line may hold one character (号) against eleven on a full line, so light lines are kept
    // when they are as tall as text; specks and a neighbour's edges are light and short.
    const heaviest = Math.max(...rowRuns.map((run) => run.mass));
    const tallest = Math.max(...rowRuns.filter((run) => run.mass > heaviest * 0.15).map((run) => run.end - run.start));
    const kept = rowRuns.filter((run) => run.mass > heaviest * 0.15 || (run.mass > heaviest * 0.03 && run.end - run.start >= tallest * 0.6));
    top = Math.min(...kept.map((run) => run.start));
    bottom = Math.max(...kept.map((run) => run.end));
  }
  if (region.minBlobHeight !== undefined) {
    dropShortBlobs(mask, w, top, bottom, region.minBlobHeight * (bottom - top));
  }

  const colProfile = new Float64Array(w);
  for (let y = top; y < bottom; y++) for (let x = 0; x < w; x++) colProfile[x] = (colProfile[x] ?? 0) + (mask[y * w + x] ?? 0);
  const colRuns = runs(colProfile, 0, Math.round(card.width * 0.05));
  if (colRuns.length === 0) return undefined;
  // Light groups of columns far from the text are pattern specks; fields like 性别…民族 have real gaps.
  const heaviestCol = Math.max(...colRuns.map((run) => run.mass));
  const keptCols = colRuns.filter((run) => run.mass >= heaviestCol * 0.12);
  const left = Math.min(...keptCols.map((run) => run.start));
  const right = Math.max(...keptCols.map((run) => run.end));

  const margin = Math.round(card.height * 0.008);
  const x0 = Math.max(0, left - margin);
  const y0 = Math.max(0, top - margin);
  const x1 = Math.min(w, right + margin);
  const y1 = Math.min(h, bottom + margin);
  const tw = x1 - x0;
  const th = y1 - y0;
  // Soft threshold: paper and labels become white, ink keeps its anti-aliased edges (thin strokes survive).
  const out = new Uint8Array(tw * th);
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const v = (mask[(y + y0) * w + x + x0] ?? 0) === 0 && region.minBlobHeight !== undefined ? 255 : (crop.data[(y + y0) * w + x + x0] ?? 255);
      out[y * tw + x] =
        options.tone === 'stretch'
          ? Math.max(0, Math.min(255, Math.round(((v - ink) / Math.max(1, paper - ink)) * 255)))
          : v >= threshold
            ? 255
            : Math.max(0, Math.min(255, Math.round(((v - ink) / (threshold - ink)) * 160)));
    }
  }
  const lineHeight = region.lines === 'one' ? bottom - top : (rowRuns[0]?.end ?? bottom) - (rowRuns[0]?.start ?? top);
  const scale = Math.max(0.5, Math.min(3, (options.textHeight ?? TARGET_TEXT_HEIGHT) / Math.max(8, lineHeight)));
  let image: GrayImage = { width: tw, height: th, data: out };
  if (Math.abs(scale - 1) > 0.1) image = resizeGray(image, Math.max(1, Math.round(tw * scale)), Math.max(1, Math.round(th * scale)));
  if (options.sharpen) image = unsharp(image, options.sharpen);
  image = padGray(image, 12);
  return { image, inkRatio: inkCount / (w * h), contrast };
}

/**
 * Clear (in place) the 8-connected ink blobs inside rows top…bottom whose height is below `minHeight`, and all
 * ink outside those rows.
 */
function dropShortBlobs(mask: Uint8Array, w: number, top: number, bottom: number, minHeight: number): void {
  const h = mask.length / w;
  for (let y = 0; y < h; y++) if (y < top || y >= bottom) mask.fill(0, y * w, (y + 1) * w);
  const seen = new Uint8Array(mask.length);
  const stack: number[] = [];
  const blob: number[] = [];
  for (let start = top * w; start < bottom * w; start++) {
    if ((mask[start] ?? 0) === 0 || (seen[start] ?? 0) === 1) continue;
    blob.length = 0;
    stack.push(start);
    seen[start] = 1;
    let minY = Infinity;
    let maxY = -Infinity;
    while (stack.length > 0) {
      const i = stack.pop() as number;
      blob.push(i);
      const y = Math.floor(i / w);
      const x = i - y * w;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < top || yy >= bottom) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          const j = yy * w + xx;
          if ((mask[j] ?? 0) === 1 && (seen[j] ?? 0) === 0) {
            seen[j] = 1;
            stack.push(j);
          }
        }
      }
    }
    if (maxY - minY + 1 < minHeight) for (const i of blob) mask[i] = 0;
  }
}

/** Unsharp mask with a 3×3 box blur: v + amount·(v − blur(v)). */
function unsharp(img: GrayImage, amount: number): GrayImage {
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      let n = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          s += data[yy * w + xx] ?? 0;
          n++;
        }
      }
      const v = data[y * w + x] ?? 0;
      out[y * w + x] = Math.max(0, Math.min(255, Math.round(v + amount * (v - s / n))));
    }
  }
  return { width: w, height: h, data: out };
}
