import { z } from 'zod';

/**
 * The point's people who work the station. 操作员 run the desk; 主管 answer for the day (approvals,
 * review queue, exports with full numbers, day close). Accounts are provisioned on the central server.
 */
export const staffRoles = ['operator', 'supervisor'] as const;
export const StaffRole = z.enum(staffRoles);
export type StaffRole = z.infer<typeof StaffRole>;

export const StaffAccountId = z.string().regex(/^[0-9A-Za-z_-]{2,32}$/, 'account id: 2–32 of A–Z, a–z, 0–9, _ and -');

/** Who did something: every confirmation, rejection, override, export and day close names one. */
export const Actor = z.strictObject({
  accountId: StaffAccountId,
  name: z.string().min(1).max(50),
  role: StaffRole,
});
export type Actor = z.infer<typeof Actor>;

/** A password hash as `scrypt$N$r$p$salt$key` (base64 parts); the only form an account's secret travels in. */
export const PasswordHash = z.string().regex(/^scrypt\$\d{4,7}\$\d{1,2}\$\d{1,2}\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}$/, 'must be an scrypt hash');

/** An account as the central server hands it to the point's stations (hash only, never the password). */
export const StaffAccount = z.strictObject({
  id: StaffAccountId,
  name: z.string().trim().min(1).max(50),
  role: StaffRole,
  passwordHash: PasswordHash,
  disabled: z.boolean().default(false),
});
export type StaffAccount = z.infer<typeof StaffAccount>;
