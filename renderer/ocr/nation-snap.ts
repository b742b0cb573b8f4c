/**
 * The 民族 value is one of the 56 names of GB/T 3304 (codes 01–56), never free text: a reading is snapped to the
 * closest name with a confidence that says how close, and how far ahead of the runner-up, it was.
 */

/** Edit distance over code points. */
export function editDistance(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (x[i - 1] === y[j - 1] ? 0 : 1)));
    }
    prev = cur;
  }
  return prev[y.length] ?? 0;
}

export interface NationSnap {
  name: string;
  code: string;
  /** 0–1: 1 for an exact name with nothing else near; lower for edits and for a close runner-up. */
  confidence: number;
  /** The reading (after label remnants were dropped) was exactly this name. */
  exact: boolean;
}

/** The 56 groups only: 97 其他 and 98 外国血统 are not printed in the 民族 box of a resident card. */
function groups(table: ReadonlyMap<string, string>): [string, string][] {
  return [...table].filter(([code]) => /^\d{2}$/u.test(code) && Number(code) >= 1 && Number(code) <= 56);
}

/**
 * Cost of `name` against the end of `reading`: the value is printed last on the 性别…民族 line, and what precedes
 * it (the blue 民族 label's remains, a dot of the pattern) is not its business. The cheapest alignment of the
 * name with some suffix of the reading, and that suffix.
 */
function suffixCost(reading: string[], name: string[]): { cost: number; extra: number } {
  let best = { cost: Number.POSITIVE_INFINITY, extra: 0 };
  for (let k = Math.max(0, name.length - 1); k <= Math.min(reading.length, name.length + 1); k++) {
    const tail = reading.slice(reading.length - k).join('');
    const cost = editDistance(tail, name.join(''));
    if (cost < best.cost) best = { cost, extra: reading.length - k };
  }
  return best;
}

/**
 * Snap a reading of the 民族 box (label remnants and the sex allowed in front) to the closest of the 56 names.
 * Undefined when the reading holds no Chinese character or shares no character with any name.
 */
export function snapNation(text: string, table: ReadonlyMap<string, string>): NationSnap | undefined {
  const reading = Array.from(text.replace(/[^\u4E00-\u9FFF]/gu, '').replace(/族$/u, ''));
  if (reading.length === 0) return undefined;
  const scored = groups(table)
    .map(([code, name]) => {
      const { cost, extra } = suffixCost(reading, Array.from(name));
      // Relative cost: one wrong character of 维吾尔 is a closer call than one wrong character of 汉.
      return { code, name, cost, rel: cost / Array.from(name).length, extra };
    })
    .sort((a, b) => a.rel - b.rel || a.cost - b.cost || b.name.length - a.name.length);
  const best = scored[0];
  // Nothing of any name in the reading: that is no nation, and the field says so (not read) instead of guessing.
  if (!best || best.rel >= 1) return undefined;
  const runnerUp = scored.find((s) => s.name !== best.name);
  const margin = runnerUp === undefined ? 1 : Math.min(1, runnerUp.rel - best.rel);
  const exact = best.cost === 0;
  // Exact and alone: certain. Otherwise the share of the name that matched, scaled by the lead over the
  // runner-up (a tie is a coin toss and says so).
  const confidence = exact && margin >= 0.5 ? 1 : Math.max(0, Math.min(1, (1 - best.rel) * (0.5 + margin / 2)));
  return { name: best.name, code: best.code, confidence, exact };
}
