/**
 * Procedural fingerprints for the simulator: each finger id gets its own ridge pattern (whorl, loop or arch
 * around its own core, its own ridge period and elastic warp) and its own minutiae, made as spiral-phase
 * dislocations in the ridge phase field (Larkin & Fletcher's construction: a ±1 winding in the phase makes
 * a ridge end or fork exactly there). Each placement moves and turns the finger a little and draws fresh
 * sensor noise, so two captures of one finger differ like real ones do; `quality` (0..1) controls contrast,
 * noise, dry patches and how much of the finger touches the window.
 * Everything comes from seeded random numbers: a test or demo replays exactly.
 */
import type { GrayImage } from '../fingerprint-driver.js';
import { IMAGE_HEIGHT, IMAGE_WIDTH } from '../r30x-protocol.js';
import { seededRandom, seedFromString } from '../../simulators/seeded-random.js';

export const SIMULATED_DPI = 500;

export type PatternType = 'whorl' | 'loop' | 'arch';

/** A ridge ending or fork in sensor coordinates; angle of the local ridge flow in [0, 2π). */
export interface Minutia {
  x: number;
  y: number;
  angle: number;
}

export interface FingerPlacement {
  /** Which finger: any stable key (e.g. "candidate-7/right-index"); the same key gives the same ridges. */
  fingerId: string;
  /** 0 (unusable) … 1 (clean, well-pressed print). Default 0.85. */
  quality?: number;
  /** Seeds this placement's position, rotation and noise. Default 1. */
  placementSeed?: number;
}

export interface SyntheticPrint {
  image: GrayImage;
  /** Minutiae visible in this image (inside the touched area, outside dry patches). */
  minutiae: Minutia[];
}

interface FingerModel {
  type: PatternType;
  coreX: number;
  coreY: number;
  period: number;
  ellipticity: number;
  tilt: number;
  archHeight: number;
  archWidth: number;
  warps: { ax: number; ay: number; fx: number; fy: number; phase: number }[];
  dislocations: { x: number; y: number; sign: number }[];
}

const patternTypes: readonly PatternType[] = ['whorl', 'loop', 'arch'];

function fingerModel(fingerId: string): FingerModel {
  const rnd = seededRandom(seedFromString(`finger:${fingerId}`));
  const between = (a: number, b: number) => a + (b - a) * rnd();
  const type = patternTypes[Math.floor(rnd() * patternTypes.length)]!;
  const warps = Array.from({ length: 3 }, () => ({
    ax: between(-9, 9),
    ay: between(-9, 9),
    fx: between(-1, 1) / between(50, 140),
    fy: between(-1, 1) / between(50, 140),
    phase: between(0, 2 * Math.PI),
  }));
  const dislocations = Array.from({ length: Math.floor(between(28, 42)) }, () => {
    // Uniform over the finger's ellipse (finger coordinates are centred on the window).
    const r = Math.sqrt(rnd());
    const t = between(0, 2 * Math.PI);
    return { x: r * 92 * Math.cos(t), y: r * 120 * Math.sin(t), sign: rnd() < 0.5 ? -1 : 1 };
  });
  return {
    type,
    coreX: between(-28, 28),
    coreY: between(-35, 20),
    period: between(8.5, 11),
    ellipticity: between(0.75, 1.3),
    tilt: between(-0.45, 0.45),
    archHeight: between(25, 55),
    archWidth: between(35, 70),
    warps,
    dislocations,
  };
}

/** The continuous (minutia-free) ridge phase in cycles at finger coordinates (u, v). */
function basePhase(m: FingerModel, u: number, v: number): number {
  let wu = u;
  let wv = v;
  for (const w of m.warps) {
    const s = Math.sin(u * w.fx + v * w.fy + w.phase);
    wu += w.ax * s;
    wv += w.ay * s;
  }
  const dx0 = wu - m.coreX;
  const dy0 = wv - m.coreY;
  const c = Math.cos(m.tilt);
  const s = Math.sin(m.tilt);
  const dx = c * dx0 + s * dy0;
  const dy = -s * dx0 + c * dy0;
  switch (m.type) {
    case 'whorl':
      return Math.hypot(dx, dy * m.ellipticity) / m.period;
    case 'loop':
      // Half rings above the core continue as a U opening downwards.
      return (dy < 0 ? Math.hypot(dx, dy * m.ellipticity) : Math.abs(dx) + 0.002 * dy * dy) / m.period;
    case 'arch':
      return (dy + m.archHeight * Math.exp(-(dx * dx) / (2 * m.archWidth * m.archWidth))) / m.period;
  }
}

