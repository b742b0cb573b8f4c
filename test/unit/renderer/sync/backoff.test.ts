import { describe, expect, it } from 'vitest';
import { BACKOFF_CAP_MS, backoffDelayMs, effectiveDueAt } from '../../../../renderer/sync/backoff.js';

describe('backoff', () => {
  it('doubles from 2 s per failure with full jitter', () => {
    const half = () => 0.5;
    expect([1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, half))).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(backoffDelayMs(1, () => 0)).toBe(0);
    expect(backoffDelayMs(3, () => 0.25)).toBe(2000);
  });

  it('never exceeds the 5-minute cap, however many failures and whatever the random source says', () => {
    expect(backoffDelayMs(8, () => 0.5)).toBe(128_000);
    expect(backoffDelayMs(9, () => 0.5)).toBe(150_000);
    expect(backoffDelayMs(1000, () => 0.5)).toBe(150_000);
    expect(backoffDelayMs(1000, () => 0.999999)).toBeLessThan(BACKOFF_CAP_MS);
    expect(backoffDelayMs(1000, () => 7)).toBeLessThan(BACKOFF_CAP_MS);
    expect(backoffDelayMs(2, () => -1)).toBe(0);
  });

  it('treats a retry time beyond the cap as due now (the clock was moved back)', () => {
    expect(effectiveDueAt(1_000 + BACKOFF_CAP_MS, 1_000)).toBe(1_000 + BACKOFF_CAP_MS);
    expect(effectiveDueAt(1_001 + BACKOFF_CAP_MS, 1_000)).toBe(1_000);
  });
});
