import { descriptorDistance, type DistanceMetric } from '../../renderer/face/face-match.js';
import type { FixtureGroup } from '../../test/support/face/fixtures.js';

export interface DescribedPhoto {
  readonly identity: string;
  readonly group: FixtureGroup;
  readonly descriptor: Float32Array;
}

export interface PairDistances {
  readonly genuine: number[];
  readonly impostor: number[];
}

/**
 * All unordered pairs whose both sides satisfy `keep`: same identity → genuine, else impostor. With `references`
 * (same order and length as `photos`, undefined where unusable), pair (i, j) compares reference i with photo j:
 * a degraded reference (chip-photo stand-in) against an ordinary picture.
 */
export function pairDistances(
  photos: readonly (DescribedPhoto | undefined)[],
  keep: (p: DescribedPhoto) => boolean,
  metric: DistanceMetric = 'euclidean',
  references?: readonly (DescribedPhoto | undefined)[],
): PairDistances {
  const genuine: number[] = [];
  const impostor: number[] = [];
  for (let i = 0; i < photos.length; i++) {
    const a = references ? references[i] : photos[i];
    if (!a || !photos[i] || !keep(photos[i]!)) continue;
    for (let j = i + 1; j < photos.length; j++) {
      const b = photos[j];
      if (!b || !keep(b)) continue;
      (a.identity === b.identity ? genuine : impostor).push(descriptorDistance(a.descriptor, b.descriptor, metric));
    }
  }
  return { genuine, impostor };
}

export interface Rates {
  readonly at: number;
  /** Share of genuine pairs with distance < at (accepted). */
  readonly genuineAccept: number;
  /** Share of impostor pairs with distance < at (falsely accepted). */
  readonly falseAccept: number;
  readonly falseAcceptCount: number;
}

export function ratesAt(pairs: PairDistances, at: number): Rates {
  const ga = pairs.genuine.filter((d) => d < at).length;
  const fa = pairs.impostor.filter((d) => d < at).length;
  return {
    at,
    genuineAccept: pairs.genuine.length ? ga / pairs.genuine.length : Number.NaN,
    falseAccept: pairs.impostor.length ? fa / pairs.impostor.length : Number.NaN,
    falseAcceptCount: fa,
  };
}

/**
 * The operating point at an impostor-accept target: the largest distance cut that accepts at most
 * `far` × impostors (floor), and the genuine share it accepts. With 6,608 impostor pairs, 0.01 % allows none.
 */
export function atFalseAccept(pairs: PairDistances, far: number): Rates {
  const sorted = [...pairs.impostor].sort((a, b) => a - b);
  const allowed = Math.floor(far * sorted.length);
  const cut = sorted[allowed] ?? Number.POSITIVE_INFINITY;
  return ratesAt(pairs, cut);
}

/** Equal error rate over every observed distance (one sorted sweep): where 1 − GA and FA cross. */
export function equalErrorRate(pairs: PairDistances): { at: number; rate: number } {
  const g = [...pairs.genuine].sort((a, b) => a - b);
  const im = [...pairs.impostor].sort((a, b) => a - b);
  let best = { at: 0, rate: 1, gap: Infinity };
  let gi = 0;
  let ii = 0;
  for (const t of [...g, ...im].sort((a, b) => a - b)) {
    while (gi < g.length && g[gi]! < t) gi++;
    while (ii < im.length && im[ii]! < t) ii++;
    const frr = 1 - gi / g.length;
    const far = ii / im.length;
    const gap = Math.abs(frr - far);
    if (gap < best.gap) best = { at: t, rate: (frr + far) / 2, gap };
  }
  return { at: best.at, rate: best.rate };
}
