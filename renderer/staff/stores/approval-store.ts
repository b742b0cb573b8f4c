import { createStore, type StoreApi } from 'zustand/vanilla';
import type { StationClient } from '../../../core/api/client.js';
import type { SupervisorAction, SupervisorApproval, SupervisorList } from '../../../core/contract/supervisor.js';
import { toStationError } from '../../../core/errors/station-error.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { AuditAppend } from '../../audit/audit-log.js';

export interface ApprovalForm {
  supervisorId: string;
  pin: string;
  /** One of the listed reasons. */
  reason: string;
  /** The supervisor's own words. */
  detail: string;
}

/** The supervisor approval dialog: any step asks for one and awaits the answer. */
export interface ApprovalState {
  open: { action: SupervisorAction } | undefined;
  supervisors: SupervisorList | undefined;
  busy: boolean;
  error: string | undefined;
  /** Resolves with the approval, or undefined when staff cancel. */
  ask(action: SupervisorAction): Promise<SupervisorApproval | undefined>;
  submit(form: ApprovalForm): Promise<void>;
  cancel(): void;
}

export interface ApprovalDeps {
  api: Pick<StationClient<'staff'>, 'call'>;
  /** Every granted and every refused approval goes to the station's audit chain (AuditLog.append). */
  audit?: (entry: AuditAppend) => Promise<unknown>;
}

/**
 * The audit line of a granted approval: who approved which action, and the approval's id (which the record
 * carries too). The reason's words stay out: free text may name the candidate.
 */
export function approvalAudit(approval: SupervisorApproval): AuditAppend {
  return { kind: 'approval', actor: { accountId: approval.supervisorId, name: approval.supervisorName, role: 'supervisor' }, detail: `${approval.action} ${approval.approvalId}` };
}

/** A refused try: the account that was tried and the action, never what was typed as the password. */
export function approvalFailedAudit(supervisorId: string, action: SupervisorAction): AuditAppend {
  return { kind: 'approval-failed', detail: `${action} account ${supervisorId}` };
}

export function createApprovalStore(deps: ApprovalDeps): StoreApi<ApprovalState> {
  let answer: ((approval: SupervisorApproval | undefined) => void) | undefined;
  const settle = (approval: SupervisorApproval | undefined) => {
    answer?.(approval);
    answer = undefined;
  };

  return createStore<ApprovalState>()((set, get) => ({
    open: undefined,
    supervisors: undefined,
    busy: false,
    error: undefined,

    ask(action) {
      settle(undefined);
      set({ open: { action }, busy: false, error: undefined });
      void deps.api.call('supervisor.list', {}).then(
        (supervisors) => set({ supervisors, ...(supervisors.supervisors.length === 0 ? { error: zhCN.supervisor.noneConfigured } : {}) }),
        (error: unknown) => set({ error: toStationError(error).userMessage }),
      );
      return new Promise((resolve) => (answer = resolve));
    },

    async submit(form) {
      const open = get().open;
      if (!open || get().busy) return;
      const reason = [form.reason, form.detail.trim()].filter(Boolean).join('：');
      set({ busy: true, error: undefined });
      try {
        const approval = await deps.api.call('supervisor.authorize', { supervisorId: form.supervisorId, pin: form.pin, action: open.action, reason });
        void deps.audit?.(approvalAudit(approval)).catch(() => undefined);
        set({ open: undefined, busy: false });
        settle(approval);
      } catch (error) {
        void deps.audit?.(approvalFailedAudit(form.supervisorId, open.action)).catch(() => undefined);
        set({ busy: false, error: toStationError(error).userMessage });
      }
    },

    cancel() {
      set({ open: undefined, busy: false, error: undefined });
      settle(undefined);
    },
  }));
}
