import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  API_PREFIX,
  ConfirmationListQuery,
  CreatePointRequest,
  CreateStaffAccountRequest,
  IssueEnrollmentCodeRequest,
  MAX_ROSTER_ROWS,
  PointCode,
  RosterImportQuery,
  SetStaffDisabledRequest,
  SetStaffPasswordRequest,
} from '../../../core/contract/central-api.js';
import { StaffAccountId } from '../../../core/contract/staff.js';
import { checkAdmin } from '../admin-auth.js';
import { listConfirmations } from '../../services/confirmations.js';
import { issueEnrollmentCode } from '../../services/enrollment.js';
import { createPoint, requirePoint } from '../../services/points.js';
import { publishRules } from '../../services/rules.js';
import { importRoster } from '../../services/roster-import.js';
import { revokeStation } from '../../services/stations.js';
import { createStaffAccount, listStaffAccounts, setStaffDisabled, setStaffPassword } from '../../services/staff-accounts.js';
import { type ServerContext, parseInbound } from '../context.js';

/** 100,000 rows with small photos; whole real photo sets go through the CLI importer instead. */
export const MAX_ROSTER_BODY_BYTES = 64 * 1024 * 1024;
/** A rules bundle is a few KB. */
export const MAX_RULES_BODY_BYTES = 256 * 1024;

const PointParams = z.strictObject({ code: PointCode });
const StationParams = z.strictObject({ id: z.uuid() });
const StaffParams = z.strictObject({ code: PointCode, id: StaffAccountId });
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

    // Staff accounts: the body's password is hashed by the service; logs name the account, never a secret.
    app.post(`${API_PREFIX}/admin/points/:code/staff`, { bodyLimit: 4 * 1024 }, async (request, reply) => {
      const { code } = parseInbound(PointParams, request.params, 'point');
      const body = parseInbound(CreateStaffAccountRequest, request.body, 'staff account');
      const account = await createStaffAccount(ctx.db, code, body, ctx.now());
      ctx.logger.info('staff account created', { point: code, account: account.id, role: account.role });
      return reply.status(201).send(account);
    });

    app.get(`${API_PREFIX}/admin/points/:code/staff`, async (request) => {
      const { code } = parseInbound(PointParams, request.params, 'point');
      return { accounts: await listStaffAccounts(ctx.db, code) };
    });

    app.post(`${API_PREFIX}/admin/points/:code/staff/:id/password`, { bodyLimit: 4 * 1024 }, async (request) => {
      const { code, id } = parseInbound(StaffParams, request.params, 'staff account');
      const body = parseInbound(SetStaffPasswordRequest, request.body, 'staff password');
      const account = await setStaffPassword(ctx.db, code, id, body.password, ctx.now());
      ctx.logger.info('staff password set', { point: code, account: id });
      return account;
    });

    app.post(`${API_PREFIX}/admin/points/:code/staff/:id/disabled`, { bodyLimit: 1024 }, async (request) => {
      const { code, id } = parseInbound(StaffParams, request.params, 'staff account');
      const body = parseInbound(SetStaffDisabledRequest, request.body, 'staff disabled');
      const account = await setStaffDisabled(ctx.db, code, id, body.disabled, ctx.now());
      ctx.logger.info(body.disabled ? 'staff account disabled' : 'staff account enabled', { point: code, account: id });
      return account;
    });

    // 省级配置: checked, signed for the point and stored; a version already published with other content is refused.
    app.post(`${API_PREFIX}/admin/points/:code/rules`, { bodyLimit: MAX_RULES_BODY_BYTES }, async (request, reply) => {
      const { code } = parseInbound(PointParams, request.params, 'point');
      const published = await publishRules(ctx.db, code, request.body, ctx.now());
      ctx.logger.info('rules published', { point: code, version: published.version, status: published.status });
      return reply.status(published.status === 'published' ? 201 : 200).send(published);
    });

    app.get(`${API_PREFIX}/admin/confirmations`, async (request) => {
      const query = parseInbound(ConfirmationListQuery, request.query, 'confirmation list query');
      await requirePoint(ctx.db, query.point);
      return listConfirmations(ctx.db, query.point, query.day, query.limit);
    });
  };
}
