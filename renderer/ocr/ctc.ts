/**
 * CTC greedy decoding for PP-OCR recognition models: per time step the best class, repeats collapsed, the blank
 * (class 0) dropped, characters in their compatibility form (full-width digits as ASCII). Pure and allocation-light so it can be tested and fuzzed without a model.
 */

function score(v: number | undefined): number {
  const n = Number(v);
  return Number.isFinite(n) ? n : Number.NEGATIVE_INFINITY;
}

/** A masked-in class must reach this probability when the model's own best class was masked out. */
const MASKED_MIN = 0.2;

export interface CtcChar {
  text: string;
  /** Softmax probability of the chosen class at its best time step (0–1). */
  confidence: number;
  /** Time step (column of the model's output) where the character peaked. */
  step: number;
}

export interface CtcResult {
  text: string;
  /** Mean character confidence; 0 when nothing was read. */
  confidence: number;
  chars: CtcChar[];
}

/**
 * PP-OCR's character list as the models were trained: one character a line in the dictionary file, then a space
 * (use_space_char), with the CTC blank as class 0 in front of them.
 */
export function parseDictionary(text: string): string[] {
  const lines = text.replace(/\r/gu, '').split('\n');
  // A trailing newline would add an empty entry the model has no class for.
  if (lines.at(-1) === '') lines.pop();
  return ['', ...lines, ' '];
}

/**
 * The classes a decode may emit: `allowed` characters only (plus the blank), or every class when `allowed` is
 * empty. Masking before the argmax turns a look-alike the field cannot contain (O in a number) into the best
 * legal reading instead of a character to repair later. A class counts as allowed when its compatibility form
 * is: the model reads widely spaced digits as full-width ones (１ for 1), which are the same digit.
 */
export function classMask(dictionary: readonly string[], allowed: string | undefined): Uint8Array | undefined {
  if (allowed === undefined || allowed === '') return undefined;
  const set = new Set(Array.from(allowed));
  const mask = new Uint8Array(dictionary.length);
  mask[0] = 1;
  for (let k = 1; k < dictionary.length; k++) {
    const ch = dictionary[k] ?? '';
    if (set.has(ch) || set.has(ch.normalize('NFKC'))) mask[k] = 1;
  }
  return mask;
}

/**
 * Greedy decode of model output `logits` (steps × classes, row-major). The output of PP-OCRv3/v4 rec models is
 * already a softmax; `softmax: true` normalises raw scores (other exports) first.
 */
export function ctcGreedyDecode(
  logits: ArrayLike<number>,
  steps: number,
  classes: number,
  dictionary: readonly string[],
  options: { mask?: Uint8Array | undefined; softmax?: boolean } = {},
): CtcResult {
  if (!Number.isInteger(steps) || !Number.isInteger(classes) || steps < 0 || classes < 1 || logits.length < steps * classes) {
    throw new RangeError(`ctc: ${String(logits.length)} values for ${String(steps)}×${String(classes)}`);
  }
  const mask = options.mask;
  const chars: CtcChar[] = [];
  let previous = -1;
  for (let t = 0; t < steps; t++) {
    const row = t * classes;
    let best = -1;
    let bestValue = Number.NEGATIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let argmax = -1;
    for (let k = 0; k < classes; k++) {
      // A non-finite score (a broken model output) is no vote for anything.
      const v = score(logits[row + k]);
      if (v > max) {
        max = v;
        argmax = k;
      }
      if (mask !== undefined && (mask[k] ?? 0) === 0) continue;
      if (v > bestValue) {
        bestValue = v;
        best = k;
      }
    }
    if (best < 0 || !Number.isFinite(bestValue)) {
      previous = -1;
      continue;
    }
    let p = bestValue;
    if (options.softmax) {
      let sum = 0;
      for (let k = 0; k < classes; k++) sum += Math.exp(score(logits[row + k]) - max);
      p = sum > 0 ? Math.exp(bestValue - max) / sum : 0;
    }
    p = Number.isFinite(p) ? Math.max(0, Math.min(1, p)) : 0;
    // A step the model gave clearly to a character the field cannot hold (年 between digits) is a separator, not
    // a faint digit: below this probability the best legal class is not believed.
    if (mask !== undefined && argmax !== best && p < MASKED_MIN) best = 0;
    if (best !== 0 && best !== previous) {
      chars.push({ text: (dictionary[best] ?? '').normalize('NFKC'), confidence: p, step: t });
    } else if (best !== 0 && best === previous) {
      // The same character held over several steps: keep its best probability.
      const last = chars[chars.length - 1];
      if (last && p > last.confidence) last.confidence = p;
    }
    previous = best;
  }
  const kept = chars.filter((c) => c.text !== '');
  const text = kept.map((c) => c.text).join('');
  const confidence = kept.length === 0 ? 0 : kept.reduce((s, c) => s + c.confidence, 0) / kept.length;
  return { text, confidence, chars: kept };
}
