import { StationError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';

/** What the engine needs to know about a failed request: retry later, or hand it to a person. */
export interface SyncFailure {
  /** Trying again later can succeed (network down, server busy, clock being corrected). */
  transient: boolean;
  /** The failure is about this station, not one record (revoked, unknown, bad signature): every record hits it. */
  stationWide: boolean;
  /** The most specific stable code: the server's reason (STATION_REVOKED) or the station-wide code. */
  code: string;
  /** Chinese, for staff. */
  message: string;
}

/** Codes whose meaning settles the question whatever else the error says. */
const transientCodes = new Set(['TRANSPORT', 'TIMEOUT', 'CLOCK_SKEW', 'UNREACHABLE']);
const permanentCodes = new Set([
  'VALIDATION',
  'STATION_REVOKED',
  'STATION_UNKNOWN',
  'BAD_SIGNATURE',
  'ACCESS_DENIED',
  'UNAUTHORIZED',
  'NOT_ENROLLED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
]);
const stationWideCodes = new Set(['STATION_REVOKED', 'STATION_UNKNOWN', 'BAD_SIGNATURE', 'ACCESS_DENIED', 'UNAUTHORIZED', 'NOT_ENROLLED']);

const MAX_MESSAGE_CHARS = 500;

/**
 * Retry or ask a person. Order: a known reason code first (the server's CLOCK_SKEW stays transient even
 * when the link gave up its own one retry), then the error's `retryable` flag (it saw the HTTP
 * status: 5xx and 429 retry, other 4xx do not), then the station-wide code. Anything unrecognised is
 * treated as transient: uploads are idempotent, so retrying is harmless, while giving up needs a person.
 */
export function classifySyncError(thrown: unknown): SyncFailure {
  const reason = stringField(thrown, 'reason');
  const code = stringField(thrown, 'code');
  const flag = booleanField(thrown, 'retryable');
  const specific = reason ?? code ?? 'UNKNOWN';

  let transient: boolean;
  if (reason !== undefined && transientCodes.has(reason)) transient = true;
  else if (reason !== undefined && permanentCodes.has(reason)) transient = false;
  else if (/^HTTP_5\d\d$/.test(reason ?? '')) transient = true;
  else if (flag !== undefined) transient = flag;
  else if (code !== undefined && permanentCodes.has(code)) transient = false;
  else transient = true;

  const userMessage = thrown instanceof StationError ? thrown.userMessage : stringField(thrown, 'userMessage');
  return {
    transient,
    stationWide: !transient && (stationWideCodes.has(specific) || (reason === undefined && code !== undefined && stationWideCodes.has(code))),
    code: specific.slice(0, 60),
    message: (userMessage ?? zhCN.sync.unexpected).slice(0, MAX_MESSAGE_CHARS),
  };
}

function stringField(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' && field.length > 0 ? field : undefined;
}

function booleanField(value: unknown, key: string): boolean | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'boolean' ? field : undefined;
}
