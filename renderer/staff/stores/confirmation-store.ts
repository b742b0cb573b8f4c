import { createStore, type StoreApi } from 'zustand/vanilla';
import type { FlowState } from '../../../core/confirmation-flow/confirmation-flow.js';
import type { ConfirmationContent, RecordOutcome } from '../../../core/contract/confirmation.js';
import type { KioskResponse } from '../../../core/contract/kiosk.js';
import type { SupervisorApproval } from '../../../core/contract/supervisor.js';
import type { Actor } from '../../../core/contract/staff.js';
import { toStationError } from '../../../core/errors/station-error.js';
import { maskCitizenId } from '../../../core/citizen-id/citizen-id.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { ConfirmationRepository, NewBlob } from '../../confirmations/confirmation-repository.js';
import { signatureSvg } from '../../confirmations/signature-svg.js';
import type { CheckInState } from './check-in-store.js';
import type { Collector, Contribution } from './collector.js';
import { decisionBlocker, eligibilityRecord, papersReview, preparedDecision, type EligibilityState } from './eligibility-store.js';
import { followsOf, type VisitState } from './visit-store.js';

type FaceRecord = NonNullable<NonNullable<ConfirmationContent['identityCheck']>['face']>;
/** What a face result brings to the record (FaceMatchResult has all of it; older callers only the first three). */
type FaceFigures = Pick<FaceRecord, 'distance' | 'threshold' | 'modelVersion'> & Partial<Pick<FaceRecord, 'recognizer' | 'metric' | 'reviewBand' | 'crops' | 'decision'>>;

/** Only the record's own fields: a result object carries timings and frames the contract does not take. */
function faceRecord(f: FaceFigures): FaceRecord {
  return {
    distance: f.distance,
    threshold: f.threshold,
    modelVersion: f.modelVersion.slice(0, 120),
    ...(f.recognizer ? { recognizer: f.recognizer.slice(0, 60) } : {}),
    ...(f.metric ? { metric: f.metric } : {}),
    ...(f.reviewBand ? { reviewBand: { lower: f.reviewBand.lower, upper: f.reviewBand.upper } } : {}),
    ...(f.crops && (f.crops.reference || f.crops.live) ? { crops: { ...(f.crops.reference ? { reference: f.crops.reference } : {}), ...(f.crops.live ? { live: f.crops.live } : {}) } } : {}),
    ...(f.decision ? { decision: f.decision } : {}),
  };
}
type Strokes = Extract<KioskResponse, { kind: 'signature' }>['strokes'];

export interface SavedRecord {
  id: string;
  outcome: RecordOutcome;
  reasons: string[];
  savedAt: string;
  candidateName: string;
  citizenIdMasked: string;
  /** The signed receipt (QR as an image); absent until signed, or when signing failed (see receiptError). */
  receipt?: { qrImage: string; qr: string };
  receiptError?: string;
}

/** What staff decided at each step after identification, and the saving of the record. */
export interface ConfirmationState {
  identity: ConfirmationContent['identityCheck'];
  /** Approvals that apply to this candidate's record (the stale-roster one is added at save). */
  approvals: SupervisorApproval[];
  signature: Strokes | undefined;
  saving: boolean;
  saved: SavedRecord | undefined;
  error: string | undefined;
  identityPassed(): Promise<void>;
  /** The face check's result: 通过 moves on; anything else waits for 人工认证. */
  identityByFace(result: FaceFigures & { decision: 'pass' | 'review' | 'fail' }): Promise<void>;
  /** 人工认证: a supervisor approves going on without a passed face check. */
  identityOverride(face: FaceFigures | undefined): Promise<void>;
  identityFailed(): Promise<void>;
  /** 信息采集 is complete when every collector is ready. */
  collectDone(): Promise<void>;
  /** 资格审核 通过: every required paper 已核验; the candidate signs next. */
  eligibilityPassed(): Promise<void>;
  /** 资格审核 不通过, with the reasons prepared in the eligibility store: saved as rejected. */
  eligibilityFailed(): Promise<void>;
  /** 待补材料: saved (and synced) as an open record that the candidate's return visit completes. */
  eligibilityPending(): Promise<void>;
  /** Saves the confirmed record once the candidate has signed. */
  saveConfirmed(): Promise<void>;
  /** Resume after a crash: the decisions the desk had made for the resumed candidate. */
  restore(decisions: { identity: ConfirmationContent['identityCheck']; approvals: SupervisorApproval[]; signature: Strokes | undefined }): void;
}

