import type { FastifyInstance } from 'fastify';
import { RECEIPT_VERIFY_PATH, ReceiptVerifyRequest } from '../../../core/contract/receipt.js';
import { verifyReceipt } from '../../services/receipts.js';
import { type ServerContext, parseInbound } from '../context.js';

/** A QR text is at most 1 KB; the JSON envelope around it adds a few bytes. */
export const MAX_RECEIPT_BODY_BYTES = 2 * 1024;

/**
 * Public receipt verification: whoever holds the paper (the candidate, an exam office) may ask. It reveals
 * only what the receipt already claims plus a masked name and number, and only for a signature the
 * station's registered key made, so guessing ids or scanning stations learns nothing personal.
 */
export function receiptRoutes(ctx: ServerContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post(RECEIPT_VERIFY_PATH, { bodyLimit: MAX_RECEIPT_BODY_BYTES }, async (request) => {
      const body = parseInbound(ReceiptVerifyRequest, request.body, 'receipt verification');
      const reply = await verifyReceipt(ctx.db, body.qr);
      ctx.logger.info('receipt verified', { status: reply.status });
      return reply;
    });
  };
}
