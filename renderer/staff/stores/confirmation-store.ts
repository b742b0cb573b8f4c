import { createStore, type StoreApi } from 'zustand/vanilla';
import type { FlowState } from '../../../core/confirmation-flow/confirmation-flow.js';
import type { ConfirmationContent } from '../../../core/contract/confirmation.js';
import type { KioskResponse } from '../../../core/contract/kiosk.js';
import type { SupervisorApproval } from '../../../core/contract/supervisor.js';
import { eligibilityOutcome, materialsByType, type MaterialId, type MaterialVerdict } from '../../../core/eligibility/materials.js';
import { toStationError } from '../../../core/errors/station-error.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { ConfirmationRepository, NewBlob } from '../../confirmations/confirmation-repository.js';
import { signatureSvg } from '../../confirmations/signature-svg.js';
import type { CheckInState } from './check-in-store.js';
import type { Collector } from './collector.js';

type Strokes = Extract<KioskResponse, { kind: 'signature' }>['strokes'];

export interface SavedRecord {
  id: string;
  outcome: 'confirmed' | 'rejected';
  reasons: string[];
}

/** What staff decided at each step after identification, and the saving of the record. */
export interface ConfirmationState {
  identity: ConfirmationContent['identityCheck'];
  verdicts: Partial<Record<MaterialId, MaterialVerdict>>;
  /** Approvals that apply to this candidate's record (the stale-roster one is added at save). */
  approvals: SupervisorApproval[];
  signature: Strokes | undefined;
  saving: boolean;
  saved: SavedRecord | undefined;
  error: string | undefined;
  identityPassed(): Promise<void>;
  identityFailed(): Promise<void>;
  setVerdict(id: MaterialId, verdict: MaterialVerdict): void;
  /** 信息采集 is complete when every collector is ready. */
  collectDone(): Promise<void>;
  eligibilityPassed(): Promise<void>;
  eligibilityFailed(): Promise<void>;
  /** Saves the confirmed record once the candidate has signed. */
  saveConfirmed(): Promise<void>;
}

export interface ConfirmationDeps {
  checkIn: StoreApi<CheckInState>;
  repository: Pick<ConfirmationRepository, 'save'>;
  /** The supervisor's approval to work on a stale roster, when one is in force. */
  rosterOverride: () => SupervisorApproval | undefined;
  /** A record was saved: upload soon. */
  onSaved: () => void;
  /** The parts of 信息采集 this station does (standard photo, fingerprints); none skips the step. */
  collectors?: readonly Collector[];
  now?: () => Date;
}

const empty = { identity: undefined, verdicts: {}, approvals: [], signature: undefined, saving: false, saved: undefined, error: undefined };

