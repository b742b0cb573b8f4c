import { z } from 'zod';
import { errorCodes } from '../errors/station-error.js';

/** The serialised form of a StationError; the same on IPC and WebSocket. */
export const WireError = z.strictObject({
  code: z.enum(errorCodes),
  message: z.string().max(2000),
  detail: z.string().max(2000).optional(),
  retryable: z.boolean().optional(),
  reason: z.string().max(60).optional(),
});
export type WireError = z.infer<typeof WireError>;

export const WireReply = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), value: z.unknown() }),
  z.strictObject({ ok: z.literal(false), error: WireError }),
]);
export type WireReply = z.infer<typeof WireReply>;

/**
 * WebSocket frames (the Electron host uses ipcRenderer.invoke instead, with the same reply shape). Large enough
 * for a day log of 20,000 rows (about 10 MB of JSON) in one call; only the token-holding staff page on loopback
 * can send one, so the bound is about memory, not about strangers.
 */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;
export const WsRequest = z.strictObject({
  type: z.literal('call'),
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  method: z.string().max(100),
  payload: z.unknown(),
});
export type WsRequest = z.infer<typeof WsRequest>;

export const WsServerFrame = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('reply'), id: z.number().int().nonnegative(), reply: WireReply }),
  z.strictObject({ type: z.literal('event'), event: z.string().max(100), payload: z.unknown() }),
  /** Sent when a request frame is unreadable and so has no id to answer. */
  z.strictObject({ type: z.literal('protocol-error'), error: WireError }),
]);
export type WsServerFrame = z.infer<typeof WsServerFrame>;
