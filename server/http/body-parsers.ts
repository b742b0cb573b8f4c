import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ValidationError } from '../../core/errors/station-error.js';
import { blobMimeTypes } from '../../core/contract/central-api.js';
import { zhCN } from '../../core/i18n/zh-CN.js';

/** The raw bytes of each request body, kept for signature checks (the signature covers exactly these bytes). */
export type RawBodies = WeakMap<FastifyRequest, Buffer>;

function rejectProtoKeys(key: string, value: unknown): unknown {
  // An own `__proto__` key is harmless in JSON.parse but poisons any later object merge: refuse it outright.
  if (key === '__proto__') throw new ValidationError('__proto__ key in JSON body', zhCN.central.errors.validation);
  return value;
}

/**
 * JSON is read as bytes, remembered, then parsed; blob types arrive as bytes. Anything else is refused with 415.
 * Limits are per route (`bodyLimit`), checked by Fastify while reading.
 */
export function installBodyParsers(app: FastifyInstance, rawBodies: RawBodies): void {
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    rawBodies.set(request, bytes);
    if (bytes.length === 0) {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(bytes.toString('utf8'), rejectProtoKeys));
    } catch (error) {
      done(error instanceof ValidationError ? error : new ValidationError('body is not valid JSON', zhCN.central.errors.validation), undefined);
    }
  });
  app.addContentTypeParser([...blobMimeTypes], { parseAs: 'buffer' }, (request, body, done) => {
    rawBodies.set(request, body as Buffer);
    done(null, body);
  });
}
