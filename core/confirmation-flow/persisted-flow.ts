import { z } from 'zod';
import { CandidateReport, FieldCorrection } from '../contract/confirmation.js';
import { IdCardData } from '../contract/id-card.js';
import { RecordOutcome } from '../contract/record-outcome.js';
import { RosterEntry } from '../contract/roster.js';
import { flowSteps, type FlowState } from './confirmation-flow.js';

/**
 * An open confirmation as it is kept for resume after a crash or reload (renderer/confirmations/draft-repository.ts).
 * What is read back is checked like any stored row: a draft that fails is discarded, never half-applied.
 */
export const PersistedFlow = z.strictObject({
  step: z.enum(flowSteps).exclude(['identify', 'done']),
  sessionId: z.string().min(1).max(64),
  candidate: RosterEntry,
  source: z.enum(['manual', 'chip', 'ocr']),
  card: IdCardData.optional(),
  fieldSources: z.record(z.string().max(30), z.enum(['chip', 'ocr', 'manual'])).optional(),
  reports: z.array(CandidateReport).max(10).optional(),
  corrections: z.array(FieldCorrection).max(10).optional(),
  completed: z.array(z.enum(flowSteps)).max(flowSteps.length),
  outcome: RecordOutcome.optional(),
});
export type PersistedFlow = z.infer<typeof PersistedFlow>;

/** Only a flow between identification and the saved record is worth resuming. */
export function resumable(flow: FlowState): flow is Extract<FlowState, { sessionId: string }> & { step: PersistedFlow['step'] } {
  return flow.step !== 'identify' && flow.step !== 'done';
}

/** The flow as it resumes: the same session at the same step. */
export function flowFromPersisted(persisted: PersistedFlow): FlowState {
  const { card, fieldSources, reports, corrections, outcome, ...rest } = persisted;
  return {
    ...rest,
    ...(card ? { card } : {}),
    ...(fieldSources ? { fieldSources } : {}),
    ...(reports ? { reports } : {}),
    ...(corrections ? { corrections } : {}),
    ...(outcome ? { outcome } : {}),
  };
}
