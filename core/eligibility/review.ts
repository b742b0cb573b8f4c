import type { CandidateType } from '../contract/roster.js';
import type { ConfirmationContent, EligibilityDecision, PaperStatus, RejectionReasonId } from '../contract/confirmation.js';
import type { RulesCandidateType, RulesMaterial } from '../rules/bundle.js';
import { zhCN } from '../i18n/zh-CN.js';

/**
 * 资格审核 under the province rules: each paper of the candidate's type is 已核验, 缺失 or 不符 (with a note and,
 * optionally, a photo of the document), and the step ends with one decision: 通过, 不通过 or 待补材料.
 * Pure: the eligibility store holds the checks, this module says what they allow and what the record keeps.
 */
export interface PaperCheck {
  status: PaperStatus;
  note?: string | undefined;
  /** SHA-256 of the photo of the paper (blob role `paper-<id>`). */
  photo?: string | undefined;
}
export type PaperChecks = Readonly<Record<string, PaperCheck>>;

export interface PapersReview {
  /** Every required paper has a status. */
  complete: boolean;
  /** Every required paper is 已核验 (an optional paper never refuses, whatever its status). */
  canPass: boolean;
  /** Required papers 缺失 or 不符: what 待补材料 lists and what 不通过 is about. */
  outstanding: RulesMaterial[];
  /** Complete, and something required is outstanding: the candidate may bring it later. */
  canPend: boolean;
  /** The reasons the checks suggest for 不通过 (staff may add others). */
  suggestedReasons: RejectionReasonId[];
}

export function reviewPapers(type: RulesCandidateType, checks: PaperChecks): PapersReview {
  const required = type.materials.filter((material) => material.required);
  const complete = required.every((material) => checks[material.id] !== undefined);
  const outstanding = required.filter((material) => checks[material.id] !== undefined && checks[material.id]!.status !== 'verified');
  const suggestedReasons: RejectionReasonId[] = [];
  if (outstanding.some((material) => checks[material.id]?.status === 'missing')) suggestedReasons.push('paper-missing');
  if (outstanding.some((material) => checks[material.id]?.status === 'mismatch')) suggestedReasons.push('paper-mismatch');
  return { complete, canPass: complete && outstanding.length === 0, outstanding, canPend: complete && outstanding.length > 0, suggestedReasons };
}

/** How far ahead a 待补材料 deadline may be: confirmation windows last days, not months. */
export const MAX_PENDING_DAYS = 30;

export type DeadlineProblem = 'invalid' | 'past' | 'too-far';

/** A deadline is a real calendar day from today (station day, UTC+8) up to MAX_PENDING_DAYS ahead. */
export function checkDeadline(until: string, today: string): DeadlineProblem | undefined {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(until) ? Date.parse(`${until}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(day) || new Date(day).toISOString().slice(0, 10) !== until) return 'invalid';
  const start = Date.parse(`${today}T00:00:00Z`);
  if (day < start) return 'past';
  if (day > start + MAX_PENDING_DAYS * 86_400_000) return 'too-far';
  return undefined;
}

/** Why a decision cannot be saved as it stands (a Chinese line for staff), or undefined when it can. */
export function decisionProblem(review: PapersReview, decision: EligibilityDecision, today: string): string | undefined {
  const t = zhCN.materials;
  switch (decision.kind) {
    case 'pass':
      return review.canPass ? undefined : t.problems.notAllVerified;
    case 'reject':
      if (decision.reasons.length === 0) return t.problems.noReason;
      if (decision.reasons.includes('other') && !decision.text) return t.problems.otherNeedsText;
      return undefined;
    case 'pending': {
      if (!review.canPend) return t.problems.nothingOutstanding;
      const problem = checkDeadline(decision.until, today);
      return problem ? t.problems.deadline[problem] : undefined;
    }
  }
}

function reasonOf(material: RulesMaterial): string {
  return material.rejectReason ?? zhCN.materials.genericRejectReason(material.label);
}

/** The record's `reasons` (Chinese, as staff and the day log show them) for a decision. */
export function decisionReasons(type: RulesCandidateType, checks: PaperChecks, decision: EligibilityDecision): string[] {
  const t = zhCN.materials;
  const outstanding = reviewPapers(type, checks).outstanding;
  switch (decision.kind) {
    case 'pass':
      return [];
    case 'reject':
      return [
        ...decision.reasons.filter((id) => id !== 'other').map((id) => t.rejectionReasons[id]),
        ...outstanding.map(reasonOf),
        ...(decision.text ? [decision.text] : []),
      ];
    case 'pending': {
      const labels = type.materials.filter((material) => decision.missing.includes(material.id)).map((material) => material.label);
      return [t.pendingReason(labels.join('、'), decision.until), ...(decision.note ? [decision.note] : [])];
    }
  }
}

/** The record's 资格审核 section: every judged paper of the type (with its label), and the decision. */
export function eligibilitySection(
  rosterType: CandidateType,
  type: RulesCandidateType,
  checks: PaperChecks,
  decision: EligibilityDecision | undefined,
): NonNullable<ConfirmationContent['eligibility']> {
  return {
    candidateType: rosterType,
    rulesType: type.id,
    rulesTypeLabel: type.label,
    items: type.materials.flatMap((material) => {
      const check = checks[material.id];
      if (!check) return [];
      return [
        {
          id: material.id,
          label: material.label,
          result: check.status === 'verified' ? ('pass' as const) : ('fail' as const),
          status: check.status,
          ...(check.note ? { note: check.note } : {}),
          ...(check.photo ? { photo: check.photo } : {}),
        },
      ];
    }),
    ...(decision ? { decision } : {}),
  };
}

/**
 * What a return visit starts from: the papers the open 待补材料 record judged, as it judged them (staff re-check
 * the outstanding ones). Papers no longer in the type (the rules changed in between) are left out.
 */
export function checksFromRecord(type: RulesCandidateType, eligibility: ConfirmationContent['eligibility']): Record<string, PaperCheck> {
  const checks: Record<string, PaperCheck> = {};
  for (const item of eligibility?.items ?? []) {
    if (!type.materials.some((material) => material.id === item.id)) continue;
    checks[item.id] = {
      status: item.status ?? (item.result === 'pass' ? 'verified' : 'mismatch'),
      ...(item.note ? { note: item.note } : {}),
      ...(item.photo ? { photo: item.photo } : {}),
    };
  }
  return checks;
}

/** Blob role of a paper's photo. */
export function paperPhotoRole(materialId: string): string {
  return `paper-${materialId}`;
}
