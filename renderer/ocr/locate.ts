/**
 * Card location: finds the card's four sides as straight lines (colour gradients → Hough transform), builds
 * candidate quadrilaterals (four found lines; three plus one inferred from the aspect ratio; or two meeting at a
 * corner, with the others inferred from how far the edges run), keeps those the edges support well, judges them
 * by how consistently each side is a colour step between card and desk, refines the best few against the
 * full-resolution image and returns the winner's corners in source pixels.
 *
 * Why lines and not a colour blob: the card is pale on pale desks and its guilloche pattern is busy, so region
 * growing leaks; the card's straight outline is the most stable cue. Image borders are candidates too, for
 * scans and crops where the card fills the frame.
 */
import { downscaleRgba, type Point, type Quad, type RgbaImage } from './image.js';

/** ID-1 card: 85.6 mm × 54 mm. */
export const CARD_ASPECT = 85.6 / 54;

export interface CardLocation {
  /** Corners in source pixels: top-left, top-right, bottom-right, bottom-left. */
  quad: Quad;
  /** 0–1: how much of the outline is backed by real edges (image borders count as half). */
  confidence: number;
  /** 'edges' when all four sides are edges found in the image; 'frame' when image borders stand in for some. */
  method: 'edges' | 'frame';
}

interface Line {
  /** Unit normal angle in radians; the line is x·cos θ + y·sin θ = rho. */
  theta: number;
  rho: number;
  votes: number;
  /** An image border used as a candidate side. */
  border: boolean;
  /** Inferred from the three other sides and the card's aspect ratio (a side too faint to detect). */
  virtual?: boolean;
}

const WORK_SIZE = 400;
const THETA_STEPS = 180;

interface Gradients {
  width: number;
  height: number;
  mag: Float32Array;
  gx: Float32Array;
  gy: Float32Array;
}

/** Per-pixel Sobel gradient of the channel that changes most (card vs desk often differ in hue, not light). */
export function gradients(img: RgbaImage): Gradients {
  const { width: w, height: h, data } = img;
  // A 3×3 box blur first: the guilloche pattern and JPEG noise otherwise outvote the outline.
  const blurred = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        let n = 0;
        for (let dy = -1; dy <= 1; dy++) {
          const yy = y + dy;
          if (yy < 0 || yy >= h) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            if (xx < 0 || xx >= w) continue;
            s += data[(yy * w + xx) * 4 + c] ?? 0;
            n++;
          }
        }
        blurred[(y * w + x) * 3 + c] = s / n;
      }
    }
  }
  const mag = new Float32Array(w * h);
  const gx = new Float32Array(w * h);
  const gy = new Float32Array(w * h);
  const at = (x: number, y: number, c: number) => blurred[(y * w + x) * 3 + c] ?? 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      let best = 0;
      let bx = 0;
      let by = 0;
      for (let c = 0; c < 3; c++) {
        const sx =
          at(x + 1, y - 1, c) + 2 * at(x + 1, y, c) + at(x + 1, y + 1, c) - at(x - 1, y - 1, c) - 2 * at(x - 1, y, c) - at(x - 1, y + 1, c);
        const sy =
          at(x - 1, y + 1, c) + 2 * at(x, y + 1, c) + at(x + 1, y + 1, c) - at(x - 1, y - 1, c) - 2 * at(x, y - 1, c) - at(x + 1, y - 1, c);
        const m = sx * sx + sy * sy;
        if (m > best) {
          best = m;
          bx = sx;
          by = sy;
        }
      }
      const i = y * w + x;
      mag[i] = Math.sqrt(best);
      gx[i] = bx;
      gy[i] = by;
    }
  }
  return { width: w, height: h, mag, gx, gy };
}

export function percentile(values: Float32Array, p: number): number {
  const sample: number[] = [];
  const step = Math.max(1, Math.floor(values.length / 20000));
  for (let i = 0; i < values.length; i += step) sample.push(values[i] ?? 0);
  sample.sort((a, b) => a - b);
  return sample[Math.min(sample.length - 1, Math.floor(p * sample.length))] ?? 0;
}

