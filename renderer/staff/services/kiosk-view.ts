import type { FlowState } from '../../../core/confirmation-flow/confirmation-flow.js';
import { maskCitizenId } from '../../../core/citizen-id/citizen-id.js';
import type { KioskCandidate, KioskView } from '../../../core/contract/kiosk.js';
import type { RosterEntry } from '../../../core/contract/roster.js';

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

/** What the kiosk shows at each step: the data to check, then the pledge to sign, then the result. */
export function kioskViewFor(flow: FlowState): KioskView {
  if (flow.step === 'identify') return { kind: 'idle' };
  if (flow.step === 'done') return { kind: 'done', sessionId: flow.sessionId, outcome: flow.outcome ?? 'rejected' };
  if (flow.step === 'candidate-confirm') return { kind: 'pledge', sessionId: flow.sessionId, candidate: toKioskCandidate(flow.candidate) };
  return { kind: 'verify-info', sessionId: flow.sessionId, candidate: toKioskCandidate(flow.candidate) };
}