export function createConfirmationStore(deps: ConfirmationDeps): StoreApi<ConfirmationState> {
  const now = deps.now ?? (() => new Date());
  const flow = () => deps.checkIn.getState().flow;
  const collectors = deps.collectors ?? [];

  return createStore<ConfirmationState>()((set, get) => {
    // A new candidate (or 办理下一位) starts a clean record; the kiosk's signature lands on the pledge step.
    deps.checkIn.subscribe((state, previous) => {
      const session = (f: FlowState) => (f.step === 'identify' ? undefined : f.sessionId);
      if (session(state.flow) !== session(previous.flow)) {
        set(empty);
        for (const collector of collectors) collector.reset();
      }
      const response = state.kioskResponse;
      if (response?.kind === 'signature' && response !== previous.kioskResponse && state.flow.step === 'candidate-confirm') {
        set({ signature: response.strokes });
      }
    });

    const save = async (outcome: 'confirmed' | 'rejected', reasons: string[], ownBlobs: NewBlob[], extra: Partial<ConfirmationContent>) => {
      let blobs = ownBlobs;
      const current = flow();
      if (current.step === 'identify' || current.step === 'done' || get().saving || get().saved) return;
      const override = deps.rosterOverride();
      // A rejected record keeps no photo or fingerprints: nothing is collected that the decision does not need.
      const parts = outcome === 'confirmed' ? collectors.map((collector) => collector.contribution()) : [];
      const approvals = [...(override ? [override] : []), ...get().approvals, ...parts.flatMap((part) => part.approvals)];
      const collected = Object.assign({}, ...parts.map((part) => part.content)) as Partial<ConfirmationContent>;
      blobs = [...parts.flatMap((part) => part.blobs), ...blobs];
      set({ saving: true, error: undefined });
      try {
        const record = await deps.repository.save({
          content: {
            candidate: { citizenId: current.candidate.citizenId, registrationNo: current.candidate.registrationNo, name: current.candidate.name },
            identification: { source: current.source, ...(current.card ? { cardType: current.card.cardType } : {}) },
            ...(get().identity ? { identityCheck: get().identity } : {}),
            ...collected,
            ...extra,
            ...(approvals.length > 0 ? { approvals } : {}),
            outcome,
            reasons,
            decidedAt: now().toISOString(),
          },
          blobs,
        });
        set({ saving: false, saved: { id: record.id, outcome, reasons } });
        deps.onSaved();
        await deps.checkIn.getState().conclude(outcome);
      } catch (error) {
        set({ saving: false, error: zhCN.done.saveFailed + toStationError(error).userMessage });
      }
    };

    const eligibility = (): ConfirmationContent['eligibility'] => {
      const current = flow();
      if (current.step === 'identify') return undefined;
      const type = current.candidate.candidateType;
      const verdicts = get().verdicts;
      return {
        candidateType: type,
        items: materialsByType[type].flatMap((id) => (verdicts[id] ? [{ id, result: verdicts[id] }] : [])),
      };
    };

    return {
      ...empty,

      async identityPassed() {
        if (flow().step !== 'verify-identity') return;
        set({ identity: { method: 'visual', result: 'pass' } });
        await deps.checkIn.getState().advance('verify-identity');
        // A station that collects nothing (no camera or scanner configured) has nothing to do in 信息采集.
        if (collectors.length === 0) await deps.checkIn.getState().advance('collect');
      },

      async collectDone() {
        if (flow().step !== 'collect' || !collectors.every((collector) => collector.ready())) return;
        await deps.checkIn.getState().advance('collect');
      },

      async identityFailed() {
        if (flow().step !== 'verify-identity') return;
        set({ identity: { method: 'visual', result: 'fail' } });
        await save('rejected', [zhCN.identity.failReason], [], {});
      },

      setVerdict(id, verdict) {
        if (flow().step !== 'eligibility') return;
        set({ verdicts: { ...get().verdicts, [id]: verdict } });
      },

      async eligibilityPassed() {
        const current = flow();
        if (current.step !== 'eligibility') return;
        if (!eligibilityOutcome(current.candidate.candidateType, get().verdicts).passed) return;
        await deps.checkIn.getState().advance('eligibility');
      },

      async eligibilityFailed() {
        const current = flow();
        if (current.step !== 'eligibility') return;
        const { failed } = eligibilityOutcome(current.candidate.candidateType, get().verdicts);
        if (failed.length === 0) return;
        const content = eligibility();
        await save('rejected', failed.map((id) => zhCN.materials.rejectReasons[id]), [], content ? { eligibility: content } : {});
      },

      async saveConfirmed() {
        const signature = get().signature;
        if (flow().step !== 'candidate-confirm' || !signature) return;
        const content = eligibility();
        await save('confirmed', [], [{ role: 'signature', mime: 'image/svg+xml', bytes: signatureSvg(signature) }], {
          ...(content ? { eligibility: content } : {}),
          pledge: { signedAt: now().toISOString(), pledgeVersion: zhCN.kiosk.pledgeVersion },
        });
      },
    };
  });
}