export function houghLines(g: Gradients, threshold: number, maxLines: number): Line[] {
  const { width: w, height: h, mag, gx, gy } = g;
  const diag = Math.ceil(Math.hypot(w, h));
  const rhoBins = 2 * diag + 1;
  const acc = new Float32Array(THETA_STEPS * rhoBins);
  const cos = new Float64Array(THETA_STEPS);
  const sin = new Float64Array(THETA_STEPS);
  for (let t = 0; t < THETA_STEPS; t++) {
    cos[t] = Math.cos((t * Math.PI) / THETA_STEPS);
    sin[t] = Math.sin((t * Math.PI) / THETA_STEPS);
  }
  const spread = 5;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const m = mag[i] ?? 0;
      if (m < threshold) continue;
      // Thin edges to one pixel (non-maximum along the gradient), so weak but straight outlines still make peaks.
      const ux = (gx[i] ?? 0) / m;
      const uy = (gy[i] ?? 0) / m;
      const ahead = mag[Math.round(y + uy) * w + Math.round(x + ux)] ?? 0;
      const behind = mag[Math.round(y - uy) * w + Math.round(x - ux)] ?? 0;
      if (m < ahead || m < behind) continue;
      // Vote only near the gradient direction: a sharp, cheap Hough.
      let angle = Math.atan2(gy[i] ?? 0, gx[i] ?? 0);
      if (angle < 0) angle += Math.PI;
      const t0 = Math.round((angle / Math.PI) * THETA_STEPS);
      for (let dt = -spread; dt <= spread; dt++) {
        const t = (((t0 + dt) % THETA_STEPS) + THETA_STEPS) % THETA_STEPS;
        const rho = Math.round(x * (cos[t] ?? 0) + y * (sin[t] ?? 0)) + diag;
        const k = t * rhoBins + rho;
        acc[k] = (acc[k] ?? 0) + 1;
      }
    }
  }
  // Peaks with non-maximum suppression in a (θ, ρ) window.
  const peaks: Line[] = [];
  const order: number[] = [];
  const minVotes = Math.min(w, h) * 0.08;
  for (let k = 0; k < acc.length; k++) if ((acc[k] ?? 0) >= minVotes) order.push(k);
  order.sort((a, b) => (acc[b] ?? 0) - (acc[a] ?? 0));
  const taken: { t: number; r: number }[] = [];
  for (const k of order) {
    const t = Math.floor(k / rhoBins);
    const r = k % rhoBins;
    const near = taken.some((p) => {
      const dt = Math.min(Math.abs(p.t - t), THETA_STEPS - Math.abs(p.t - t));
      // Lines at θ and θ+180° (wrapped) have opposite rho.
      const rr = Math.abs(p.t - t) > THETA_STEPS / 2 ? 2 * diag - p.r : p.r;
      return dt <= 6 && Math.abs(rr - r) <= 6;
    });
    if (near) continue;
    taken.push({ t, r });
    peaks.push({ theta: (t * Math.PI) / THETA_STEPS, rho: r - diag, votes: acc[k] ?? 0, border: false });
    if (peaks.length >= maxLines) break;
  }
  return peaks;
}

function intersect(a: Line, b: Line): Point | undefined {
  const c1 = Math.cos(a.theta);
  const s1 = Math.sin(a.theta);
  const c2 = Math.cos(b.theta);
  const s2 = Math.sin(b.theta);
  const det = c1 * s2 - s1 * c2;
  if (Math.abs(det) < 1e-6) return undefined;
  return { x: (a.rho * s2 - b.rho * s1) / det, y: (c1 * b.rho - c2 * a.rho) / det };
}

/**
 * Edge hits along a whole line, as a prefix sum over the line parameter t (1 px steps), so the support of any
 * segment of it costs O(1) while thousands of candidate quadrilaterals are scored.
 */
interface LineProfile {
  line: Line;
  /** t of index 0. */
  t0: number;
  /** Computed on first use: most inferred sides are rejected by geometry before their support is needed. */
  readonly prefix: Uint32Array;
}

function lineProfile(g: Gradients, line: Line, threshold: number): LineProfile {
  let prefix: Uint32Array | undefined;
  const diag = Math.ceil(Math.hypot(g.width, g.height));
  return {
    line,
    t0: -diag,
    get prefix(): Uint32Array {
      prefix ??= linePrefix(g, line, threshold);
      return prefix;
    },
  };
}

function linePrefix(g: Gradients, line: Line, threshold: number): Uint32Array {
  const diag = Math.ceil(Math.hypot(g.width, g.height));
  const nx = Math.cos(line.theta);
  const ny = Math.sin(line.theta);
  // Foot of the perpendicular from the origin, and the direction along the line.
  const fx = nx * line.rho;
  const fy = ny * line.rho;
  const dx = -ny;
  const dy = nx;
  const n = 2 * diag + 1;
  const prefix = new Uint32Array(n + 1);
  for (let k = 0; k < n; k++) {
    const t = k - diag;
    const x = fx + dx * t;
    const y = fy + dy * t;
    let hit = 0;
    if (!line.border && x >= 1 && y >= 1 && x < g.width - 1 && y < g.height - 1) {
      for (let d = -2; d <= 2; d++) {
        const xi = Math.round(x + nx * d);
        const yi = Math.round(y + ny * d);
        if (xi < 1 || yi < 1 || xi >= g.width - 1 || yi >= g.height - 1) continue;
        const i = yi * g.width + xi;
        const m = g.mag[i] ?? 0;
        if (m < threshold) continue;
        if (Math.abs(((g.gx[i] ?? 0) * nx + (g.gy[i] ?? 0) * ny) / m) > 0.85) {
          hit = 1;
          break;
        }
      }
    }
    prefix[k + 1] = (prefix[k] ?? 0) + hit;
  }
  return prefix;
}

