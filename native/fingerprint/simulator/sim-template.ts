/**
 * The simulator's stand-in for a module's character file (CharBuffer content): its minutiae, packed into the
 * 512 bytes real modules upload, and a 1:1 matcher over them. Real modules' templates are opaque vendor bytes;
 * the driver never looks inside, so this format only has to be self-consistent.
 *
 *   "SMT1" | count (1) | count × [x (2, BE), y (2, BE), angle (1, 256 steps per turn)] | zero padding
 */
import type { Minutia } from './synthetic-finger.js';

export const TEMPLATE_BYTES = 512;
const MAGIC = [0x53, 0x4d, 0x54, 0x31];
const MAX_MINUTIAE = Math.floor((TEMPLATE_BYTES - 5) / 5);

export function encodeTemplate(minutiae: readonly Minutia[]): Uint8Array {
  const out = new Uint8Array(TEMPLATE_BYTES);
  out.set(MAGIC, 0);
  const list = minutiae.slice(0, MAX_MINUTIAE);
  out[4] = list.length;
  list.forEach((m, i) => {
    const at = 5 + i * 5;
    const x = Math.round(m.x);
    const y = Math.round(m.y);
    out[at] = x >> 8;
    out[at + 1] = x & 0xff;
    out[at + 2] = y >> 8;
    out[at + 3] = y & 0xff;
    out[at + 4] = Math.round((m.angle / (2 * Math.PI)) * 256) & 0xff;
  });
  return out;
}

/** undefined when the bytes are not a simulator template (e.g. random bytes sent with DownChar). */
export function decodeTemplate(bytes: Uint8Array): Minutia[] | undefined {
  if (bytes.length < 5 || MAGIC.some((b, i) => bytes[i] !== b)) return undefined;
  const count = bytes[4]!;
  if (count > MAX_MINUTIAE || 5 + count * 5 > bytes.length) return undefined;
  const out: Minutia[] = [];
  for (let i = 0; i < count; i += 1) {
    const at = 5 + i * 5;
    out.push({
      x: (bytes[at]! << 8) | bytes[at + 1]!,
      y: (bytes[at + 2]! << 8) | bytes[at + 3]!,
      angle: (bytes[at + 4]! / 256) * 2 * Math.PI,
    });
  }
  return out;
}

const DISTANCE = 10;
const ANGLE = (25 * Math.PI) / 180;
const BIN = 6;

function angleGap(a: number, b: number): number {
  const d = Math.abs(a - b) % (2 * Math.PI);
  return d > Math.PI ? 2 * Math.PI - d : d;
}

/**
 * Score in the style of R30x modules (0 … ~300, 0 = unrelated): find the translation most minutia pairs agree
 * on, then count one-to-one pairs close in place and direction under it. Few pairs are discounted, since a
 * handful can agree by chance.
 */
export function matchScore(a: readonly Minutia[], b: readonly Minutia[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const votes = new Map<number, number>();
  for (const p of a) {
    for (const q of b) {
      if (angleGap(p.angle, q.angle) > ANGLE) continue;
      const key = Math.round((q.x - p.x) / BIN) * 1000 + Math.round((q.y - p.y) / BIN);
      votes.set(key, (votes.get(key) ?? 0) + 1);
    }
  }
  let bestKey = 0;
  let bestVotes = -1;
  for (const [key, count] of votes) {
    if (count > bestVotes) {
      bestVotes = count;
      bestKey = key;
    }
  }
  if (bestVotes <= 0) return 0;
  const ty = bestKey - Math.round(bestKey / 1000) * 1000;
  const tx = Math.round((bestKey - ty) / 1000);
  const used = new Set<number>();
  let matched = 0;
  for (const p of a) {
    let pick = -1;
    let pickDistance = DISTANCE;
    b.forEach((q, j) => {
      if (used.has(j) || angleGap(p.angle, q.angle) > ANGLE) return;
      const d = Math.hypot(q.x - p.x - tx * BIN, q.y - p.y - ty * BIN);
      if (d <= pickDistance) {
        pick = j;
        pickDistance = d;
      }
    });
    if (pick !== -1) {
      used.add(pick);
      matched += 1;
    }
  }
  const share = matched / ((a.length + b.length) / 2);
  return Math.round(300 * share * Math.min(1, matched / 8));
}
