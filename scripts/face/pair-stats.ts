import { euclideanDistance } from '../../renderer/face/face-match.js';
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

/** All unordered pairs whose both sides satisfy `keep`: same identity → genuine, else impostor. */
export function pairDistances(photos: readonly DescribedPhoto[], keep: (p: DescribedPhoto) => boolean): PairDistances {
  const kept = photos.filter(keep);
  const genuine: number[] = [];
  const impostor: number[] = [];
  for (let i = 0; i < kept.length; i++) {
    for (let j = i + 1; j < kept.length; j++) {
      const a = kept[i]!;
      const b = kept[j]!;
      (a.identity === b.identity ? genuine : impostor).push(euclideanDistance(a.descriptor, b.descriptor));
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

/** Equal error rate by scanning thresholds (0.001 steps): where 1 − GA and FA cross. */
export function equalErrorRate(pairs: PairDistances): { at: number; rate: number } {
  let best = { at: 0, rate: 1, gap: Infinity };
  for (let t = 0.2; t <= 1; t += 0.001) {
    const r = ratesAt(pairs, t);
    const gap = Math.abs(1 - r.genuineAccept - r.falseAccept);
    if (gap < best.gap) best = { at: t, rate: (1 - r.genuineAccept + r.falseAccept) / 2, gap };
  }
  return { at: Math.round(best.at * 1000) / 1000, rate: best.rate };
}
