import { z } from 'zod';
import { describeIssues } from '../api/describe-issues.js';
import { Actor } from '../contract/staff.js';
import { ValidationError } from '../errors/station-error.js';

/**
 * The daily log (导出日志) as the exports write it: every cell already a display string from the catalogue, so the
 * XLSX, CSV and PDF writers only lay it out. It crosses the IPC boundary renderer → host (the renderer reads the
 * day's records from its database, the host writes the files), so every size is bounded here.
 */
export const maxDayLogRows = 20000;
/** Exceptions per log: a record can raise several (override, face band, approvals …). */
export const maxDayLogExceptions = 5 * maxDayLogRows;

const Cell = z.string().max(500);
const LongCell = z.string().max(2000);
const Count = z.number().int().min(0).max(10 * maxDayLogRows);

export const DayString = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'day: YYYY-MM-DD');
export const OffsetDateTime = z.iso.datetime({ offset: true });

export const syncStates = ['acknowledged', 'pending', 'handed-off', 'needs-attention'] as const;
export const SyncState = z.enum(syncStates);
export type SyncState = z.infer<typeof SyncState>;

/**
 * A candidate's document number, masked or full: 18 characters (a resident or a 2023 foreign permanent resident
 * number), or a 2017 foreign permanent resident number (3 letters + 12 digits).
 */
const MaskableDocumentNumber = z.string().regex(/^(?:[0-9X*]{18}|[A-Z]{3}[0-9*]{12})$/, 'document number, masked or full');

/** One row per candidate: the latest version of the record chain. */
export const DayLogRow = z.strictObject({
  seq: z.number().int().min(1).max(maxDayLogRows),
  recordId: z.uuid(),
  registrationNo: z.string().max(20),
  name: z.string().max(50),
  /** Masked (`410105********0223`, `USA1100******05`) unless the log was made with full numbers. */
  citizenId: MaskableDocumentNumber,
  candidateType: Cell,
  result: Cell,
  verification: Cell,
  face: Cell,
  fingerprints: Cell,
  materials: Cell,
  operator: Cell,
  /** ISO 8601 with the point's offset, so the writers show the point's wall-clock time. */
  confirmedAt: OffsetDateTime,
  sync: SyncState,
  note: LongCell,
});
export type DayLogRow = z.infer<typeof DayLogRow>;

export const exceptionKinds = [
  'identity-override',
  'identity-fail',
  'face-review',
  'face-fail',
  'roster-stale',
  'already-processed',
  'fingerprint-exception',
  'ocr-identity',
  'manual-identity',
  'rejected',
  'materials-pending',
] as const;
export const ExceptionKind = z.enum(exceptionKinds);
export type ExceptionKind = z.infer<typeof ExceptionKind>;

export const DayLogException = z.strictObject({
  seq: z.number().int().min(1).max(maxDayLogExceptions),
  kind: ExceptionKind,
  /** The row this exception belongs to. */
  recordSeq: z.number().int().min(1).max(maxDayLogRows),
  registrationNo: z.string().max(20),
  name: z.string().max(50),
  citizenId: MaskableDocumentNumber,
  detail: LongCell,
  /** The supervisor who approved it at the desk, `name（id）`, or empty. */
  approvedBy: Cell,
  /** The supervisor's later 复核 decision, or empty. */
  review: LongCell,
  at: OffsetDateTime,
});
export type DayLogException = z.infer<typeof DayLogException>;

export const CountEntry = z.strictObject({ label: Cell, count: Count });
export type CountEntry = z.infer<typeof CountEntry>;

export const DayLog = z.strictObject({
  point: z.strictObject({ code: z.string().min(1).max(40), name: z.string().min(1).max(100) }),
  station: z.strictObject({ name: z.string().min(1).max(100), id: z.string().max(64).optional() }),
  day: DayString,
  /** The point's offset from UTC in minutes (China: 480); `day` and the times are in it. */
  utcOffsetMinutes: z.number().int().min(-840).max(840),
  generatedAt: OffsetDateTime,
  generatedBy: Actor,
  fullNumbers: z.boolean(),
  rows: z.array(DayLogRow).max(maxDayLogRows),
  exceptions: z.array(DayLogException).max(maxDayLogExceptions),
  counts: z.strictObject({
    total: Count,
    byResult: z.array(CountEntry).max(10),
    byCandidateType: z.array(CountEntry).max(20),
    byOperator: z.array(CountEntry).max(500),
    byException: z.array(CountEntry).max(exceptionKinds.length),
  }),
  sync: z.strictObject({ acknowledged: Count, pending: Count, handedOff: Count, needsAttention: Count }),
});
export type DayLog = z.infer<typeof DayLog>;

/** Validates a day log that came over a trust boundary; a bad one is a ValidationError naming paths, never values. */
export function parseDayLog(input: unknown): DayLog {
  const parsed = DayLog.safeParse(input);
  if (!parsed.success) throw new ValidationError(`day log: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
