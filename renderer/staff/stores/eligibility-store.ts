import { createStore, type StoreApi } from 'zustand/vanilla';
import type { FlowState } from '../../../core/confirmation-flow/confirmation-flow.js';
import type { ConfirmationContent, EligibilityDecision, PaperStatus, RejectionReasonId } from '../../../core/contract/confirmation.js';
import {
  checksFromRecord,
  decisionProblem,
  decisionReasons,
  eligibilitySection,
  paperPhotoRole,
  reviewPapers,
  type PaperCheck,
  type PapersReview,
} from '../../../core/eligibility/review.js';
import { sha256Hex } from '../../../core/crypto/sha256.js';
import { toStationError } from '../../../core/errors/station-error.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { resolveCandidateType, type RulesBundle, type RulesCandidateType } from '../../../core/rules/bundle.js';
import type { NewBlob } from '../../confirmations/confirmation-repository.js';
import type { CheckInState } from './check-in-store.js';
import type { VisitState } from './visit-store.js';

export type DecisionKind = EligibilityDecision['kind'];

/** A photo of one paper, as taken at the desk (kept with the record as blob `paper-<id>`). */
export interface PaperPhoto {
  bytes: Uint8Array<ArrayBuffer>;
  mime: 'image/jpeg';
  sha256: string;
}

/** What resume keeps of the step (photos go to the blob vault by hash). */
export interface EligibilityDraft {
  typeId: string | undefined;
  checks: Record<string, PaperCheck>;
  decisionKind: DecisionKind | undefined;
  reasons: RejectionReasonId[];
  reasonText: string;
  until: string;
  pendingNote: string;
}

/**
 * 资格审核 at the desk: the candidate's province type (chosen by staff when the roster's category covers several,
 * 区内 / 区外), each paper's 已核验 / 缺失 / 不符 with note and photo, and the decision being prepared. The
 * confirmation store saves what `section()` and `blobs()` give; the rules are the bundle active for this candidate.
 */
export interface EligibilityState extends EligibilityDraft {
  /** The types staff choose among; one entry when the roster entry fits exactly one. */
  typeChoices: RulesCandidateType[];
  photos: Record<string, PaperPhoto>;
  /** The paper whose photo is being taken. */
  photoBusy: string | undefined;
  photoError: string | undefined;
  /** The station day when the candidate was identified: the 待补材料 deadline counts from it. */
  today: string;
  chooseType(typeId: string): void;
  setStatus(materialId: string, status: PaperStatus): void;
  setNote(materialId: string, note: string): void;
  takePhoto(materialId: string): Promise<void>;
  dropPhoto(materialId: string): void;
  chooseDecision(kind: DecisionKind | undefined): void;
  toggleReason(reason: RejectionReasonId): void;
  setReasonText(text: string): void;
  setUntil(day: string): void;
  setPendingNote(text: string): void;
  /** A return visit: start from what the open 待补材料 record judged. */
  prefill(eligibility: ConfirmationContent['eligibility']): void;
  /** Resume: the step as it was persisted. */
  restore(draft: EligibilityDraft, photos: Record<string, PaperPhoto>): void;
}

export interface EligibilityDeps {
  checkIn: StoreApi<CheckInState>;
  /** The rules in force for this candidate. */
  bundle: () => RulesBundle;
  /** A JPEG of what the camera shows now (the paper held up to it). */
  takePhoto: () => Promise<Uint8Array<ArrayBuffer>>;
  /** The station day (UTC+8), for the 待补材料 deadline. */
  today: () => string;
  /** The candidate's earlier records: a return visit starts from what the open 待补材料 record judged. */
  visit?: StoreApi<VisitState>;
}

const DEFAULT_PENDING_DAYS = 3;

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const emptyDraft = (): EligibilityDraft => ({ typeId: undefined, checks: {}, decisionKind: undefined, reasons: [], reasonText: '', until: '', pendingNote: '' });

