/**
 * Deterministic pseudo-random numbers for the simulators (filler bytes, chunk sizes, garbled offsets), so a
 * demo or a failing test run can be replayed from its seed. Not for anything security related.
 */

/** mulberry32: a tiny 32-bit generator; returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over UTF-16 code units: turns a fixture key (e.g. a card number) into a seed. */
export function seedFromString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** `length` deterministic bytes. */
export function seededBytes(seed: number, length: number): Uint8Array {
  const next = seededRandom(seed);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += 1) out[i] = Math.floor(next() * 256);
  return out;
}
