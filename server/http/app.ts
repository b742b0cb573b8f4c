import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { type Logger, silentLogger } from '../../core/logging/logger.js';
import type { Database } from '../db/database.js';
import type { Station } from '../services/stations.js';
import { installBodyParsers } from './body-parsers.js';
import type { ServerContext } from './context.js';
import { installErrorHandling } from './error-reply.js';
import { adminRoutes } from './routes/admin.js';
import { publicRoutes } from './routes/public.js';
import { receiptRoutes } from './routes/receipts.js';
import { stationRoutes } from './routes/station.js';
import type { RateLimit } from './rate-limit.js';

export interface BuildServerOptions {
  /** Already migrated. */
  db: Database;
  /** The server's clock; tests move it. */
  now?: () => Date;
  /** Bearer token for the admin API; without one the admin API answers ACCESS_DENIED. */
  adminToken?: string | undefined;
  logger?: Logger;
  /** Public receipt verification per peer address (default 30 a minute). */
  receiptVerifyLimit?: RateLimit;
}

/**
 * The central server as a Fastify instance, not listening: `server/main.ts` listens, tests use inject().
 * Bodies are limited per route (1 MB unless a route says otherwise).
 */
export function buildServer(options: BuildServerOptions): FastifyInstance {
  const ctx: ServerContext = {
    db: options.db,
    now: options.now ?? (() => new Date()),
    adminToken: options.adminToken,
    logger: options.logger ?? silentLogger,
    rawBodies: new WeakMap<FastifyRequest, Buffer>(),
    stations: new WeakMap<FastifyRequest, Station>(),
  };
  // Fastify's own logger would write request URLs and bodies' errors; ours logs codes only.
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, trustProxy: false });
  installBodyParsers(app, ctx.rawBodies);
  installErrorHandling(app, ctx.logger);
  app.addHook('onSend', async (_request, reply, payload) => {
    // The Date header is the station's clock reference after CLOCK_SKEW, so it comes from the injectable clock.
    reply.header('date', ctx.now().toUTCString());
    reply.header('x-content-type-options', 'nosniff');
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
  void app.register(publicRoutes(ctx));
  void app.register(receiptRoutes(ctx, options.receiptVerifyLimit));
  void app.register(stationRoutes(ctx));
  void app.register(adminRoutes(ctx));
  return app;
}
