import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  API_PREFIX,
  ConfirmationListQuery,
  CreatePointRequest,
  IssueEnrollmentCodeRequest,
  MAX_ROSTER_ROWS,
  PointCode,
  RosterImportQuery,
} from '../../../core/contract/central-api.js';
import { checkAdmin } from '../admin-auth.js';
import { listConfirmations } from '../../services/confirmations.js';
import { issueEnrollmentCode } from '../../services/enrollment.js';
import { createPoint, requirePoint } from '../../services/points.js';
import { importRoster } from '../../services/roster-import.js';
import { revokeStation } from '../../services/stations.js';
import { type ServerContext, parseInbound } from '../context.js';

/** 100,000 rows with small photos; whole real photo sets go through the CLI importer instead. */
export const MAX_ROSTER_BODY_BYTES = 64 * 1024 * 1024;

const PointParams = z.strictObject({ code: PointCode });
const StationParams = z.strictObject({ id: z.uuid() });
const RosterRows = z.array(z.unknown()).max(MAX_ROSTER_ROWS);

export function adminRoutes(ctx: ServerContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addHook('preHandler', async (request) => checkAdmin(request, ctx.adminToken));

    app.post(`${API_PREFIX}/admin/points`, { bodyLimit: 8 * 1024 }, async (request, reply) => {
      const body = parseInbound(CreatePointRequest, request.body, 'point');
      const point = await createPoint(ctx.db, body, ctx.now());
      ctx.logger.info('point created', { point: point.code });
      return reply.status(201).send(point);
    });

    app.post(`${API_PREFIX}/admin/points/:code/enrollment-codes`, { bodyLimit: 1024 }, async (request, reply) => {
      const { code } = parseInbound(PointParams, request.params, 'point');
      const body = parseInbound(IssueEnrollmentCodeRequest, request.body ?? {}, 'enrollment code');
      const issued = await issueEnrollmentCode(ctx.db, code, body.ttlMinutes, ctx.now());
      ctx.logger.info('enrollment code issued', { point: code, expiresAt: issued.expiresAt });
      return reply.status(201).send(issued);
    });

    app.post(`${API_PREFIX}/admin/stations/:id/revoke`, { bodyLimit: 1024 }, async (request) => {
      const { id } = parseInbound(StationParams, request.params, 'station');
      const revoked = await revokeStation(ctx.db, id, ctx.now());
      ctx.logger.info('station revoked', { station: id });
      return { stationId: revoked.stationId, revokedAt: revoked.revokedAt.toISOString() };
    });

    app.post(`${API_PREFIX}/admin/points/:code/roster`, { bodyLimit: MAX_ROSTER_BODY_BYTES }, async (request) => {
      const { code } = parseInbound(PointParams, request.params, 'point');
      const query = parseInbound(RosterImportQuery, request.query, 'roster import query');
      const rows = parseInbound(RosterRows, request.body, 'roster rows');
      const skipBad = query.skipBad === '1' || query.skipBad === 'true';
      const report = await importRoster(ctx.db, code, rows, { skipBad }, ctx.now());
      ctx.logger.info('roster imported', {
        point: code,
        rows: report.rows,
        inserted: report.inserted,
        updated: report.updated,
        unchanged: report.unchanged,
        skipped: report.skipped,
      });
      return report;
    });

    app.get(`${API_PREFIX}/admin/confirmations`, async (request) => {
      const query = parseInbound(ConfirmationListQuery, request.query, 'confirmation list query');
      await requirePoint(ctx.db, query.point);
      return listConfirmations(ctx.db, query.point, query.day, query.limit);
    });
  };
}
