import type { KioskField } from '../../core/contract/kiosk.js';
import type { CandidateType, Sex } from '../../core/contract/roster.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { candidateTypeLabel, sexLabel } from './labels.js';

/** A candidate as shown to people: the citizen number is whatever form the screen may show (full or masked). */
export interface DisplayCandidate {
  name: string;
  citizenId: string;
  sex: Sex;
  candidateType: CandidateType;
  major: string;
  examCity: string;
  confirmationPoint: string;
  registrationNo: string;
}

export type FieldRow = readonly [field: KioskField, label: string, value: string];

export const fieldLabel = (field: KioskField): string => zhCN.candidate.fields[field];

/** The one order and labelling of candidate fields, for the staff card, the kiosk and the kiosk's answers. */
export function candidateRows(c: DisplayCandidate): FieldRow[] {
  const values: Record<Exclude<KioskField, 'photo'>, string> = {
    name: c.name,
    citizenId: c.citizenId,
    sex: sexLabel(c.sex),
    candidateType: candidateTypeLabel(c.candidateType),
    major: c.major,
    examCity: c.examCity,
    confirmationPoint: c.confirmationPoint,
    registrationNo: c.registrationNo,
  };
  return (Object.keys(values) as (keyof typeof values)[]).map((field) => [field, fieldLabel(field), values[field]] as const);
}
