/** Retry timing for transient failures: exponential with full jitter, capped. */
export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_CAP_MS = 5 * 60_000;

/**
 * Delay before attempt number `attempts` + 1, where `attempts` failures have happened (≥ 1).
 * Full jitter (uniform in [0, min(cap, base · 2^(attempts−1))) ): all stations of a point lose the network
 * together, and without jitter they would all come back at the same instant.
 */
export function backoffDelayMs(attempts: number, random: () => number): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** exponent);
  // A random source outside [0, 1) must not produce a negative delay or one beyond the cap.
  const r = Math.min(Math.max(random(), 0), 1 - Number.EPSILON);
  return Math.floor(r * ceiling);
}

/**
 * A retry time further ahead than the longest delay the stage ever sets can only come from a clock that was
 * moved back (a station whose wrong time was corrected): it counts as due now instead of stalling for hours.
 * Stages that wait longer than the backoff cap on purpose (the roster's refresh interval) pass their own limit.
 */
export function effectiveDueAt(nextAttemptAt: number, now: number, longestDelayMs = BACKOFF_CAP_MS): number {
  return nextAttemptAt > now + Math.max(longestDelayMs, BACKOFF_CAP_MS) ? now : nextAttemptAt;
}
