import { createStore, type StoreApi } from 'zustand/vanilla';
import { maskCitizenId } from '../../../core/citizen-id/citizen-id.js';
import type { FlowStep } from '../../../core/confirmation-flow/confirmation-flow.js';
import { toStationError } from '../../../core/errors/station-error.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { AuditAppend } from '../../audit/audit-log.js';
import type { DraftRepository } from '../../confirmations/draft-repository.js';
import { applyDeskDraft, resumableDraft, type DeskStores, type ResumableDraft } from '../services/desk-draft.js';

/** What staff are offered after a crash or reload: who, at which step, since when. */
export interface ResumeOffer {
  name: string;
  citizenIdMasked: string;
  step: FlowStep;
  at: string;
}

export interface ResumeState {
  status: 'checking' | 'none' | 'offer' | 'working';
  offer: ResumeOffer | undefined;
  discardReason: string;
  error: string | undefined;
  /** Reads the stored draft (at start, once the desk is signed in). */
  check(): Promise<void>;
  /** 继续办理: the stores take the draft back; the kiosk is shown the step again. */
  resume(): Promise<void>;
  setDiscardReason(text: string): void;
  /** 放弃: the draft is deleted, with the reason in the audit log. */
  discard(): Promise<void>;
}

export interface ResumeDeps {
  drafts: Pick<DraftRepository, 'read' | 'clear'>;
  stores: DeskStores;
  audit: (entry: AuditAppend) => Promise<unknown>;
  /** Starts keeping the draft in step with the desk (once the offer is answered, or when there was none). */
  keep: () => void;
}

const MIN_REASON = 2;
/** A typed reason may name a citizen number; the audit log never holds one. */
const scrub = (text: string) => text.replace(/\d{15,17}[\dXx]?/g, '＊＊＊').trim().slice(0, 200);

export function createResumeStore(deps: ResumeDeps): StoreApi<ResumeState> {
  let draft: ResumableDraft | undefined;
  let kept = false;
  const keep = () => {
    if (kept) return;
    kept = true;
    deps.keep();
  };
  return createStore<ResumeState>()((set, get) => ({
    status: 'checking',
    offer: undefined,
    discardReason: '',
    error: undefined,

    async check() {
      if (get().status !== 'checking') return;
      try {
        const stored = await deps.drafts.read();
        draft = resumableDraft(stored);
        if (!draft) {
          // Parts without a readable flow (a damaged row) cannot be resumed; keeping them helps nobody.
          if (Object.keys(stored.parts).length > 0 || stored.unreadable.length > 0) await deps.drafts.clear();
          set({ status: 'none' });
          keep();
          return;
        }
        const { candidate, step } = draft.flow;
        set({ status: 'offer', offer: { name: candidate.name, citizenIdMasked: maskCitizenId(candidate.citizenId), step, at: draft.at } });
      } catch (error) {
        set({ status: 'none', error: zhCN.resume.readFailed + toStationError(error).userMessage });
        keep();
      }
    },

    async resume() {
      if (get().status !== 'offer' || !draft) return;
      set({ status: 'working', error: undefined });
      try {
        const applied = await applyDeskDraft(deps.stores, draft);
        await deps.audit({ kind: 'confirmation-resumed', detail: `step ${draft.flow.step}; parts ${applied.join(',')}` }).catch(() => undefined);
        set({ status: 'none', offer: undefined });
      } catch (error) {
        set({ status: 'offer', error: toStationError(error).userMessage });
        return;
      }
      keep();
    },

    setDiscardReason: (text) => set({ discardReason: text.slice(0, 200) }),

    async discard() {
      const reason = scrub(get().discardReason);
      if (get().status !== 'offer' || !draft) return;
      if (reason.length < MIN_REASON) {
        set({ error: zhCN.resume.reasonRequired });
        return;
      }
      set({ status: 'working', error: undefined });
      try {
        // The reason is on record before the draft goes: a failed log line keeps the draft.
        await deps.audit({ kind: 'confirmation-discarded', detail: `step ${draft.flow.step}; ${reason}` });
        await deps.drafts.clear();
        draft = undefined;
        set({ status: 'none', offer: undefined, discardReason: '' });
        keep();
      } catch (error) {
        set({ status: 'offer', error: toStationError(error).userMessage });
      }
    },
  }));
}
