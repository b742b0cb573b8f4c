import { z } from 'zod';
import { DayLog } from '../day-log/day-log.js';

/**
 * Files the station makes for people to take away (the day's exports, the handoff bundle). Electron asks where
 * to save them (a save dialog); the browser host offers them as a one-time download from the staff origin.
 */
export const SavedFile = z.strictObject({
  fileName: z.string().min(1).max(200),
  bytes: z.number().int().nonnegative(),
  /** SHA-256 of the file, so a supervisor (or the central office) can check a copy. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Electron: where the user saved it. */
  savedTo: z.string().max(1000).optional(),
  /** Browser host: a same-origin path that serves the file once, for a few minutes. */
  downloadPath: z.string().regex(/^\/download\/[A-Za-z0-9_-]{16,64}$/).optional(),
  /** The user closed the save dialog: nothing was written. */
  cancelled: z.literal(true).optional(),
});
export type SavedFile = z.infer<typeof SavedFile>;

export const exportFormats = ['xlsx', 'csv', 'pdf'] as const;
export const ExportFormat = z.enum(exportFormats);
export type ExportFormat = z.infer<typeof ExportFormat>;

export const DayLogExportRequest = z.strictObject({ format: ExportFormat, log: DayLog });
export type DayLogExportRequest = z.infer<typeof DayLogExportRequest>;
