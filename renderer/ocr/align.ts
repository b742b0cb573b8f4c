/**
 * Fine vertical alignment of the field boxes on the straightened card. Card batches print the lines a little
 * higher or lower, and the located outline may be off by a few per cent; a box that slides onto the next line
 * reads the birth date into the address or the number into it. The text lines themselves are found (rows of
 * dark ink in the value column) and the layout is moved by the median offset between where the lines are and
 * where the layout expects them.
 */
import type { GrayImage } from './image.js';
import type { FieldRegion } from './layout.js';

/** Expected centres (fractions of the card height) of the value lines, and the column they are looked for in. */
export interface LineModel {
  centres: readonly number[];
  column: readonly [number, number];
}

/** Front: name, 性别/民族, 出生, three address lines, the number. */
export const FRONT_LINES: LineModel = { centres: [0.15, 0.28, 0.41, 0.54, 0.625, 0.71, 0.86], column: [0.19, 0.6] };
/** Back: 签发机关, 有效期限 (the title lines are larger and printed elsewhere). */
export const BACK_LINES: LineModel = { centres: [0.755, 0.875], column: [0.4, 0.9] };

/** Rows of ink in `column` (brightest-channel gray: blue labels and the pattern are light): centres of the runs. */
export function lineCentres(card: GrayImage, column: readonly [number, number]): number[] {
  const x0 = Math.round(column[0] * card.width);
  const x1 = Math.round(column[1] * card.width);
  const hist = new Uint32Array(256);
  for (let y = 0; y < card.height; y++) for (let x = x0; x < x1; x++) hist[card.data[y * card.width + x] ?? 255] = (hist[card.data[y * card.width + x] ?? 255] ?? 0) + 1;
  const total = (x1 - x0) * card.height;
  const at = (p: number) => {
    let acc = 0;
    for (let i = 0; i < 256; i++) {
      acc += hist[i] ?? 0;
      if (acc >= p * total) return i;
    }
    return 255;
  };
  const ink = at(0.01);
  const paper = at(0.6);
  if (paper - ink < 30) return [];
  const threshold = ink + 0.5 * (paper - ink);
  const rows = new Float64Array(card.height);
  for (let y = 0; y < card.height; y++) {
    let n = 0;
    for (let x = x0; x < x1; x++) if ((card.data[y * card.width + x] ?? 255) < threshold) n++;
    rows[y] = n;
  }
  const min = Math.max(2, (x1 - x0) * 0.01);
  const minHeight = card.height * 0.025;
  const centres: number[] = [];
  let start = -1;
  for (let y = 0; y <= card.height; y++) {
    const inked = y < card.height && (rows[y] ?? 0) > min;
    if (inked && start < 0) start = y;
    if (!inked && start >= 0) {
      // Text lines are 0.04–0.06 of the card high; taller runs are two lines touching (or the photo's edge).
      if (y - start >= minHeight && y - start <= card.height * 0.09) centres.push((start + y) / 2 / card.height);
      start = -1;
    }
  }
  return centres;
}

/**
 * Offset (fraction of the card height) to add to the layout's boxes: the median of the distances from each
 * expected line to the nearest found line within `window`, when at least `minMatches` lines match; else 0.
 */
export function verticalOffset(found: readonly number[], model: LineModel, window = 0.05, minMatches = 2): number {
  const offsets: number[] = [];
  for (const expected of model.centres) {
    let best: number | undefined;
    for (const c of found) if (Math.abs(c - expected) <= window && (best === undefined || Math.abs(c - expected) < Math.abs(best - expected))) best = c;
    if (best !== undefined) offsets.push(best - expected);
  }
  if (offsets.length < Math.min(minMatches, model.centres.length)) return 0;
  offsets.sort((a, b) => a - b);
  const mid = offsets.length / 2;
  const median = offsets.length % 2 === 1 ? (offsets[Math.floor(mid)] ?? 0) : ((offsets[mid - 1] ?? 0) + (offsets[mid] ?? 0)) / 2;
  // Below half a per cent the boxes' own slack absorbs it.
  return Math.abs(median) < 0.005 ? 0 : median;
}

export function shiftLayout<K extends string>(layout: Readonly<Record<K, FieldRegion>>, dy: number): Record<K, FieldRegion> {
  const out = {} as Record<K, FieldRegion>;
  for (const key of Object.keys(layout) as K[]) {
    const r = layout[key];
    const [l, t, rr, b] = r.box;
    out[key] = { ...r, box: [l, Math.max(0, t + dy), rr, Math.min(1, b + dy)] };
  }
  return out;
}

/**
 * The address box drawn from the lines actually found: from halfway between the 出生 line and the first line
 * below it, to halfway between the last line above the number and the number's line. A card whose lines sit
 * closer or farther apart than the layout's (or a located outline a little too small or large) would otherwise
 * put the birth date or the number's top into the address. Undefined when those two lines are not both found.
 */
export function addressBand(found: readonly number[], dy: number): readonly [number, number] | undefined {
  const near = (expected: number) => {
    let best: number | undefined;
    for (const c of found) if (Math.abs(c - expected) <= 0.04 && (best === undefined || Math.abs(c - expected) < Math.abs(best - expected))) best = c;
    return best;
  };
  const birth = near(0.41 + dy);
  const number = near(0.86 + dy);
  if (birth === undefined || number === undefined) return undefined;
  const between = found.filter((c) => c > birth + 0.03 && c < number - 0.03);
  const first = between[0];
  const last = between[between.length - 1];
  if (first === undefined || last === undefined) return undefined;
  return [(birth + first) / 2, (last + number) / 2];
}
