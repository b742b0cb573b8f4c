import { z } from 'zod';
import type { StationDb } from '../db/station-db.js';

/**
 * The upload stage's rows in `syncState`. Values are typed `unknown` in the schema, so every read goes
 * through these zod schemas: an old or damaged value is ignored rather than trusted.
 */
export const syncKeys = {
  lastSuccessAt: 'upload.lastSuccessAt',
  lastError: 'upload.lastError',
  /** The server acknowledged this confirmation (the record itself stays in `confirmations`). */
  ack: (confirmationId: string) => `upload.ack:${confirmationId}`,
  /** The server holds this blob: later records that refer to the same bytes skip the upload. */
  blob: (sha256: string) => `upload.blob:${sha256}`,
} as const;

export const AckInfo = z.strictObject({
  at: z.number(),
  outcome: z.enum(['accepted', 'duplicate']),
  /** The server flagged another station's confirmation of the same candidate, for supervisors. */
  crossStation: z.boolean(),
  /**
   * The server stored the record under a rules version it does not know for the point (ConfirmationResult
   * .unknownRules), for supervisors. Written only when flagged; acks stored before it existed have none.
   */
  unknownRules: z.literal(true).optional(),
});
export type AckInfo = z.infer<typeof AckInfo>;

export const LastError = z.strictObject({
  at: z.number(),
  code: z.string().max(60),
  message: z.string().max(500),
  transient: z.boolean(),
});
export type LastError = z.infer<typeof LastError>;

const Timestamp = z.number().int().nonnegative();

export async function readLastSuccessAt(db: StationDb): Promise<number | undefined> {
  const parsed = Timestamp.safeParse((await db.syncState.get(syncKeys.lastSuccessAt))?.value);
  return parsed.success ? parsed.data : undefined;
}

export async function readLastError(db: StationDb): Promise<LastError | undefined> {
  const parsed = LastError.safeParse((await db.syncState.get(syncKeys.lastError))?.value);
  return parsed.success ? parsed.data : undefined;
}

export async function readAck(db: StationDb, confirmationId: string): Promise<AckInfo | undefined> {
  const parsed = AckInfo.safeParse((await db.syncState.get(syncKeys.ack(confirmationId)))?.value);
  return parsed.success ? parsed.data : undefined;
}
