import { describe, expect, it } from 'vitest';
import { ConfirmationContent } from '../../../core/contract/confirmation.js';
import { checkDeadline, checksFromRecord, decisionProblem, decisionReasons, eligibilitySection, reviewPapers } from '../../../core/eligibility/review.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { RulesCandidateType } from '../../../core/rules/bundle.js';

const type: RulesCandidateType = {
  id: 'veteran-local',
  label: '退役大学生士兵（区内）',
  rosterTypes: ['veteran'],
  materials: [
    { id: 'id-card', label: '居民身份证原件', required: true },
    { id: 'discharge-cert', label: '退役证', required: true, rejectReason: '退役证明不符合要求' },
    { id: 'award', label: '立功证书', required: false },
  ],
};

describe('资格审核 review', () => {
  it('通过 needs every required paper 已核验; an optional one never refuses; 待补材料 needs something outstanding', () => {
    expect(reviewPapers(type, {})).toMatchObject({ complete: false, canPass: false, canPend: false });
    const some = reviewPapers(type, { 'id-card': { status: 'verified' }, 'discharge-cert': { status: 'verified' }, award: { status: 'missing' } });
    expect(some).toMatchObject({ complete: true, canPass: true, canPend: false, outstanding: [] });
    const pend = reviewPapers(type, { 'id-card': { status: 'verified' }, 'discharge-cert': { status: 'missing' } });
    expect(pend).toMatchObject({ canPass: false, canPend: true, suggestedReasons: ['paper-missing'] });
    expect(pend.outstanding.map((m) => m.id)).toEqual(['discharge-cert']);
    // Not complete: a required paper has no status yet, so nothing can be pended.
    expect(reviewPapers(type, { 'discharge-cert': { status: 'mismatch' } })).toMatchObject({ complete: false, canPend: false, suggestedReasons: ['paper-mismatch'] });
  });

  it('the 待补材料 deadline is a real day from today to 30 days ahead', () => {
    expect(checkDeadline('2026-11-23', '2026-11-23')).toBeUndefined();
    expect(checkDeadline('2026-12-23', '2026-11-23')).toBeUndefined();
    expect(checkDeadline('2026-12-24', '2026-11-23')).toBe('too-far');
    expect(checkDeadline('2026-11-22', '2026-11-23')).toBe('past');
    for (const bad of ['2026-02-30', '2026-13-01', '20261125', '', 'tomorrow']) expect(checkDeadline(bad, '2026-11-23')).toBe('invalid');
  });

  it('decisions: what blocks them, the reasons the record keeps, the section it stores', () => {
    const checks = { 'id-card': { status: 'verified' as const }, 'discharge-cert': { status: 'mismatch' as const, note: '姓名不一致', photo: 'a'.repeat(64) } };
    const review = reviewPapers(type, checks);
    expect(decisionProblem(review, { kind: 'pass' }, '2026-11-23')).toBe(zhCN.materials.problems.notAllVerified);
    expect(decisionProblem(review, { kind: 'reject', reasons: ['other'] }, '2026-11-23')).toBe(zhCN.materials.problems.otherNeedsText);
    expect(decisionProblem(review, { kind: 'reject', reasons: ['paper-mismatch'] }, '2026-11-23')).toBeUndefined();
    expect(decisionProblem(review, { kind: 'pending', missing: ['discharge-cert'], until: '2026-11-20' }, '2026-11-23')).toBe(zhCN.materials.problems.deadline.past);
    expect(decisionReasons(type, checks, { kind: 'reject', reasons: ['paper-mismatch', 'other'], text: '证件涂改' })).toEqual(['所交材料与要求不符', '退役证明不符合要求', '证件涂改']);
    expect(decisionReasons(type, checks, { kind: 'pending', missing: ['discharge-cert'], until: '2026-11-25' })).toEqual(['待补材料：退役证（2026-11-25前补交）']);
    const section = eligibilitySection('veteran', type, checks, { kind: 'pending', missing: ['discharge-cert'], until: '2026-11-25' });
    expect(section.items).toEqual([
      { id: 'id-card', label: '居民身份证原件', result: 'pass', status: 'verified' },
      { id: 'discharge-cert', label: '退役证', result: 'fail', status: 'mismatch', note: '姓名不一致', photo: 'a'.repeat(64) },
    ]);
    // What the record stores passes the record schema, and a return visit starts from it.
    const content = ConfirmationContent.shape.eligibility.parse(section);
    expect(checksFromRecord(type, content)).toEqual(checks);
    // A record made before issue 13 (pass/fail only) still starts a return visit.
    expect(checksFromRecord(type, { candidateType: 'veteran', items: [{ id: 'id-card', result: 'pass' }, { id: 'gone', result: 'pass' }] })).toEqual({ 'id-card': { status: 'verified' } });
  });
});