export function createEligibilityStore(deps: EligibilityDeps): StoreApi<EligibilityState> {
  const sessionOf = (flow: FlowState) => (flow.step === 'identify' ? undefined : flow.sessionId);

  const store = createStore<EligibilityState>()((set, get) => {
    const onStep = () => deps.checkIn.getState().flow.step === 'eligibility';
    const type = () => get().typeChoices.find((candidate) => candidate.id === get().typeId);
    const setCheck = (materialId: string, change: Partial<PaperCheck>) => {
      const current = get().checks[materialId];
      if (!type()?.materials.some((material) => material.id === materialId)) return;
      if (!current && !change.status) return;
      set({ checks: { ...get().checks, [materialId]: { ...current, ...change } as PaperCheck } });
    };

    return {
      ...startFor(deps.bundle(), deps.checkIn.getState().flow, deps.today()),

      chooseType(typeId) {
        if (!get().typeChoices.some((choice) => choice.id === typeId) || get().typeId === typeId) return;
        // Another type asks for other papers: what was judged for the first does not carry over.
        set({ typeId, checks: {}, photos: {}, decisionKind: undefined, reasons: [] });
      },

      setStatus(materialId, status) {
        if (!onStep()) return;
        setCheck(materialId, { status });
      },

      setNote(materialId, note) {
        if (!onStep()) return;
        setCheck(materialId, { note: note.slice(0, 200) || undefined });
      },

      async takePhoto(materialId) {
        if (!onStep() || get().photoBusy || !type()?.materials.some((material) => material.id === materialId)) return;
        set({ photoBusy: materialId, photoError: undefined });
        try {
          const bytes = await deps.takePhoto();
          const photo: PaperPhoto = { bytes, mime: 'image/jpeg', sha256: sha256Hex(bytes) };
          set({ photos: { ...get().photos, [materialId]: photo }, photoBusy: undefined });
          if (get().checks[materialId]) setCheck(materialId, { photo: photo.sha256 });
        } catch (error) {
          set({ photoBusy: undefined, photoError: zhCN.materials.photoFailed + toStationError(error).userMessage });
        }
      },

      dropPhoto(materialId) {
        const { [materialId]: _dropped, ...photos } = get().photos;
        set({ photos });
        if (get().checks[materialId]) setCheck(materialId, { photo: undefined });
      },

      chooseDecision(kind) {
        const review = reviewOf(get());
        if (kind === 'reject' && get().reasons.length === 0 && review) set({ reasons: [...review.suggestedReasons] });
        if (kind === 'pending' && !get().until) set({ until: addDays(get().today, DEFAULT_PENDING_DAYS) });
        set({ decisionKind: kind });
      },

      toggleReason(reason) {
        const reasons = get().reasons;
        set({ reasons: reasons.includes(reason) ? reasons.filter((r) => r !== reason) : [...reasons, reason] });
      },

      setReasonText: (text) => set({ reasonText: text.slice(0, 200) }),
      setUntil: (day) => set({ until: day }),
      setPendingNote: (text) => set({ pendingNote: text.slice(0, 200) }),

      prefill(eligibility) {
        if (!eligibility) return;
        const chosen = get().typeChoices.find((choice) => choice.id === eligibility.rulesType) ?? type();
        if (!chosen) return;
        set({ typeId: chosen.id, checks: checksFromRecord(chosen, eligibility) });
      },

      restore(draft, photos) {
        if (draft.typeId !== undefined && !get().typeChoices.some((choice) => choice.id === draft.typeId)) return;
        set({ ...draft, photos });
      },
    };
  });

  // Each candidate starts with no papers judged, under the type the rules give their roster category.
  deps.checkIn.subscribe((state, previous) => {
    if (sessionOf(state.flow) !== sessionOf(previous.flow)) store.setState(startFor(deps.bundle(), state.flow, deps.today()));
  });
  deps.visit?.subscribe((state, previous) => {
    // Only onto an untouched step: a resumed visit already holds what staff judged.
    const untouched = Object.keys(store.getState().checks).length === 0;
    if (state.status === 'ready' && previous.status !== 'ready' && state.prior.kind === 'open-pending' && untouched) {
      store.getState().prefill(state.prior.record.content.eligibility);
      // The photos of papers the open record kept: the completing version lists them again (same hashes).
      const photos: Record<string, PaperPhoto> = {};
      for (const [id, photo] of Object.entries(state.carriedPapers)) photos[id] = { ...photo, mime: 'image/jpeg' };
      store.setState({ photos: { ...photos, ...store.getState().photos } });
    }
  });
  return store;
}

