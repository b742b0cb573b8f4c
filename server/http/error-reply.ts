import type { FastifyError, FastifyInstance } from 'fastify';
import {
  type ErrorCode,
  InternalError,
  StationError,
  ValidationError,
  toStationError,
} from '../../core/errors/station-error.js';
import type { Logger } from '../../core/logging/logger.js';
import type { ApiErrorReply } from '../../core/contract/central-api.js';
import { ServerError } from '../errors.js';
import { zhCN } from '../../core/i18n/zh-CN.js';

const statusOf: Record<ErrorCode, number> = {
  VALIDATION: 400,
  CITIZEN_ID_INVALID: 400,
  UNAUTHORIZED: 401,
  ACCESS_DENIED: 403,
  NOT_FOUND: 404,
  UNKNOWN_METHOD: 404,
  INVALID_STATE: 409,
  FILE_INVALID: 422,
  INTERNAL: 500,
  DEVICE: 500,
  TRANSPORT: 502,
  TIMEOUT: 504,
};

/** The typed reply for any StationError: `{ error: { code, message, detail?, …extra } }`. */
export function errorReply(error: StationError): { status: number; body: ApiErrorReply } {
  const status = error instanceof ServerError ? error.status : statusOf[error.code];
  const code = error instanceof ServerError ? error.reason : error.code;
  const body: ApiErrorReply = { error: { code, message: error.userMessage } };
  // Details help station developers; for server faults they would only describe our internals.
  if (error.detail !== undefined && status < 500) body.error.detail = error.detail.slice(0, 2000);
  if (error instanceof ServerError) Object.assign(body.error, error.extra);
  return { status, body };
}

function isFastifyError(thrown: unknown): thrown is FastifyError {
  return thrown instanceof Error && typeof (thrown as Partial<FastifyError>).code === 'string' && 'statusCode' in thrown;
}

/**
 * Fastify's own errors (body too large, bad JSON, unsupported type) become typed errors too. Their messages are
 * dropped: a JSON syntax error can quote the body, which may hold personal data. Only the code is kept.
 */
export function toServerError(thrown: unknown): StationError {
  if (thrown instanceof StationError) return thrown;
  if (isFastifyError(thrown)) {
    const status = thrown.statusCode ?? 500;
    if (status === 413) return new ServerError('PAYLOAD_TOO_LARGE', zhCN.central.errors.payloadTooLarge, thrown.code);
    if (status === 415) return new ServerError('UNSUPPORTED_MEDIA_TYPE', zhCN.central.errors.unsupportedMediaType, thrown.code);
    if (status >= 400 && status < 500) return new ValidationError(thrown.code, zhCN.central.errors.validation);
  }
  const wrapped = toStationError(thrown);
  return wrapped instanceof InternalError ? new InternalError(wrapped.detail ?? 'unexpected', { cause: thrown }) : wrapped;
}

export function installErrorHandling(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((thrown, request, reply) => {
    const error = toServerError(thrown);
    const { status, body } = errorReply(error);
    const fields = { method: request.method, route: request.routeOptions.url ?? '(none)', status, code: body.error.code };
    if (status >= 500) {
      const cause = error.cause ?? thrown;
      // A database error's SQLSTATE (e.g. 23505) says what failed without quoting any values.
      const sqlState = cause instanceof Error && 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
      logger.error('request failed', {
        ...fields,
        error: cause instanceof Error ? cause.name : typeof cause,
        detail: error.detail,
        ...(sqlState === undefined ? {} : { sqlState }),
      });
    } else {
      logger.warn('request refused', fields);
    }
    if (status >= 500) body.error.message = zhCN.central.errors.internal;
    if (error instanceof ServerError && error.extra.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.extra.retryAfterSeconds));
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    logger.warn('no such route', { method: request.method });
    const { status, body } = errorReply(new StationError('NOT_FOUND', zhCN.central.errors.notFound, 'no such route'));
    return reply.status(status).send(body);
  });
}
