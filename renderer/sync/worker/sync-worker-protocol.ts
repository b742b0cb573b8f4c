import { z } from 'zod';
import { WireReply } from '../../../core/contract/wire.js';
import { isDataKey } from '../../db/blob-vault.js';
import { syncCalls } from '../api-central-link.js';
import type { SyncEngineStatus } from '../sync-engine.js';

/**
 * Messages between the staff window and the sync worker. The worker has no bridge of its own (an Electron
 * preload exists only in windows), so it asks the window to make its `central.*` calls; the window relays
 * only the calls in `syncCalls`, and the replies come back as the same WireReply the bridges use.
 */
export const SyncWorkerStart = z.strictObject({
  type: z.literal('start'),
  dbName: z.string().min(1).max(100),
  /** The point this station is enrolled at; without it only uploads run (and fail until enrollment). */
  point: z.strictObject({ code: z.string().max(32), name: z.string().max(100) }).optional(),
  /**
   * The station's data key for the encrypted blobs. A non-extractable CryptoKey survives structured
   * cloning as it is: the worker can use it but, like the window, never read its bytes.
   */
  dataKey: z.custom<CryptoKey>(isDataKey, 'must be the AES-GCM data key'),
});

export const ToWorker = z.discriminatedUnion('type', [
  SyncWorkerStart,
  z.strictObject({ type: z.literal('sync-now') }),
  /** A confirmation was saved: upload soon. */
  z.strictObject({ type: z.literal('wake') }),
  z.strictObject({ type: z.literal('requeue'), confirmationIds: z.array(z.uuid()).max(10_000).optional() }),
  z.strictObject({ type: z.literal('reply'), id: z.number().int().nonnegative(), reply: WireReply }),
]);
export type ToWorker = z.infer<typeof ToWorker>;

export const WorkerCall = z.strictObject({
  type: z.literal('call'),
  id: z.number().int().nonnegative(),
  method: z.enum(syncCalls),
  payload: z.unknown(),
});

/** Status is produced by our own engine from the database; the window checks only its envelope. */
export const FromWorker = z.discriminatedUnion('type', [
  WorkerCall,
  z.strictObject({ type: z.literal('status'), status: z.custom<SyncEngineStatus>((value) => typeof value === 'object' && value !== null) }),
  z.strictObject({ type: z.literal('started') }),
  /** The engine could not start (database unavailable …): code only, never record content. */
  z.strictObject({ type: z.literal('failed'), code: z.string().max(60), message: z.string().max(500) }),
  z.strictObject({ type: z.literal('log'), event: z.string().max(60), fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])) }),
]);
export type FromWorker = z.infer<typeof FromWorker>;

/** The two ends of a message channel: a Worker, a DedicatedWorkerGlobalScope or a MessagePort. */
export interface MessageEndpoint {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}
