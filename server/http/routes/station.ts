import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../../core/errors/station-error.js';
import {
  API_PREFIX,
  AuditBatchRequest,
  BlobMime,
  DAY_CLOSE_PATH,
  HANDOFF_KEY_PATH,
  ConfirmationBatchRequest,
  type ConfirmationBatchReply,
  MAX_AUDIT_BODY_BYTES,
  MAX_BLOB_BYTES,
  POINT_KEYS_PATH,
  type PointKeysReply,
  RosterQuery,
  Sha256Hex,
  type StaffAccountsReply,
} from '../../../core/contract/central-api.js';
import { SignedDayClose } from '../../../core/contract/day-close.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { storeAuditBatch } from '../../services/audit.js';
import { storeDayClose } from '../../services/day-close.js';
import { currentHandoffKey, currentRulesKey } from '../../services/server-keys.js';
import { currentRulesForPoint } from '../../services/rules.js';
import { RULES_KEY_PATH, RULES_PATH, type RulesReply } from '../../../core/rules/wire.js';
import { putBlob, readBlobForPoint } from '../../services/blobs.js';
import { storeConfirmationBatch } from '../../services/confirmations.js';
import { rosterDelta } from '../../services/roster-delta.js';
import { staffAccountsForStation } from '../../services/staff-accounts.js';
import { requirePoint } from '../../services/points.js';
import { pointStationKeys } from '../../services/stations.js';
import { type ServerContext, parseInbound } from '../context.js';
import { authenticateStation, rawBodyOf, stationOf } from '../station-auth.js';

/** 200 confirmations of up to 64 K characters each would be 13 MB; real ones are a few KB. Blobs go separately. */
export const MAX_BATCH_BODY_BYTES = 4 * 1024 * 1024;

const BlobParams = z.strictObject({ sha256: Sha256Hex });

function mimeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Routes for enrolled stations; every request must carry a valid Ed25519 signature (see core/contract/request-signing.ts). */
export function stationRoutes(ctx: ServerContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addHook('preHandler', async (request) => {
      const station = await authenticateStation(ctx.db, request, rawBodyOf(ctx.rawBodies, request), ctx.now());
      ctx.stations.set(request, station);
    });

    app.get(`${API_PREFIX}/roster`, async (request) => {
      const station = stationOf(ctx.stations, request);
      const query = parseInbound(RosterQuery, request.query, 'roster query');
      return rosterDelta(ctx.db, station.pointCode, query.cursor || '0', query.limit);
    });

    // The station's own point only; hashes, never passwords. Stations keep them for offline sign-in.
    app.get(`${API_PREFIX}/station/staff-accounts`, async (request) => {
      const station = stationOf(ctx.stations, request);
      const reply: StaffAccountsReply = { pointCode: station.pointCode, accounts: await staffAccountsForStation(ctx.db, station.pointCode) };
      return reply;
    });

    // The public keys of the point's stations (revoked ones flagged): stations check receipts offline with them.
    app.get(POINT_KEYS_PATH, async (request) => {
      const station = stationOf(ctx.stations, request);
      const point = await requirePoint(ctx.db, station.pointCode);
      const reply: PointKeysReply = { pointCode: point.code, pointName: point.name, stations: await pointStationKeys(ctx.db, point.code) };
      return reply;
    });

    // 省级配置: the point's current bundle, signed for it; stations fetch it after each roster sync.
    app.get(RULES_PATH, async (request) => {
      const station = stationOf(ctx.stations, request);
      const reply: RulesReply = { pointCode: station.pointCode, rules: await currentRulesForPoint(ctx.db, station.pointCode) };
      return reply;
    });

    /** The key rules bundles are signed with, for stations enrolled before the server had one. */
    app.get(RULES_KEY_PATH, async (request) => {
      stationOf(ctx.stations, request);
      return (await currentRulesKey(ctx.db, ctx.now())).info;
    });

    app.get(`${API_PREFIX}/blobs/:sha256`, async (request, reply) => {
      const station = stationOf(ctx.stations, request);
      const { sha256 } = parseInbound(BlobParams, request.params, 'blob address');
      const blob = await readBlobForPoint(ctx.db, sha256, station.pointCode);
      if (!blob) throw new NotFoundError('no such blob for this point', zhCN.central.errors.notFound);
      return reply
        .header('content-type', blob.mime)
        // Blobs are data, never pages: a stored SVG opened from here must not run anything.
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, max-age=31536000, immutable')
        .send(Buffer.from(blob.bytes.buffer, blob.bytes.byteOffset, blob.bytes.byteLength));
    });

    app.put(`${API_PREFIX}/blobs/:sha256`, { bodyLimit: MAX_BLOB_BYTES }, async (request) => {
      stationOf(ctx.stations, request);
      const { sha256 } = parseInbound(BlobParams, request.params, 'blob address');
      const mime = parseInbound(BlobMime, mimeOf(request.headers['content-type']), 'blob content type');
      if (!Buffer.isBuffer(request.body)) throw new ValidationError('blob body missing', zhCN.central.blobs.empty);
      return putBlob(ctx.db, sha256, new Uint8Array(request.body), mime, ctx.now());
    });

    app.post(`${API_PREFIX}/confirmations/batch`, { bodyLimit: MAX_BATCH_BODY_BYTES }, async (request) => {
      const station = stationOf(ctx.stations, request);
      const body = parseInbound(ConfirmationBatchRequest, request.body, 'confirmation batch');
      const results = await storeConfirmationBatch(ctx.db, station, body.confirmations, ctx.now);
      const counts: Record<string, number> = {};
      for (const result of results) counts[result.status] = (counts[result.status] ?? 0) + 1;
      ctx.logger.info('confirmation batch', { station: station.id, items: results.length, ...counts });
      const reply: ConfirmationBatchReply = { results };
      return reply;
    });

    app.post(`${API_PREFIX}/station/audit`, { bodyLimit: MAX_AUDIT_BODY_BYTES }, async (request) => {
      const station = stationOf(ctx.stations, request);
      const body = parseInbound(AuditBatchRequest, request.body, 'audit batch');
      const reply = await storeAuditBatch(ctx.db, station, body.entries, ctx.now);
      // Counts and seqs only: entries name staff and records.
      if (reply.breaks.length > 0) {
        ctx.logger.warn('audit chain break', { station: station.id, breaks: reply.breaks.length, firstSeq: reply.breaks[0]!.seq, reason: reply.breaks[0]!.reason });
      }
      ctx.logger.info('audit batch', { station: station.id, stored: reply.stored, duplicates: reply.duplicates });
      return reply;
    });

    /** The key 离线移交 bundles are sealed to, for stations enrolled before the server had one. */
    app.get(HANDOFF_KEY_PATH, async (request) => {
      stationOf(ctx.stations, request);
      return currentHandoffKey(ctx.db, ctx.now());
    });

    /** 日结: a signed day-close record; stored once per id, a re-close of the same day is the next version. */
    app.post(DAY_CLOSE_PATH, { bodyLimit: 64 * 1024 }, async (request) => {
      const station = stationOf(ctx.stations, request);
      const body = parseInbound(SignedDayClose, request.body, 'day close');
      const reply = await storeDayClose(ctx.db, station, body, 'online', ctx.now());
      ctx.logger.info('day close', { station: station.id, day: body.record.day, status: reply.status, version: reply.version });
      return reply;
    });
  };
}
