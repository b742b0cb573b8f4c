import { z } from 'zod';
import { StaffAccountId } from './staff.js';

/** What a supervisor can approve at the desk; each lands in the confirmation and the audit log. */
export const supervisorActions = [
  'roster-stale', // confirmations while the roster is older than the limit
  'already-processed', // a candidate already confirmed or rejected comes again
  'identity-override', // 人工认证: face check not passed
  'fingerprint-exception', // a finger missing or injured, no usable capture
] as const;
export const SupervisorAction = z.enum(supervisorActions);
export type SupervisorAction = z.infer<typeof SupervisorAction>;

/**
 * The named supervisor's own sign-in password, checked by the host's one StaffAuth (same lockout as sign-in).
 * The field keeps its old name `pin`: config supervisors' digit PINs are passwords like any other.
 */
export const SupervisorApprovalRequest = z.strictObject({
  supervisorId: StaffAccountId,
  pin: z.string().min(1).max(128),
  action: SupervisorAction,
  /** A reason from the list plus the supervisor's own words. */
  reason: z.string().trim().min(2).max(200),
});
export type SupervisorApprovalRequest = z.infer<typeof SupervisorApprovalRequest>;

export const SupervisorApproval = z.strictObject({
  approvalId: z.uuid(),
  supervisorId: z.string().max(32),
  supervisorName: z.string().max(50),
  action: SupervisorAction,
  reason: z.string().max(200),
  at: z.iso.datetime({ offset: true }),
});
export type SupervisorApproval = z.infer<typeof SupervisorApproval>;

export const SupervisorList = z.strictObject({
  supervisors: z.array(z.strictObject({ id: z.string().max(32), name: z.string().max(50) })).max(50),
  /** The demo accounts are offered (simulators only, no accounts downloaded or configured). */
  demo: z.boolean(),
});
export type SupervisorList = z.infer<typeof SupervisorList>;