/** Fraction of the segment p→r (both on the profile's line) backed by edges; the rounded ends are skipped. */
function segmentSupport(profile: LineProfile, p: Point, r: Point): number {
  const { line } = profile;
  if (line.border) return 0.4;
  const floor = line.virtual ? 0.4 : 0;
  const dx = -Math.sin(line.theta);
  const dy = Math.cos(line.theta);
  let ta = p.x * dx + p.y * dy;
  let tb = r.x * dx + r.y * dy;
  if (ta > tb) [ta, tb] = [tb, ta];
  const len = tb - ta;
  if (len < 4) return floor;
  const n = profile.prefix.length - 1;
  const a = Math.max(0, Math.min(n, Math.round(ta + 0.06 * len - profile.t0)));
  const b = Math.max(0, Math.min(n, Math.round(tb - 0.06 * len - profile.t0)));
  if (b <= a) return floor;
  const inside = ((profile.prefix[b] ?? 0) - (profile.prefix[a] ?? 0)) / (b - a);
  // A card side ends at its corners; a line that runs on well past them is a desk edge, stripe or fold.
  const ext = Math.round(0.12 * len);
  const a0 = Math.max(0, Math.round(ta - 0.04 * len - profile.t0) - ext);
  const a1 = Math.max(0, Math.round(ta - 0.04 * len - profile.t0));
  const b0 = Math.min(n, Math.round(tb + 0.04 * len - profile.t0));
  const b1 = Math.min(n, b0 + ext);
  const outsideCount = (profile.prefix[a1] ?? 0) - (profile.prefix[a0] ?? 0) + (profile.prefix[b1] ?? 0) - (profile.prefix[b0] ?? 0);
  const outsideLen = a1 - a0 + (b1 - b0);
  const overshoot = outsideLen > 0 ? outsideCount / outsideLen : 0;
  // An inferred side is worth less than a found one with the same edge hits.
  return Math.max(floor, inside * (1 - 0.6 * overshoot) * (line.virtual ? 0.85 : 1));
}

/**
 * Where the edge along `profile`'s line runs from `from` (a corner): the direction (unit vector) in which edge
 * hits continue, and the length until they stop. A gap of up to `gap` at the start skips a rounded corner.
 */
function edgeRun(profile: LineProfile, from: Point, gap: number): { dir: Point; length: number } | undefined {
  const { line } = profile;
  const dx = -Math.sin(line.theta);
  const dy = Math.cos(line.theta);
  const prefix = profile.prefix;
  const n = prefix.length - 1;
  const tc = Math.round(from.x * dx + from.y * dy - profile.t0);
  const win = 8;
  const density = (k: number) => {
    const a = Math.max(0, Math.min(n, k));
    const b = Math.max(0, Math.min(n, k + win));
    return b > a ? ((prefix[b] ?? 0) - (prefix[a] ?? 0)) / (b - a) : 0;
  };
  let best: { dir: Point; length: number } | undefined;
  for (const sign of [1, -1]) {
    // Window starting at offset o from the corner, in this direction.
    const at = (o: number) => density(sign > 0 ? tc + o : tc - o - win);
    let o = 0;
    while (o < gap && at(o) < 0.5) o++;
    if (o >= gap) continue;
    let misses = 0;
    let end = o;
    while (tc + sign * o >= 0 && tc + sign * o <= n) {
      if (at(o) >= 0.35) {
        end = o + win;
        misses = 0;
      } else if (++misses > win * 2) break;
      o++;
    }
    // The run stops a rounded corner short of the far corner.
    const length = end * 1.04;
    if (!best || length > best.length) best = { dir: { x: dx * sign, y: dy * sign }, length };
  }
  return best;
}

function polygonArea(q: readonly Point[]): number {
  let a = 0;
  for (let i = 0; i < q.length; i++) {
    const p = q[i] as Point;
    const r = q[(i + 1) % q.length] as Point;
    a += p.x * r.y - r.x * p.y;
  }
  return a / 2;
}

/** Order four corners as top-left, top-right, bottom-right, bottom-left, with the long sides horizontal. */
export function orderCorners(points: readonly Point[]): Quad {
  const cx = points.reduce((s, p) => s + p.x, 0) / points.length;
  const cy = points.reduce((s, p) => s + p.y, 0) / points.length;
  const sorted = [...points].sort((a, b) => Math.atan2(a.y - cy, a.x - cx) - Math.atan2(b.y - cy, b.x - cx));
  // atan2 order from −π: roughly TL, TR, BR, BL for a landscape card in image coordinates (y down).
  let best = 0;
  let bestScore = Infinity;
  for (let k = 0; k < 4; k++) {
    const p = sorted[k] as Point;
    const score = p.x + p.y;
    if (score < bestScore) {
      bestScore = score;
      best = k;
    }
  }
  const q = [0, 1, 2, 3].map((k) => sorted[(best + k) % 4] as Point);
  const [a, b, c, d] = q as [Point, Point, Point, Point];
  const top = Math.hypot(b.x - a.x, b.y - a.y);
  const left = Math.hypot(d.x - a.x, d.y - a.y);
  // A portrait-looking quad is a card turned by 90°: rotate the labels so the long sides are top and bottom.
  if (left > top * 1.15) return [d, a, b, c];
  return [a, b, c, d];
}

