import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { StationError, UnauthorizedError } from '../../core/errors/station-error.js';
import { sha256Bytes } from '../../core/crypto/sha256.js';
import { zhCN } from '../../core/i18n/zh-CN.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Admin calls for now come only from the server machine itself and carry the ADMIN_TOKEN as a bearer token.
 * Without a configured token the admin API is off.
 */
export function checkAdmin(request: FastifyRequest, adminToken: string | undefined): void {
  if (adminToken === undefined) {
    throw new StationError('ACCESS_DENIED', zhCN.central.errors.adminDisabled, 'ADMIN_TOKEN not configured');
  }
  if (!LOOPBACK.has(request.ip)) throw new StationError('ACCESS_DENIED', zhCN.central.errors.adminOnly, 'admin API is local only');
  const header = request.headers.authorization;
  const presented = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : '';
  // Compare digests so the comparison takes the same time whatever the presented length.
  if (!timingSafeEqual(sha256Bytes(presented), sha256Bytes(adminToken))) {
    throw new UnauthorizedError('admin token missing or wrong', zhCN.central.errors.adminOnly);
  }
}
