import type { CandidateType } from '../contract/roster.js';

/**
 * The papers staff check for each candidate type (专升本 practice; a province adjusts the list in one
 * place). Labels and rejection reasons live in the catalogue under `materials`.
 */
export const materialIds = [
  'id-card',
  'student-card',
  'graduation-cert',
  'xuexin-report',
  'discharge-cert',
  'award-cert',
  'poverty-proof',
  'service-cert',
  'enrollment-proof',
] as const;
export type MaterialId = (typeof materialIds)[number];

const common: MaterialId[] = ['id-card'];

export const materialsByType: Record<CandidateType, readonly MaterialId[]> = {
  'fresh-graduate': [...common, 'student-card', 'xuexin-report'],
  'past-graduate': [...common, 'graduation-cert', 'xuexin-report'],
  veteran: [...common, 'discharge-cert', 'xuexin-report'],
  'award-exempt': [...common, 'award-cert', 'xuexin-report'],
  'special-plan': [...common, 'poverty-proof', 'xuexin-report'],
  'grassroots-service': [...common, 'service-cert', 'graduation-cert'],
  'vocational-expansion': [...common, 'enrollment-proof', 'xuexin-report'],
  other: [...common, 'xuexin-report'],
};

export type MaterialVerdict = 'pass' | 'fail';

/** Every paper judged, and whether all passed. */
export function eligibilityOutcome(
  type: CandidateType,
  verdicts: Partial<Record<MaterialId, MaterialVerdict>>,
): { complete: boolean; passed: boolean; failed: MaterialId[] } {
  const required = materialsByType[type];
  const failed = required.filter((id) => verdicts[id] === 'fail');
  const complete = required.every((id) => verdicts[id] !== undefined);
  return { complete, passed: complete && failed.length === 0, failed };
}