/**
 * Locate the card in `img`. Never throws; when nothing better is found the whole frame is returned with a low
 * confidence, which the pipeline reports as "needs review".
 */
export function locateCard(img: RgbaImage): CardLocation {
  const { image: small, scale } = downscaleRgba(img, WORK_SIZE);
  const g = gradients(small);
  const threshold = Math.max(10, percentile(g.mag, 0.6));
  const lines = houghLines(g, threshold, 40);
  const w = small.width;
  const h = small.height;
  const borders: Line[] = [
    { theta: Math.PI / 2, rho: 1, votes: 0, border: true },
    { theta: Math.PI / 2, rho: h - 2, votes: 0, border: true },
    { theta: 0, rho: 1, votes: 0, border: true },
    { theta: 0, rho: w - 2, votes: 0, border: true },
  ];
  const isHorizontal = (l: Line) => Math.abs(l.theta - Math.PI / 2) < Math.PI / 4;
  const profiles = new Map<string, LineProfile>();
  // Inferred sides repeat (same θ, nearly the same ρ) across many pairings: profile each line once.
  const profile = (l: Line) => {
    const key = `${l.theta.toFixed(4)}:${Math.round(l.rho)}:${l.border ? 'b' : l.virtual ? 'v' : 'r'}`;
    let p = profiles.get(key);
    if (!p) {
      p = lineProfile(g, { ...l, rho: l.border ? l.rho : Math.round(l.rho) }, threshold * 0.6);
      profiles.set(key, p);
    }
    return p;
  };
  const horizontals = [...lines.filter(isHorizontal), borders[0] as Line, borders[1] as Line].map(profile);
  const verticals = [...lines.filter((l) => !isHorizontal(l)), borders[2] as Line, borders[3] as Line].map(profile);
  const imageArea = w * h;

  interface Candidate {
    quad: Point[];
    score: number;
    support: number;
    borders: number;
  }
  const candidates: Candidate[] = [];
  const consider = (p1: LineProfile, p2: LineProfile, q1: LineProfile, q2: LineProfile): void => {
    const h1 = p1.line;
    const h2 = p2.line;
    const v1 = q1.line;
    const v2 = q2.line;
    const corners = [intersect(h1, v1), intersect(h1, v2), intersect(h2, v2), intersect(h2, v1)];
    if (corners.some((c) => c === undefined)) return;
    const pts = corners as Point[];
    if (pts.some((p) => p.x < -0.03 * w || p.y < -0.03 * h || p.x > 1.03 * w || p.y > 1.03 * h)) return;
    const area = Math.abs(polygonArea(orderCornersLoose(pts)));
    if (area < 0.08 * imageArea) return;
    const q = orderCorners(pts);
    const [a, b, c, d] = q;
    const top = Math.hypot(b.x - a.x, b.y - a.y);
    const bottom = Math.hypot(c.x - d.x, c.y - d.y);
    const left = Math.hypot(d.x - a.x, d.y - a.y);
    const right = Math.hypot(c.x - b.x, c.y - b.y);
    const aspect = (top + bottom) / (left + right);
    if (aspect < CARD_ASPECT * 0.72 || aspect > CARD_ASPECT * 1.35) return;
    // Opposite sides of a photographed card differ by perspective only so much.
    if (Math.min(top, bottom) / Math.max(top, bottom) < 0.6 || Math.min(left, right) / Math.max(left, right) < 0.6) return;
    // Each side lies on one of the four lines; find which by the side's midpoint.
    const sideLines = [p1, q2, p2, q1];
    const segs: [Point, Point][] = [
      [a, b],
      [b, c],
      [c, d],
      [d, a],
    ];
    let support = 0;
    let borderCount = 0;
    for (const [p, r] of segs) {
      const mid = { x: (p.x + r.x) / 2, y: (p.y + r.y) / 2 };
      let prof = sideLines[0] as LineProfile;
      let dist = Infinity;
      for (const lp of sideLines) {
        const dd = Math.abs(mid.x * Math.cos(lp.line.theta) + mid.y * Math.sin(lp.line.theta) - lp.line.rho);
        if (dd < dist) {
          dist = dd;
          prof = lp;
        }
      }
      if (prof.line.border) borderCount++;
      support += segmentSupport(prof, p, r);
    }
    support /= 4;
    if (borderCount > 0) {
      // Image borders stand in for sides only when the card fills the frame (a scan or a tight crop); in a
      // photo of a card on a desk they would pair with desk lines into a frame-sized false card.
      const frame = [
        { x: 0, y: 0 },
        { x: w, y: 0 },
        { x: w, y: h },
        { x: 0, y: h },
      ];
      const diag = Math.hypot(w, h);
      if ([a, b, c, d].some((pt, i) => Math.hypot(pt.x - (frame[i]?.x ?? 0), pt.y - (frame[i]?.y ?? 0)) > 0.05 * diag)) return;
    }
    // Perspective alone moves the apparent aspect by several per cent: only a larger deviation counts against.
    const aspectPenalty = Math.max(0, Math.abs(Math.log(aspect / CARD_ASPECT)) - 0.07);
    // Outline support dominates; size breaks ties between the card and shapes printed on it.
    const score = support * support * Math.sqrt(area / imageArea) * Math.exp(-5 * aspectPenalty);
    candidates.push({ quad: [a, b, c, d], score, support, borders: borderCount });
  };
  const real = (l: LineProfile) => !l.line.border;
  for (let i = 0; i < horizontals.length; i++) {
    for (let j = i + 1; j < horizontals.length; j++) {
      const p1 = horizontals[i] as LineProfile;
      const p2 = horizontals[j] as LineProfile;
      for (let k = 0; k < verticals.length; k++) {
        for (let m = k + 1; m < verticals.length; m++) consider(p1, p2, verticals[k] as LineProfile, verticals[m] as LineProfile);
        // A side too faint to find (pale card on a pale desk): infer it from the card's aspect ratio.
        const q1 = verticals[k] as LineProfile;
        if (!real(p1) || !real(p2) || !real(q1)) continue;
        const c1 = intersect(p1.line, q1.line);
        const c2 = intersect(p2.line, q1.line);
        if (!c1 || !c2) continue;
        const width = Math.hypot(c2.x - c1.x, c2.y - c1.y) * CARD_ASPECT;
        for (const sign of [-1, 1]) {
          const virtual = profile({ theta: q1.line.theta, rho: q1.line.rho + sign * width, votes: 0, border: false, virtual: true });
          consider(p1, p2, q1, virtual);
        }
      }
    }
  }
  for (let k = 0; k < verticals.length; k++) {
    for (let m = k + 1; m < verticals.length; m++) {
      const q1 = verticals[k] as LineProfile;
      const q2 = verticals[m] as LineProfile;
      if (!real(q1) || !real(q2)) continue;
      for (const p1 of horizontals) {
        if (!real(p1)) continue;
        const c1 = intersect(p1.line, q1.line);
        const c2 = intersect(p1.line, q2.line);
        if (!c1 || !c2) continue;
        const height = Math.hypot(c2.x - c1.x, c2.y - c1.y) / CARD_ASPECT;
        for (const sign of [-1, 1]) {
          const virtual = profile({ theta: p1.line.theta, rho: p1.line.rho + sign * height, votes: 0, border: false, virtual: true });
          consider(p1, virtual, q1, q2);
        }
      }
    }
  }
  // Two sides too faint to find (a pale card on a pale desk shows only its shadowed sides): from each corner
  // of a found horizontal and vertical line, follow the edge hits along both lines to where the card ends, and
  // infer the two missing sides from those lengths (or from one of them and the aspect ratio).
  for (const ph of horizontals) {
    if (!real(ph)) continue;
    for (const pv of verticals) {
      if (!real(pv)) continue;
      const corner = intersect(ph.line, pv.line);
      if (!corner || corner.x < -0.03 * w || corner.y < -0.03 * h || corner.x > 1.03 * w || corner.y > 1.03 * h) continue;
      const along = (pr: LineProfile) => edgeRun(pr, corner, Math.min(w, h) * 0.1);
      const rh = along(ph);
      const rv = along(pv);
      if (!rh || !rv) continue;
      const options: [number, number][] = [
        [rh.length, rv.length],
        [rh.length, rh.length / CARD_ASPECT],
        [rv.length * CARD_ASPECT, rv.length],
      ];
      for (const [lh, lv] of options) {
        if (lh < 0.15 * Math.min(w, h) || lv < 0.1 * Math.min(w, h)) continue;
        const farH = { x: corner.x + rh.dir.x * lh, y: corner.y + rh.dir.y * lh };
        const farV = { x: corner.x + rv.dir.x * lv, y: corner.y + rv.dir.y * lv };
        const oppositeH = profile({ theta: ph.line.theta, rho: farV.x * Math.cos(ph.line.theta) + farV.y * Math.sin(ph.line.theta), votes: 0, border: false, virtual: true });
        const oppositeV = profile({ theta: pv.line.theta, rho: farH.x * Math.cos(pv.line.theta) + farH.y * Math.sin(pv.line.theta), votes: 0, border: false, virtual: true });
        consider(ph, oppositeH, pv, oppositeV);
      }
    }
  }
  const inv = 1 / scale;
  // Distinct outlines with good edge support are judged by how consistently their sides are colour steps
  // (card inside, desk outside; desk stripes, guilloche curves and lines that happen to meet at card-like angles
  // are not); the best few are refined at full resolution and judged again.
  candidates.sort((x, y) => y.score - x.score);
  const distinct: Candidate[] = [];
  const workDiag = Math.hypot(w, h);
  for (const c of candidates) {
    if (distinct.length >= MAX_CANDIDATES) break;
    if (c.score < 0.15 * (candidates[0]?.score ?? 0)) break;
    const same = distinct.some((d) => d.quad.every((p, i) => Math.hypot(p.x - (c.quad[i]?.x ?? 0), p.y - (c.quad[i]?.y ?? 0)) < 0.01 * workDiag));
    if (!same) distinct.push(c);
  }
  const top = distinct[0]?.score ?? 1;
  const judged = distinct
    .map((c) => {
      const coarse = c.quad.map((p) => ({ x: p.x * inv, y: p.y * inv })) as unknown as Quad;
      return { c, coarse, steps: stepScore(img, coarse) * Math.sqrt(c.score / top) * marginWeight(img, coarse) };
    })
    .sort((x, y) => y.steps - x.steps)
    .slice(0, REFINED_CANDIDATES);
  let chosen: { quad: Quad; candidate: Candidate; steps: number } | undefined;
  for (const { c, coarse } of judged) {
    const cardWidth = Math.hypot(coarse[1].x - coarse[0].x, coarse[1].y - coarse[0].y);
    let quad = refineQuad(img, coarse, Math.max(6, 0.03 * cardWidth));
    quad = refineQuad(img, quad, Math.max(3, 0.008 * cardWidth));
    const steps = stepScore(img, quad) * Math.sqrt(c.score / top) * marginWeight(img, quad);
    if (!chosen || steps > chosen.steps) chosen = { quad, candidate: c, steps };
  }
  if (!chosen) {
    return {
      quad: orderCorners([
        { x: 0, y: 0 },
        { x: img.width, y: 0 },
        { x: img.width, y: img.height },
        { x: 0, y: img.height },
      ]),
      confidence: 0.2,
      method: 'frame',
    };
  }
  const best = chosen.candidate;
  return { quad: chosen.quad, confidence: Math.min(1, best.support), method: best.borders > 0 ? 'frame' : 'edges' };
}

