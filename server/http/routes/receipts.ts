import type { FastifyInstance } from 'fastify';
import { RECEIPT_VERIFY_PATH, ReceiptVerifyRequest } from '../../../core/contract/receipt.js';
import { verifyReceipt } from '../../services/receipts.js';
import { type ServerContext, parseInbound } from '../context.js';
import { DEFAULT_RECEIPT_VERIFY_PER_MINUTE, type RateLimit, TokenBuckets } from '../rate-limit.js';

/** A QR text is at most 1 KB; the JSON envelope around it adds a few bytes. */
export const MAX_RECEIPT_BODY_BYTES = 2 * 1024;

/**
 * Public receipt verification: whoever holds the paper (the candidate, an exam office) may ask. It reveals
 * only what the receipt already claims plus a masked name and number, and only for a signature the
 * station's registered key made, so guessing ids or scanning stations learns nothing personal. Each peer address
 * has a token bucket (30 a minute unless configured): more answers 429 RATE_LIMITED with Retry-After.
 */
export function receiptRoutes(ctx: ServerContext, limit: RateLimit = { perMinute: DEFAULT_RECEIPT_VERIFY_PER_MINUTE }) {
  const buckets = new TokenBuckets(limit, ctx.now);
  return async (app: FastifyInstance): Promise<void> => {
    app.post(RECEIPT_VERIFY_PATH, { bodyLimit: MAX_RECEIPT_BODY_BYTES }, async (request) => {
      // Before the body is looked at: a flood of malformed requests spends tokens too.
      buckets.take(request.ip);
      const body = parseInbound(ReceiptVerifyRequest, request.body, 'receipt verification');
      const reply = await verifyReceipt(ctx.db, body.qr);
      ctx.logger.info('receipt verified', { status: reply.status });
      return reply;
    });
  };
}
