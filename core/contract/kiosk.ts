import { z } from 'zod';
import { CandidateType, PhotoDataUrl, Sex } from './roster.js';
import { RulesPledge } from '../rules/bundle.js';
import { RecordOutcome } from './record-outcome.js';

/**
 * What the candidate sees. The staff side decides the content; the kiosk only renders it,
 * so the kiosk never receives more personal data than the current step needs (the number is masked).
 */
export const KioskCandidate = z.strictObject({
  name: z.string().min(1).max(50),
  /** maskCitizenId's output: `410105********0223`, or `USA1100******05` for a 2017 foreign permanent resident number. */
  citizenIdMasked: z.string().regex(/^(?:\d{6}\*{8}\d{3}[\dX]|[A-Z]{3}\d{4}\*{6}\d{2})$/),
  sex: Sex,
  candidateType: CandidateType,
  major: z.string().min(1).max(100),
  examCity: z.string().min(1).max(50),
  confirmationPoint: z.string().min(1).max(100),
  registrationNo: z.string().regex(/^[0-9A-Z]{6,20}$/),
  photo: PhotoDataUrl.optional(),
});
export type KioskCandidate = z.infer<typeof KioskCandidate>;

export const KioskSessionId = z.uuid();

export const KioskView = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('idle') }),
  z.strictObject({ kind: z.literal('verify-info'), sessionId: KioskSessionId, candidate: KioskCandidate }),
  /**
   * The candidate's data again, the integrity pledge and the signature pad. `pledge` is the province's text and
   * how it must be read (the active rules bundle); absent, the kiosk's catalogue text with no reading gate.
   */
  z.strictObject({ kind: z.literal('pledge'), sessionId: KioskSessionId, candidate: KioskCandidate, pledge: RulesPledge.optional() }),
  z.strictObject({ kind: z.literal('done'), sessionId: KioskSessionId, outcome: RecordOutcome }),
]);
export type KioskView = z.infer<typeof KioskView>;

export const KioskField = z.enum([
  'name',
  'citizenId',
  'sex',
  'candidateType',
  'major',
  'examCity',
  'confirmationPoint',
  'registrationNo',
  'photo',
]);
export type KioskField = z.infer<typeof KioskField>;

const SignaturePoint = z.strictObject({
  x: z.number().min(0).max(1),
  y: z.number().min(0).max(1),
  t: z.number().int().min(0).max(600_000),
});
export const SignatureStrokes = z.array(z.array(SignaturePoint).min(1).max(2000)).min(1).max(200);

/** The candidate's answers. Each names the session it answers, so a stale answer cannot land on the next person. */
export const KioskResponse = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('confirm'), sessionId: KioskSessionId }),
  z.strictObject({
    kind: z.literal('report-error'),
    sessionId: KioskSessionId,
    fields: z.array(KioskField).max(9),
    note: z.string().max(200),
  }),
  z.strictObject({ kind: z.literal('signature'), sessionId: KioskSessionId, strokes: SignatureStrokes }),
]);
export type KioskResponse = z.infer<typeof KioskResponse>;