/**
 * The outline's four sides with their inward unit normals (towards the centre), and the first side's length;
 * undefined when a side is too short to judge.
 */
function inwardEdges(quad: Quad): { width: number; sides: { a: Point; b: Point; nx: number; ny: number }[] } | undefined {
  const cx = quad.reduce((s, p) => s + p.x, 0) / 4;
  const cy = quad.reduce((s, p) => s + p.y, 0) / 4;
  const sides: { a: Point; b: Point; nx: number; ny: number }[] = [];
  for (let i = 0; i < 4; i++) {
    const a = quad[i] as Point;
    const b = quad[(i + 1) % 4] as Point;
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    if (len < 4) return undefined;
    let nx = -(b.y - a.y) / len;
    let ny = (b.x - a.x) / len;
    if ((cx - (a.x + b.x) / 2) * nx + (cy - (a.y + b.y) / 2) * ny < 0) {
      nx = -nx;
      ny = -ny;
    }
    sides.push({ a, b, nx, ny });
  }
  return { width: Math.hypot(quad[1].x - quad[0].x, quad[1].y - quad[0].y), sides };
}

const MAX_CANDIDATES = 60;
const REFINED_CANDIDATES = 4;

/**
 * 0–1: how much of the outline is a clear colour step between a band just inside and a band just outside.
 * Sides on the image border count as 0.4 (a scan or a tight crop has no outside).
 */