type Start = Omit<EligibilityState, Exclude<keyof EligibilityState, keyof EligibilityDraft | 'typeChoices' | 'photos' | 'photoBusy' | 'photoError' | 'today'>>;

function startFor(bundle: RulesBundle, flow: FlowState, today: string): Start {
  const base: Start = { ...emptyDraft(), typeChoices: [], photos: {}, photoBusy: undefined, photoError: undefined, today };
  if (flow.step === 'identify') return base;
  const resolution = resolveCandidateType(bundle, flow.candidate.candidateType);
  return resolution.kind === 'match' ? { ...base, typeChoices: [resolution.type], typeId: resolution.type.id } : { ...base, typeChoices: resolution.choices };
}

function typeOf(state: Pick<EligibilityState, 'typeChoices' | 'typeId'>): RulesCandidateType | undefined {
  return state.typeChoices.find((choice) => choice.id === state.typeId);
}

function reviewOf(state: EligibilityState): PapersReview | undefined {
  const type = typeOf(state);
  return type ? reviewPapers(type, state.checks) : undefined;
}

/** The candidate's province type as chosen (or matched). */
export const selectedType = typeOf;

/** What the checks allow now; undefined until a type is chosen. */
export const papersReview = reviewOf;

/** The decision as staff prepared it, in the record's form. */
export function preparedDecision(state: EligibilityState): EligibilityDecision | undefined {
  const review = reviewOf(state);
  switch (state.decisionKind) {
    case undefined:
      return undefined;
    case 'pass':
      return { kind: 'pass' };
    case 'reject':
      return { kind: 'reject', reasons: [...state.reasons], ...(state.reasonText.trim() ? { text: state.reasonText.trim() } : {}) };
    case 'pending':
      return {
        kind: 'pending',
        missing: (review?.outstanding ?? []).map((material) => material.id),
        until: state.until,
        ...(state.pendingNote.trim() ? { note: state.pendingNote.trim() } : {}),
      };
  }
}

/** Why the prepared decision cannot be saved (Chinese), or undefined. */
export function decisionBlocker(state: EligibilityState): string | undefined {
  const review = reviewOf(state);
  const decision = preparedDecision(state);
  if (!review || !decision) return undefined;
  return decisionProblem(review, decision, state.today);
}

/** The record's section, its reasons and the photos to store, for a decision. */
export function eligibilityRecord(
  state: EligibilityState,
  rosterType: Parameters<typeof eligibilitySection>[0],
  decision: EligibilityDecision,
): { section: NonNullable<ConfirmationContent['eligibility']>; reasons: string[]; blobs: NewBlob[] } | undefined {
  const type = typeOf(state);
  if (!type) return undefined;
  const section = eligibilitySection(rosterType, type, state.checks, decision);
  const kept = new Set(section.items.flatMap((item) => (item.photo ? [item.photo] : [])));
  const blobs = Object.entries(state.photos)
    .filter(([, photo]) => kept.has(photo.sha256))
    .map(([id, photo]) => ({ role: paperPhotoRole(id), mime: photo.mime, bytes: photo.bytes }));
  return { section, reasons: decisionReasons(type, state.checks, decision), blobs };
}
