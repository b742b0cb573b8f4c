import { ServerError } from '../errors.js';
import { zhCN } from '../../core/i18n/zh-CN.js';

export interface RateLimit {
  /** Requests a client may make in a minute; also the burst it may make at once. */
  perMinute: number;
}

/** The public receipt verification allows this many requests per minute per address unless configured. */
export const DEFAULT_RECEIPT_VERIFY_PER_MINUTE = 30;
/** Beyond this many tracked addresses, buckets that have refilled are forgotten (they would allow a burst anyway). */
const MAX_TRACKED = 10_000;

/**
 * A token bucket per client key (the peer address): `perMinute` tokens, refilled continuously. In memory, per
 * server process: it is a brake on guessing and scraping through the public verification endpoint, not an
 * accounting. The clock is the server's injectable one, so tests move it.
 */
export class TokenBuckets {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #perMs: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => Date,
  ) {
    if (!Number.isInteger(limit.perMinute) || limit.perMinute < 1) throw new RangeError('perMinute must be a positive integer');
    this.#perMs = limit.perMinute / 60_000;
  }

  /** Takes one token for `key`, or throws RATE_LIMITED (429) saying when to come back. */
  take(key: string): void {
    const at = this.now().getTime();
    const bucket = this.#refilled(key, at);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      this.#buckets.set(key, bucket);
      return;
    }
    this.#buckets.set(key, bucket);
    const seconds = Math.max(1, Math.ceil((1 - bucket.tokens) / this.#perMs / 1000));
    throw new ServerError('RATE_LIMITED', zhCN.receipts.rateLimited(seconds), 'too many requests from this address', { retryAfterSeconds: seconds });
  }

  #refilled(key: string, at: number): { tokens: number; at: number } {
    const previous = this.#buckets.get(key);
    if (!previous) {
      if (this.#buckets.size >= MAX_TRACKED) this.#forgetFull(at);
      return { tokens: this.limit.perMinute, at };
    }
    // A clock moved back refills nothing (and takes nothing away).
    const elapsed = Math.max(0, at - previous.at);
    return { tokens: Math.min(this.limit.perMinute, previous.tokens + elapsed * this.#perMs), at };
  }

  #forgetFull(at: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + (at - bucket.at) * this.#perMs >= this.limit.perMinute) this.#buckets.delete(key);
    }
  }
}