export function stepScore(img: RgbaImage, quad: Quad): number {
  const edges = inwardEdges(quad);
  if (!edges) return 0;
  const width = edges.width;
  const near = Math.max(1.5, 0.004 * width);
  const far = Math.max(4, 0.012 * width);
  let total = 0;
  for (const { a, b, nx, ny } of edges.sides) {
    const outX = (a.x + b.x) / 2 - nx * far;
    const outY = (a.y + b.y) / 2 - ny * far;
    if (outX < 0 || outY < 0 || outX >= img.width || outY >= img.height) {
      total += 0.4;
      continue;
    }
    const n = 40;
    let hits = 0;
    for (let k = 0; k < n; k++) {
      const f = 0.1 + (0.8 * (k + 0.5)) / n;
      const bx = a.x + (b.x - a.x) * f;
      const by = a.y + (b.y - a.y) * f;
      let d = 0;
      for (let c = 0; c < 3; c++) {
        let inside = 0;
        let outside = 0;
        for (let j = 0; j < 3; j++) {
          const o = near + ((far - near) * j) / 2;
          inside += sampleChannel(img, bx + nx * o, by + ny * o, c);
          outside += sampleChannel(img, bx - nx * o, by - ny * o, c);
        }
        d = Math.max(d, Math.abs(inside - outside) / 3);
      }
      if (d > 10) hits++;
    }
    total += hits / n;
  }
  return total / 4;
}

