import type { FlowState } from '../../../core/confirmation-flow/confirmation-flow.js';
import { maskCitizenId } from '../../../core/citizen-id/citizen-id.js';
import type { KioskCandidate, KioskField, KioskResponse, KioskView } from '../../../core/contract/kiosk.js';
import type { RosterEntry } from '../../../core/contract/roster.js';
import type { RulesPledge } from '../../../core/rules/bundle.js';

/** Only what the candidate needs to check; the number is masked because others may see the kiosk screen. */
export function toKioskCandidate(entry: RosterEntry): KioskCandidate {
  const candidate: KioskCandidate = {
    name: entry.name,
    citizenIdMasked: maskCitizenId(entry.citizenId),
    sex: entry.sex,
    candidateType: entry.candidateType,
    major: entry.major,
    examCity: entry.examCity,
    confirmationPoint: entry.confirmationPoint,
    registrationNo: entry.registrationNo,
  };
  return entry.photo ? { ...candidate, photo: entry.photo } : candidate;
}

/**
 * What the kiosk shows at each step: the data to check, then the pledge to sign (the active rules' text and
 * reading gate, when the desk has rules), then the result.
 */
export function kioskViewFor(flow: FlowState, pledge?: RulesPledge): KioskView {
  if (flow.step === 'identify') return { kind: 'idle' };
  if (flow.step === 'done') return { kind: 'done', sessionId: flow.sessionId, outcome: flow.outcome ?? 'rejected' };
  if (flow.step === 'candidate-confirm') return { kind: 'pledge', sessionId: flow.sessionId, candidate: toKioskCandidate(flow.candidate), ...(pledge ? { pledge } : {}) };
  return { kind: 'verify-info', sessionId: flow.sessionId, candidate: toKioskCandidate(flow.candidate) };
}

/** Whether the kiosk shows the current view, as the staff window last learned it. */
export type KioskSync = { status: 'idle' } | { status: 'shown' } | { status: 'failed'; message: string };

/**
 * The one answer to "what is the candidate's screen doing": every staff text about the kiosk is derived from
 * it, so no two of them can disagree, and each changes the moment the kiosk's answer arrives.
 */
export type KioskPhase =
  | { kind: 'idle' }
  | { kind: 'failed'; message: string }
  | { kind: 'awaiting-check' }
  | { kind: 'checked' }
  | { kind: 'reported'; fields: readonly KioskField[]; note?: string }
  | { kind: 'awaiting-signature' }
  | { kind: 'signed' }
  | { kind: 'done' };

export function kioskPhase(flow: FlowState, kiosk: KioskSync, response: KioskResponse | undefined): KioskPhase {
  if (kiosk.status === 'failed') return { kind: 'failed', message: kiosk.message };
  const view = kioskViewFor(flow);
  if (view.kind === 'idle' || kiosk.status === 'idle') return { kind: 'idle' };
  if (view.kind === 'done') return { kind: 'done' };
  const answer = response && response.sessionId === view.sessionId ? response : undefined;
  if (view.kind === 'pledge') return answer?.kind === 'signature' ? { kind: 'signed' } : { kind: 'awaiting-signature' };
  if (answer?.kind === 'confirm') return { kind: 'checked' };
  if (answer?.kind === 'report-error') return { kind: 'reported', fields: answer.fields, ...(answer.note ? { note: answer.note } : {}) };
  return { kind: 'awaiting-check' };
}

/** Whether an answer from the kiosk still stands after the flow moves: it does while the kiosk shows the same view. */
export function answerSurvives(before: FlowState, after: FlowState): boolean {
  const a = kioskViewFor(before);
  const b = kioskViewFor(after);
  return a.kind === b.kind && 'sessionId' in a && 'sessionId' in b && a.sessionId === b.sessionId;
}
