import { z } from 'zod';

/**
 * How a confirmation record ends: 已确认, 审核未通过, or 待补材料 (the candidate brings the missing papers later and
 * a new version completes the record). Its own module: the kiosk contract and the record contract both need it.
 */
export const recordOutcomes = ['confirmed', 'rejected', 'pending-materials'] as const;
export const RecordOutcome = z.enum(recordOutcomes);
export type RecordOutcome = z.infer<typeof RecordOutcome>;