export interface ConfirmationDeps {
  checkIn: StoreApi<CheckInState>;
  /** 资格审核 as staff judged it (papers, photos, the prepared decision). */
  eligibility: StoreApi<EligibilityState>;
  /** What the station already holds for this candidate (an open 待补材料 record, an earlier confirmation). */
  visit?: StoreApi<VisitState>;
  repository: Pick<ConfirmationRepository, 'save'>;
  /** The supervisor's approval to work on a stale roster, when one is in force. */
  rosterOverride: () => SupervisorApproval | undefined;
  /** A record was saved: upload soon. */
  onSaved: () => void;
  /** Signs the saved record's receipt with the station key (the central server can verify it). */
  signReceipt?: (record: { id: string; contentSha256: string; savedAt: string }) => Promise<{ qr: string }>;
  /** The QR text as an image for the receipt. */
  qrImage?: (text: string) => Promise<string>;
  /** Station policy: 身份核验 must be a face check (then the by-eye pass is not offered, and refused here). */
  faceCheckRequired?: () => boolean;
  /** Asks a supervisor (the approval dialog); undefined when cancelled or refused. */
  askApproval?: (action: 'identity-override') => Promise<SupervisorApproval | undefined>;
  /** 培训模式: records are marked and stay on this station. */
  training?: () => boolean;
  /** Who is signed in: the record names them (account id and role). */
  actor?: () => Actor | undefined;
  /** The parts of 信息采集 this station does (standard photo, fingerprints); none skips the step. */
  collectors?: readonly Collector[];
  /** The rules in force (rulesStamp of the rules store): stamped on each record; absent, the built-in pledge. */
  rules?: () => { rulesVersion: string; pledgeVersion: string };
  now?: () => Date;
}

const empty = { identity: undefined, approvals: [], signature: undefined, saving: false, saved: undefined, error: undefined };

