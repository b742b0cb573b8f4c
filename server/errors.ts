import { type ErrorCode, StationError } from '../core/errors/station-error.js';
import type { BadRow } from '../core/contract/central-api.js';
import type { serverErrorCodes } from '../core/contract/central-api.js';

export type ServerReason = (typeof serverErrorCodes)[number];

/** What each server reason is in the station-wide hierarchy, and the HTTP status it is answered with. */
const reasons: Record<ServerReason, { base: ErrorCode; status: number }> = {
  BAD_SIGNATURE: { base: 'UNAUTHORIZED', status: 401 },
  CLOCK_SKEW: { base: 'UNAUTHORIZED', status: 401 },
  STATION_UNKNOWN: { base: 'ACCESS_DENIED', status: 403 },
  STATION_REVOKED: { base: 'ACCESS_DENIED', status: 403 },
  ENROLLMENT_CODE_INVALID: { base: 'ACCESS_DENIED', status: 403 },
  ENROLLMENT_CODE_EXPIRED: { base: 'ACCESS_DENIED', status: 410 },
  ENROLLMENT_CODE_USED: { base: 'INVALID_STATE', status: 409 },
  POINT_EXISTS: { base: 'INVALID_STATE', status: 409 },
  BLOB_HASH_MISMATCH: { base: 'VALIDATION', status: 400 },
  BLOB_LIST_MISMATCH: { base: 'VALIDATION', status: 400 },
  PAYLOAD_TOO_LARGE: { base: 'VALIDATION', status: 413 },
  UNSUPPORTED_MEDIA_TYPE: { base: 'VALIDATION', status: 415 },
  ROSTER_INVALID: { base: 'FILE_INVALID', status: 422 },
  RATE_LIMITED: { base: 'ACCESS_DENIED', status: 429 },
};

/** Extra reply fields some reasons carry. */
export interface ServerErrorExtra {
  serverTime?: number;
  badRows?: BadRow[];
  /** RATE_LIMITED: whole seconds until one more request is allowed (also the Retry-After header). */
  retryAfterSeconds?: number;
}

/**
 * A failure specific to the central server. It is a StationError (the one hierarchy) whose `code` is the
 * nearest station-wide code; `reason` is the precise code sent to clients, as CardReaderError does for devices.
 */
export class ServerError extends StationError {
  override readonly reason: ServerReason;
  readonly status: number;
  readonly extra: ServerErrorExtra;

  constructor(reason: ServerReason, userMessage: string, detail?: string, extra: ServerErrorExtra = {}) {
    const { base, status } = reasons[reason];
    super(base, userMessage, detail ?? reason.toLowerCase());
    this.reason = reason;
    this.status = status;
    this.extra = extra;
  }
}
