import type { FastifyInstance } from 'fastify';
import { API_PREFIX, EnrollRequest, type HealthReply } from '../../../core/contract/central-api.js';
import { enrollStation } from '../../services/enrollment.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { type ServerContext, parseInbound } from '../context.js';

/** Routes anyone may call: health and enrollment (which is guarded by its one-time code). */
export function publicRoutes(ctx: ServerContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get(`${API_PREFIX}/health`, async (_request, reply) => {
      try {
        await ctx.db.query('SELECT 1');
      } catch (error) {
        ctx.logger.error('health check: database unreachable', { error: error instanceof Error ? error.name : typeof error });
        return reply.status(503).send({ error: { code: 'INTERNAL', message: zhCN.central.errors.internal } });
      }
      const body: HealthReply = { status: 'ok', database: ctx.db.kind, time: ctx.now().toISOString() };
      return body;
    });

    app.post(`${API_PREFIX}/enroll`, { bodyLimit: 8 * 1024 }, async (request, reply) => {
      const body = parseInbound(EnrollRequest, request.body, 'enroll');
      const enrolled = await enrollStation(ctx.db, body, ctx.now());
      ctx.logger.info('station enrolled', { point: enrolled.pointCode, station: enrolled.stationId });
      return reply.status(201).send(enrolled);
    });
  };
}