export function createConfirmationStore(deps: ConfirmationDeps): StoreApi<ConfirmationState> {
  const now = deps.now ?? (() => new Date());
  const flow = () => deps.checkIn.getState().flow;
  const allCollectors = deps.collectors ?? [];
  const activeCollectors = () => allCollectors.filter((collector) => collector.enabled?.() ?? true);

  return createStore<ConfirmationState>()((set, get) => {
    // A new candidate (or 办理下一位) starts a clean record; the kiosk's signature lands on the pledge step.
    deps.checkIn.subscribe((state, previous) => {
      const session = (f: FlowState) => (f.step === 'identify' ? undefined : f.sessionId);
      if (session(state.flow) !== session(previous.flow)) {
        set(empty);
        for (const collector of allCollectors) collector.reset();
      }
      const response = state.kioskResponse;
      if (response?.kind === 'signature' && response !== previous.kioskResponse && state.flow.step === 'candidate-confirm') {
        set({ signature: response.strokes });
      }
    });

    const save = async (outcome: RecordOutcome, reasons: string[], ownBlobs: NewBlob[], extra: Partial<ConfirmationContent>) => {
      let blobs = ownBlobs;
      const current = flow();
      if (current.step === 'identify' || current.step === 'done' || get().saving || get().saved) return;
      const override = deps.rosterOverride();
      // A rejected record keeps no photo or fingerprints: nothing is collected that the decision does not need.
      // A 待补材料 record keeps them, for the return visit that completes it (which brings them along, `carried`).
      const parts = outcome === 'rejected' ? [] : collectedParts();
      const prior = deps.visit?.getState().prior ?? { kind: 'none' as const };
      const follows = followsOf(prior);
      const approvals = [...(override ? [override] : []), ...get().approvals, ...parts.flatMap((part) => part.approvals)];
      const collected = Object.assign({}, ...parts.map((part) => part.content)) as Partial<ConfirmationContent>;
      blobs = [...parts.flatMap((part) => part.blobs), ...blobs];
      const actor = deps.actor?.();
      set({ saving: true, error: undefined });
      try {
        const record = await deps.repository.save({
          content: {
            candidate: { citizenId: current.candidate.citizenId, registrationNo: current.candidate.registrationNo, name: current.candidate.name },
            identification: {
              source: current.source,
              ...(current.card ? { cardType: current.card.cardType } : {}),
              ...(current.fieldSources ? { fieldSources: { ...current.fieldSources } } : {}),
            },
            ...(get().identity ? { identityCheck: get().identity } : {}),
            ...(current.reports?.length ? { candidateReports: [...current.reports] } : {}),
            ...(current.corrections?.length ? { corrections: [...current.corrections] } : {}),
            ...collected,
            ...extra,
            ...(approvals.length > 0 ? { approvals } : {}),
            outcome,
            reasons,
            decidedAt: now().toISOString(),
            ...(actor ? { actor } : {}),
            ...(deps.rules ? { rulesVersion: deps.rules().rulesVersion } : {}),
            ...(deps.training?.() ? { training: true as const } : {}),
            ...(follows ? { follows } : {}),
          },
          blobs,
          ...(follows ? { supersedes: follows.recordId } : {}),
          concludesDraft: true,
        });
        const saved: SavedRecord = {
          id: record.id,
          outcome,
          reasons,
          savedAt: record.savedAt,
          candidateName: current.candidate.name,
          citizenIdMasked: maskCitizenId(current.candidate.citizenId),
        };
        set({ saving: false, saved });
        deps.onSaved();
        await deps.checkIn.getState().conclude(outcome);
        void attachReceipt(record);
      } catch (error) {
        set({ saving: false, error: zhCN.done.saveFailed + toStationError(error).userMessage });
      }
    };

    // The record is safely saved before this runs: a station without enrollment (no key to sign with yet)
    // still confirms; the receipt then says it cannot be verified online.
    const attachReceipt = async (record: { id: string; contentSha256: string; savedAt: string }) => {
      if (!deps.signReceipt) return;
      try {
        const { qr } = await deps.signReceipt({ id: record.id, contentSha256: record.contentSha256, savedAt: record.savedAt });
        const qrImage = deps.qrImage ? await deps.qrImage(qr) : '';
        const saved = get().saved;
        if (saved?.id === record.id) set({ saved: { ...saved, receipt: { qr, qrImage } } });
      } catch (error) {
        const saved = get().saved;
        if (saved?.id === record.id) set({ saved: { ...saved, receiptError: toStationError(error).userMessage } });
      }
    };

    /** The return visit of an open 待补材料 record reuses what its 信息采集 collected. */
    const carried = (): Contribution | undefined => deps.visit?.getState().carried;
    const collectedParts = (): Contribution[] => {
      const reused = carried();
      return reused ? [reused] : activeCollectors().map((collector) => collector.contribution());
    };

    const moveOnFromIdentity = async () => {
      await deps.checkIn.getState().advance('verify-identity');
      // A station that collects nothing (no camera or scanner configured) has nothing to do in 信息采集, and a
      // return visit has it done already.
      if (activeCollectors().length === 0 || carried()) await deps.checkIn.getState().advance('collect');
    };

    /** The prepared decision of kind `kind`, saveable, in the record's form; undefined (nothing saved) otherwise. */
    const eligibilityFor = (kind: 'pass' | 'reject' | 'pending') => {
      const current = flow();
      const state = deps.eligibility.getState();
      const decision = kind === 'pass' ? ({ kind: 'pass' } as const) : preparedDecision(state);
      if (current.step === 'identify' || decision?.kind !== kind) return undefined;
      if (kind !== 'pass' && decisionBlocker(state)) return undefined;
      if (kind === 'pass' && !papersReview(state)?.canPass) return undefined;
      return eligibilityRecord(state, current.candidate.candidateType, decision);
    };

    return {
      ...empty,

      async identityPassed() {
        if (flow().step !== 'verify-identity' || deps.faceCheckRequired?.()) return;
        set({ identity: { method: 'visual', result: 'pass' } });
        await moveOnFromIdentity();
      },

      async collectDone() {
        if (flow().step !== 'collect' || !activeCollectors().every((collector) => collector.ready())) return;
        await deps.checkIn.getState().advance('collect');
      },

      async identityByFace(result) {
        if (flow().step !== 'verify-identity' || result.decision !== 'pass') return;
        set({ identity: { method: 'face', result: 'pass', face: faceRecord(result) } });
        await moveOnFromIdentity();
      },

      async identityOverride(face) {
        if (flow().step !== 'verify-identity' || !deps.askApproval) return;
        const approval = await deps.askApproval('identity-override');
        if (!approval || flow().step !== 'verify-identity') return;
        set({
          identity: face
            ? { method: 'face', result: 'override', approvalId: approval.approvalId, face: faceRecord(face) }
            : { method: 'visual', result: 'override', approvalId: approval.approvalId },
          approvals: [...get().approvals, approval],
        });
        await moveOnFromIdentity();
      },

      async identityFailed() {
        if (flow().step !== 'verify-identity') return;
        set({ identity: { method: 'visual', result: 'fail' } });
        await save('rejected', [zhCN.identity.failReason], [], {});
      },

      async eligibilityPassed() {
        if (flow().step !== 'eligibility' || !eligibilityFor('pass')) return;
        await deps.checkIn.getState().advance('eligibility');
      },

      async eligibilityFailed() {
        if (flow().step !== 'eligibility') return;
        const record = eligibilityFor('reject');
        if (record) await save('rejected', record.reasons, record.blobs, { eligibility: record.section });
      },

      async eligibilityPending() {
        if (flow().step !== 'eligibility') return;
        const record = eligibilityFor('pending');
        if (record) await save('pending-materials', record.reasons, record.blobs, { eligibility: record.section });
      },

      restore(decisions) {
        if (flow().step === 'identify' || get().saved) return;
        set({ identity: decisions.identity, approvals: [...decisions.approvals], signature: decisions.signature });
      },

      async saveConfirmed() {
        const signature = get().signature;
        if (flow().step !== 'candidate-confirm' || !signature) return;
        const record = eligibilityFor('pass');
        await save('confirmed', [], [...(record?.blobs ?? []), { role: 'signature', mime: 'image/svg+xml', bytes: signatureSvg(signature) }], {
          ...(record ? { eligibility: record.section } : {}),
          pledge: { signedAt: now().toISOString(), pledgeVersion: deps.rules?.().pledgeVersion ?? zhCN.kiosk.pledgeVersion },
        });
      },
    };
  });
}