/**
 * 0–1: how even the band just inside the outline is. A card's margin is plain paper (pale pattern, no text
 * within 2.5 % of the edge); an outline drawn by a checked or striped desk, or one that takes in desk beside the
 * card, crosses light and dark there. Per side (light falls off across a card, not along a narrow band much),
 * brightest channel, robust spread (inter-quartile) so a thumb over one corner costs little.
 */
export function marginUniformity(img: RgbaImage, quad: Quad): number {
  const edges = inwardEdges(quad);
  if (!edges) return 0;
  const width = edges.width;
  const inset = 0.025 * width;
  let spread = 0;
  for (const { a, b, nx, ny } of edges.sides) {
    const values: number[] = [];
    for (let k = 0; k < 32; k++) {
      const f = 0.12 + (0.76 * (k + 0.5)) / 32;
      const x = a.x + (b.x - a.x) * f + nx * inset;
      const y = a.y + (b.y - a.y) * f + ny * inset;
      if (x < 0 || y < 0 || x >= img.width - 1 || y >= img.height - 1) continue;
      values.push(Math.max(sampleChannel(img, x, y, 0), sampleChannel(img, x, y, 1), sampleChannel(img, x, y, 2)));
    }
    if (values.length < 8) continue;
    values.sort((p, q) => p - q);
    const q1 = values[Math.floor(values.length * 0.25)] ?? 0;
    const q3 = values[Math.floor(values.length * 0.75)] ?? 0;
    spread += (q3 - q1) / 4;
  }
  return Math.exp(-spread / 20);
}

/** Weight of the margin's evenness in judging outlines: a soft factor, edges still decide between good ones. */
function marginWeight(img: RgbaImage, quad: Quad): number {
  return 0.35 + 0.65 * marginUniformity(img, quad);
}

/** Corners in angular order around their centre (any start), for area computation only. */
function orderCornersLoose(points: Point[]): Point[] {
  const cx = points.reduce((s, p) => s + p.x, 0) / points.length;
  const cy = points.reduce((s, p) => s + p.y, 0) / points.length;
  return [...points].sort((a, b) => Math.atan2(a.y - cy, a.x - cx) - Math.atan2(b.y - cy, b.x - cx));
}

function sampleChannel(img: RgbaImage, x: number, y: number, c: number): number {
  const xi = Math.max(0, Math.min(img.width - 2, Math.floor(x)));
  const yi = Math.max(0, Math.min(img.height - 2, Math.floor(y)));
  const fx = Math.max(0, Math.min(1, x - xi));
  const fy = Math.max(0, Math.min(1, y - yi));
  const i = (yi * img.width + xi) * 4 + c;
  const d = img.data;
  const w4 = img.width * 4;
  return ((d[i] ?? 0) * (1 - fx) + (d[i + 4] ?? 0) * fx) * (1 - fy) + ((d[i + w4] ?? 0) * (1 - fx) + (d[i + w4 + 4] ?? 0) * fx) * fy;
}

/**
 * Position of the card edge near the segment p→q, as an offset along the inward normal. Each candidate offset is
 * scored by a step filter: the mean colour of a band just inside minus a band just outside, averaged (signed)
 * along the segment, so a straight colour step wins while thin guilloche lines and desk texture (similar colour
 * on both sides, or changing sign along the side) cancel out. The strongest step wins: the card-to-shadow step
 * is stronger than the shadow-to-desk one.
 */
