import type { WireError } from '../contract/wire.js';
import { zhCN } from '../i18n/zh-CN.js';

/**
 * The one error hierarchy. Every error that crosses a module boundary is a StationError:
 * `code` is for code (stable, English), `userMessage` is for people (Chinese, from the catalogue).
 * `detail` is developer-facing and must never contain personal data (ID numbers, names).
 */
export const errorCodes = [
  'VALIDATION',
  'ACCESS_DENIED',
  'UNKNOWN_METHOD',
  'UNAUTHORIZED',
  'NOT_FOUND',
  'CITIZEN_ID_INVALID',
  'DEVICE',
  'TRANSPORT',
  'TIMEOUT',
  'FILE_INVALID',
  'INVALID_STATE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export class StationError extends Error {
  readonly code: ErrorCode;
  readonly userMessage: string;
  readonly detail: string | undefined;
  /** Whether trying again later can succeed (network down, server busy); unknown when undefined. */
  retryable: boolean | undefined;
  /** A finer, stable reason code where the area has one (e.g. the central server's STATION_REVOKED). */
  reason: string | undefined;

  constructor(code: ErrorCode, userMessage: string, detail?: string, options?: { cause?: unknown }) {
    super(detail ? `${code}: ${detail}` : code, options);
    this.name = new.target.name;
    this.code = code;
    this.userMessage = userMessage;
    this.detail = detail;
    this.retryable = undefined;
    this.reason = undefined;
  }
}

/** An inbound payload (IPC, HTTP, file) did not match its schema. */
export class ValidationError extends StationError {
  constructor(detail: string, userMessage: string = zhCN.errors.validation) {
    super('VALIDATION', userMessage, detail);
  }
}

/** The caller's bridge (e.g. the kiosk) may not make this call. */
export class AccessDeniedError extends StationError {
  constructor(detail: string) {
    super('ACCESS_DENIED', zhCN.errors.accessDenied, detail);
  }
}

export class UnknownMethodError extends StationError {
  constructor(detail: string) {
    super('UNKNOWN_METHOD', zhCN.errors.unknownMethod, detail);
  }
}

/** A connection without a valid launch token. */
export class UnauthorizedError extends StationError {
  constructor(detail: string, userMessage: string = zhCN.errors.unauthorized) {
    super('UNAUTHORIZED', userMessage, detail);
  }
}

export class NotFoundError extends StationError {
  constructor(detail: string, userMessage: string = zhCN.errors.notFound) {
    super('NOT_FOUND', userMessage, detail);
  }
}

export class DeviceError extends StationError {
  constructor(detail: string, userMessage: string = zhCN.errors.device) {
    super('DEVICE', userMessage, detail);
  }
}

/**
 * A failure of the ID card reader's protocol or of the card read. `reason` is for code (retry, recover,
 * which message); the Chinese message says what staff should do.
 */
export const cardReaderReasons = [
  'bad-preamble',
  'bad-length',
  'bad-checksum',
  'truncated',
  'timeout',
  'status',
  'unexpected-reply',
  'bad-payload',
  'disconnected',
] as const;
export type CardReaderReason = (typeof cardReaderReasons)[number];

export class CardReaderError extends DeviceError {
  override readonly reason: CardReaderReason;
  /** The SW3 status byte when reason is 'status'. */
  readonly sw3: number | undefined;

  constructor(reason: CardReaderReason, detail: string, userMessage: string, sw3?: number) {
    super(`${reason}: ${detail}`, userMessage);
    this.reason = reason;
    this.sw3 = sw3;
  }
}

/** The channel between renderer and host failed (socket closed, IPC gone). */
export class TransportError extends StationError {
  constructor(detail: string) {
    super('TRANSPORT', zhCN.errors.transport, detail);
  }
}

export class TimeoutError extends StationError {
  constructor(detail: string) {
    super('TIMEOUT', zhCN.errors.timeout, detail);
  }
}

export class FileInvalidError extends StationError {
  constructor(detail: string, userMessage: string = zhCN.errors.fileInvalid) {
    super('FILE_INVALID', userMessage, detail);
  }
}

/** An action that the current state does not allow (e.g. completing a step that is not the current one). */
export class InvalidStateError extends StationError {
  constructor(detail: string, userMessage: string = zhCN.errors.invalidState) {
    super('INVALID_STATE', userMessage, detail);
  }
}

export class InternalError extends StationError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super('INTERNAL', zhCN.errors.internal, detail, options);
  }
}

/** Anything thrown becomes a StationError; unknown throwables never leak their text to users. */
export function toStationError(thrown: unknown): StationError {
  if (thrown instanceof StationError) return thrown;
  const detail = thrown instanceof Error ? thrown.name : typeof thrown;
  return new InternalError(`unexpected ${detail}`, { cause: thrown });
}

/** The serialised form sent over IPC and WebSocket; detail is capped, the user message is the catalogue's. */
export function toWireError(error: StationError): WireError {
  return {
    code: error.code,
    message: error.userMessage,
    ...(error.detail === undefined ? {} : { detail: error.detail.slice(0, 2000) }),
    ...(error.retryable === undefined ? {} : { retryable: error.retryable }),
    ...(error.reason === undefined ? {} : { reason: error.reason.slice(0, 60) }),
  };
}

/**
 * A failure talking to the central server, on either side of the host/window boundary: `reason` is the
 * server's code (STATION_REVOKED, CLOCK_SKEW …) or the link's own (UNREACHABLE, HTTP_503), `retryable` says
 * whether trying later can help.
 */
export class CentralError extends StationError {
  declare reason: string;
  declare retryable: boolean;

  constructor(code: ErrorCode, userMessage: string, reason: string, retryable: boolean, detail?: string) {
    super(code, userMessage, detail ?? reason);
    this.reason = reason;
    this.retryable = retryable;
  }
}
