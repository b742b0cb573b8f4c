/**
 * "Capture with retries, keep the best": asks a driver for up to `maxAttempts` captures until one reaches the
 * quality threshold, and returns the best one either way (with `accepted` saying whether it met the
 * threshold), so staff can decide on an override that is logged, as the spec suggests (§3).
 * A missing finger, a poor image the module refused, or a transfer glitch counts as a failed attempt;
 * cancellation, a lost device and configuration errors end the session at once.
 */
import { z } from 'zod';
import { FingerprintError } from '../../core/errors/fingerprint-error.js';
import type { FingerprintCapture, FingerprintDriver } from './fingerprint-driver.js';
import { DEFAULT_QUALITY_THRESHOLD } from './quality.js';

export const CaptureSessionConfig = z.strictObject({
  /** Minimum accepted quality on the driver's 0..100 scale. */
  qualityThreshold: z.number().int().min(0).max(100).default(DEFAULT_QUALITY_THRESHOLD),
  maxAttempts: z.number().int().min(1).max(10).default(3),
  /** Per attempt: waiting for the finger plus the transfer. */
  attemptTimeoutMs: z.number().int().min(500).max(120_000).default(15_000),
});
export type CaptureSessionConfig = z.infer<typeof CaptureSessionConfig>;

export interface CaptureAttempt {
  attempt: number;
  /** Quality of this attempt's capture, when there was one. */
  quality?: number;
  /** Why the attempt gave no capture. */
  error?: FingerprintError;
}

export interface CaptureSessionResult {
  /** The best capture (highest quality), or undefined when no attempt produced one. */
  best: FingerprintCapture | undefined;
  /** The best capture reached the threshold. */
  accepted: boolean;
  attempts: CaptureAttempt[];
  qualityThreshold: number;
}

export interface CaptureSessionOptions {
  config?: z.input<typeof CaptureSessionConfig>;
  signal?: AbortSignal;
  /** Called before each attempt, e.g. to prompt "第 2 次采集". */
  onAttempt?: (attempt: number, maxAttempts: number) => void;
  /** Called after each attempt with what came of it. */
  onResult?: (attempt: CaptureAttempt) => void;
}

/** Errors after which another attempt cannot help. */
const fatal: ReadonlySet<string> = new Set([
  'cancelled',
  'disconnected',
  'not-open',
  'busy',
  'wrong-password',
  'sdk-not-available',
  'sdk-unsupported-platform',
  'sdk-load-failed',
  'config-invalid',
]);

export async function captureWithRetries(driver: FingerprintDriver, options: CaptureSessionOptions = {}): Promise<CaptureSessionResult> {
  const parsed = CaptureSessionConfig.safeParse(options.config ?? {});
  if (!parsed.success) throw new FingerprintError('config-invalid', parsed.error.issues.map((i) => i.path.join('.')).join(', '));
  const config = parsed.data;
  const attempts: CaptureAttempt[] = [];
  let best: FingerprintCapture | undefined;
  for (let attempt = 1; attempt <= config.maxAttempts; attempt += 1) {
    if (options.signal?.aborted) throw new FingerprintError('cancelled', 'session cancelled');
    options.onAttempt?.(attempt, config.maxAttempts);
    let record: CaptureAttempt;
    try {
      const capture = await driver.capture({
        timeoutMs: config.attemptTimeoutMs,
        targetQuality: config.qualityThreshold,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      record = { attempt, quality: capture.quality.value };
      if (!best || capture.quality.value > best.quality.value) best = capture;
    } catch (thrown) {
      if (!(thrown instanceof FingerprintError) || fatal.has(thrown.reason)) throw thrown;
      record = { attempt, error: thrown };
    }
    attempts.push(record);
    options.onResult?.(record);
    if (best && best.quality.value >= config.qualityThreshold) break;
  }
  return { best, accepted: best !== undefined && best.quality.value >= config.qualityThreshold, attempts, qualityThreshold: config.qualityThreshold };
}
