import type { IdCardData } from '../contract/id-card.js';
import { RosterEntry } from '../contract/roster.js';
import type { CandidateReport, CorrectableField, FieldCorrection, RecordOutcome } from '../contract/confirmation.js';
import { InvalidStateError, ValidationError } from '../errors/station-error.js';
import { zhCN } from '../i18n/zh-CN.js';

/**
 * The named steps of one on-site confirmation, in order. Later features fill a step's work
 * (face check, photo, fingerprints, materials, pledge) without changing how the flow moves.
 */
export const flowSteps = ['identify', 'verify-identity', 'collect', 'eligibility', 'candidate-confirm', 'done'] as const;
export type FlowStep = (typeof flowSteps)[number];

/** How the candidate was identified: typed number, chip read, or OCR of the card image. */
export type IdentificationSource = 'manual' | 'chip' | 'ocr';
/** Where each identity field's value came from; OCR never overrides chip data, a typed value is 'manual'. */
export type FieldSource = 'chip' | 'ocr' | 'manual';

export type FlowState =
  | { step: 'identify' }
  | {
      step: Exclude<FlowStep, 'identify'>;
      /** Distinguishes this candidate's pass through the flow from any other (kiosk answers carry it). */
      sessionId: string;
      candidate: RosterEntry;
      source: IdentificationSource;
      /** The card as read from the chip, when identification came from the reader. */
      card?: IdCardData;
      fieldSources?: Readonly<Record<string, FieldSource>>;
      /** What the candidate marked 有误 at the kiosk during this pass. */
      reports?: readonly CandidateReport[];
      /** Staff's corrections in answer (the candidate's data shows the new values). */
      corrections?: readonly FieldCorrection[];
      completed: readonly FlowStep[];
      /** Set when the flow reaches 'done': confirmed at the end of the steps, rejected at any step, 待补材料 at 资格审核. */
      outcome?: RecordOutcome;
    };

export type FlowEvent =
  | {
      type: 'candidate-identified';
      sessionId: string;
      candidate: RosterEntry;
      source: IdentificationSource;
      card?: IdCardData;
      fieldSources?: Readonly<Record<string, FieldSource>>;
    }
  | { type: 'step-completed'; step: FlowStep }
  | { type: 'candidate-reported'; report: CandidateReport }
  /** Staff typed the right value of a field the candidate reported; `to` must pass the roster's own rule. */
  | { type: 'field-corrected'; field: CorrectableField; to: string; at: string }
  /** The record was saved: confirmed after the last step, rejected at the current one, or 待补材料 at 资格审核. */
  | { type: 'concluded'; outcome: RecordOutcome }
  | { type: 'reset' };

export const initialFlowState: FlowState = { step: 'identify' };

export function nextStep(step: FlowStep): FlowStep {
  const index = flowSteps.indexOf(step);
  return flowSteps[Math.min(index + 1, flowSteps.length - 1)]!;
}

/** Pure transition function; an event the current step does not accept is an InvalidStateError. */
export function transition(state: FlowState, event: FlowEvent): FlowState {
  switch (event.type) {
    case 'reset':
      return initialFlowState;
    case 'candidate-identified':
      if (state.step !== 'identify') {
        throw new InvalidStateError(`candidate identified during ${state.step}`);
      }
      return {
        step: 'verify-identity',
        sessionId: event.sessionId,
        candidate: event.candidate,
        source: event.source,
        ...(event.card ? { card: event.card } : {}),
        ...(event.fieldSources ? { fieldSources: event.fieldSources } : {}),
        completed: ['identify'],
      };
    case 'concluded': {
      if (state.step === 'identify' || state.step === 'done') throw new InvalidStateError(`cannot conclude during ${state.step}`);
      if (event.outcome === 'confirmed' && state.step !== 'candidate-confirm') {
        throw new InvalidStateError('a confirmation is concluded only after the candidate confirmed');
      }
      if (event.outcome === 'pending-materials' && state.step !== 'eligibility') {
        throw new InvalidStateError('待补材料 is decided in 资格审核');
      }
      return { ...state, step: 'done', completed: [...state.completed, state.step], outcome: event.outcome };
    }
    case 'candidate-reported': {
      if (!checkingData(state)) throw new InvalidStateError(`candidate report during ${state.step}`);
      return { ...state, reports: [...(state.reports ?? []), event.report] };
    }
    case 'field-corrected': {
      if (!checkingData(state)) throw new InvalidStateError(`correction during ${state.step}`);
      if (!state.reports?.some((report) => report.fields.includes(event.field))) throw new InvalidStateError(`${event.field} was not reported`);
      const from = String(state.candidate[event.field]);
      const candidate = RosterEntry.safeParse({ ...state.candidate, [event.field]: event.to });
      if (!candidate.success) throw new ValidationError(`corrected ${event.field} fails the roster rule`, zhCN.correction.invalid);
      if (candidate.data[event.field] === state.candidate[event.field]) throw new ValidationError(`corrected ${event.field} is unchanged`, zhCN.correction.unchanged);
      const correction: FieldCorrection = { field: event.field, from, to: String(candidate.data[event.field]), source: 'manual', at: event.at };
      return {
        ...state,
        candidate: candidate.data,
        fieldSources: { ...state.fieldSources, [event.field]: 'manual' },
        corrections: [...(state.corrections ?? []), correction],
      };
    }
    case 'step-completed': {
      if (state.step === 'identify') throw new InvalidStateError('identify completes by identifying a candidate');
      if (state.step !== event.step) throw new InvalidStateError(`cannot complete ${event.step} while on ${state.step}`);
      if (state.step === 'done') throw new InvalidStateError('flow already done');
      if (state.step === 'candidate-confirm') throw new InvalidStateError('candidate-confirm ends by concluding');
      return { ...state, step: nextStep(state.step), completed: [...state.completed, state.step] };
    }
  }
}

/** The kiosk shows the candidate's data (not yet the pledge): the steps where a report and a correction belong. */
function checkingData(state: FlowState): state is Extract<FlowState, { sessionId: string }> {
  return state.step === 'verify-identity' || state.step === 'collect' || state.step === 'eligibility';
}

export function stepStatus(state: FlowState, step: FlowStep): 'done' | 'current' | 'pending' {
  if (state.step === step) return 'current';
  if (state.step !== 'identify' && state.completed.includes(step)) return 'done';
  return 'pending';
}