function gaussian(rnd: () => number): number {
  const u = Math.max(1e-12, rnd());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
}

export function renderFinger(placement: FingerPlacement): SyntheticPrint {
  const quality = Math.max(0, Math.min(1, placement.quality ?? 0.85));
  const model = fingerModel(placement.fingerId);
  const rnd = seededRandom(seedFromString(`placement:${placement.fingerId}:${placement.placementSeed ?? 1}`));
  const between = (a: number, b: number) => a + (b - a) * rnd();

  const width = IMAGE_WIDTH;
  const height = IMAGE_HEIGHT;
  const cx = width / 2 + between(-10, 10);
  const cy = height / 2 + between(-10, 10);
  const rot = between(-3, 3) * (Math.PI / 180);
  const cosR = Math.cos(rot);
  const sinR = Math.sin(rot);
  const reach = 0.55 + 0.45 * quality;
  const axisU = 100 * reach;
  const axisV = 128 * reach;
  const span = 70 + 150 * quality;
  const noise = 5 + 55 * (1 - quality);
  const dry = Array.from({ length: Math.round((1 - quality) * 12) }, () => ({
    u: between(-80, 80),
    v: between(-100, 100),
    r: between(12, 35),
  }));

  const toFinger = (x: number, y: number): [number, number] => {
    const dx = x - cx;
    const dy = y - cy;
    return [cosR * dx + sinR * dy, -sinR * dx + cosR * dy];
  };
  const touch = (u: number, v: number): number => {
    const e = Math.hypot(u / axisU, v / axisV);
    return e <= 0.92 ? 1 : e >= 1 ? 0 : (1 - e) / 0.08;
  };
  const dryness = (u: number, v: number): number => {
    let keep = 1;
    for (const d of dry) {
      const r = Math.hypot(u - d.u, v - d.v) / d.r;
      if (r < 1) keep = Math.min(keep, 0.15 + 0.85 * r * r);
    }
    return keep;
  };

  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const [u, v] = toFinger(x, y);
      const t = touch(u, v);
      let value = 242;
      if (t > 0) {
        let phase = 2 * Math.PI * basePhase(model, u, v);
        for (const d of model.dislocations) phase += d.sign * Math.atan2(v - d.y, u - d.x);
        const ridge = 0.5 + 0.5 * Math.cos(phase);
        const strength = t * dryness(u, v);
        value = 242 - strength * (span * ridge + (242 - span) * 0.25);
      }
      value += noise * gaussian(rnd);
      pixels[y * width + x] = Math.max(0, Math.min(255, Math.round(value)));
    }
  }

  const minutiae: Minutia[] = [];
  for (const d of model.dislocations) {
    if (touch(d.x, d.y) < 1 || dryness(d.x, d.y) < 0.9) continue;
    // Back to sensor coordinates: rotate by +rot and move to the placement centre.
    const x = cx + cosR * d.x - sinR * d.y;
    const y = cy + sinR * d.x + cosR * d.y;
    if (x < 8 || y < 8 || x >= width - 8 || y >= height - 8) continue;
    // Ridge flow direction: perpendicular to the phase gradient, turned with the finger.
    const gu = basePhase(model, d.x + 1, d.y) - basePhase(model, d.x - 1, d.y);
    const gv = basePhase(model, d.x, d.y + 1) - basePhase(model, d.x, d.y - 1);
    let angle = Math.atan2(gv, gu) + Math.PI / 2 + rot + (d.sign < 0 ? Math.PI : 0);
    angle = ((angle % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
    minutiae.push({ x, y, angle });
  }
  return { image: { width, height, dpi: SIMULATED_DPI, pixels }, minutiae };
}