function edgeOffset(img: RgbaImage, p: Point, q: Point, inward: Point, range: number, band: number): number | undefined {
  const samples = 32;
  const steps = Math.max(4, Math.round(range));
  const unit = range / steps;
  // Cross-section samples from −(range + band) to +(range + band), 1 px apart in `unit` steps.
  const reach = steps + Math.ceil(band / unit);
  const cross = new Float64Array((2 * reach + 1) * 3);
  for (let s = 0; s < samples; s++) {
    const f = (s + 0.5) / samples;
    const bx = p.x + (q.x - p.x) * f;
    const by = p.y + (q.y - p.y) * f;
    for (let k = -reach; k <= reach; k++) {
      const x = bx + inward.x * k * unit;
      const y = by + inward.y * k * unit;
      for (let c = 0; c < 3; c++) cross[(k + reach) * 3 + c] = (cross[(k + reach) * 3 + c] ?? 0) + sampleChannel(img, x, y, c);
    }
  }
  const bandSteps = Math.max(1, Math.round(band / unit));
  const profile = new Float64Array(2 * steps + 1);
  // Inside minus outside brightness (sum of channels): a shadow band is darker than both card and desk.
  const signed = new Float64Array(2 * steps + 1);
  for (let k = -steps; k <= steps; k++) {
    let best = 0;
    let sum = 0;
    for (let c = 0; c < 3; c++) {
      let inside = 0;
      let outside = 0;
      for (let j = 1; j <= bandSteps; j++) {
        inside += cross[(k + j + reach) * 3 + c] ?? 0;
        outside += cross[(k - j + reach) * 3 + c] ?? 0;
      }
      best = Math.max(best, Math.abs(inside - outside) / (bandSteps * samples));
      sum += inside - outside;
    }
    profile[k + steps] = best;
    signed[k + steps] = sum;
  }
  const isPeak = (k: number) => (profile[k] ?? 0) >= (profile[k - 1] ?? 0) && (profile[k] ?? 0) >= (profile[k + 1] ?? 0);
  let max = 0;
  let chosen: number | undefined;
  for (let k = 1; k < profile.length - 1; k++) {
    const v = profile[k] ?? 0;
    if (v > max && isPeak(k)) {
      max = v;
      chosen = k;
    }
  }
  if (max < 4 || chosen === undefined) return undefined;
  // The strongest step is dark inside, bright outside: the outer rim of a shadow. The card edge is then the
  // nearest strong bright-inside step further in.
  if ((signed[chosen] ?? 0) < 0) {
    for (let k = chosen + 1; k < profile.length - 1; k++) {
      if ((profile[k] ?? 0) >= 0.5 * max && isPeak(k) && (signed[k] ?? 0) > 0) {
        chosen = k;
        break;
      }
    }
  }
  return (chosen - steps) * unit;
}

/**
 * Sharpen each side of a quadrilateral: the two halves of every side are moved to the strongest colour step
 * within `range` pixels, then the corners are re-intersected.
 */
function refineQuad(img: RgbaImage, quad: Quad, range: number): Quad {
  const cx = quad.reduce((s, p) => s + p.x, 0) / 4;
  const cy = quad.reduce((s, p) => s + p.y, 0) / 4;
  const lines: { p: Point; q: Point }[] = [];
  const band = Math.max(2, Math.min(3, range / 3));
  for (let i = 0; i < 4; i++) {
    const a = quad[i] as Point;
    const b = quad[(i + 1) % 4] as Point;
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    let nx = -(b.y - a.y) / len;
    let ny = (b.x - a.x) / len;
    const mx = (a.x + b.x) / 2;
    const my = (a.y + b.y) / 2;
    if ((cx - mx) * nx + (cy - my) * ny < 0) {
      nx = -nx;
      ny = -ny;
    }
    const inward = { x: nx, y: ny };
    const margin = 3;
    const onBorder =
      (a.x < margin && b.x < margin) ||
      (a.y < margin && b.y < margin) ||
      (a.x > img.width - margin && b.x > img.width - margin) ||
      (a.y > img.height - margin && b.y > img.height - margin);
    if (onBorder) {
      // The card runs off the frame here: there is no edge to find.
      lines.push({ p: a, q: b });
      continue;
    }
    // Two halves, each refined on its own, let the side's angle change as well as its position.
    const lerp = (f: number) => ({ x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f });
    const o1 = edgeOffset(img, lerp(0.08), lerp(0.46), inward, range, band);
    const o2 = edgeOffset(img, lerp(0.54), lerp(0.92), inward, range, band);
    const c1 = lerp(0.27);
    const c2 = lerp(0.73);
    const p = o1 === undefined ? c1 : { x: c1.x + nx * o1, y: c1.y + ny * o1 };
    const q = o2 === undefined ? c2 : { x: c2.x + nx * o2, y: c2.y + ny * o2 };
    lines.push({ p, q });
  }
  const meet = (l: { p: Point; q: Point }, m: { p: Point; q: Point }): Point | undefined => {
    const d1x = l.q.x - l.p.x;
    const d1y = l.q.y - l.p.y;
    const d2x = m.q.x - m.p.x;
    const d2y = m.q.y - m.p.y;
    const det = d1x * d2y - d1y * d2x;
    if (Math.abs(det) < 1e-9) return undefined;
    const t = ((m.p.x - l.p.x) * d2y - (m.p.y - l.p.y) * d2x) / det;
    return { x: l.p.x + d1x * t, y: l.p.y + d1y * t };
  };
  const out: Point[] = [];
  for (let i = 0; i < 4; i++) {
    // Corner i joins side i−1 (ending at it) and side i (starting at it).
    const corner = meet(lines[(i + 3) % 4] as { p: Point; q: Point }, lines[i] as { p: Point; q: Point });
    const original = quad[i] as Point;
    // A refinement that moves a corner far is a wrong edge: keep the coarse corner.
    if (!corner || Math.hypot(corner.x - original.x, corner.y - original.y) > 3 * range) out.push(original);
    else out.push(corner);
  }
  return out as unknown as Quad;
}
