import { maskCitizenId } from '../citizen-id/citizen-id.js';
import type { ConfirmationContent } from '../contract/confirmation.js';
import { candidateTypes, type CandidateType } from '../contract/roster.js';
import type { Actor } from '../contract/staff.js';
import type { SupervisorApproval } from '../contract/supervisor.js';
import { materialsByType, type MaterialId } from '../eligibility/materials.js';
import { InvalidStateError } from '../errors/station-error.js';
import { zhCN } from '../i18n/zh-CN.js';
import {
  exceptionKinds,
  maxDayLogRows,

  type CountEntry,
  type DayLog,
  type DayLogException,
  type DayLogRow,
  type ExceptionKind,
  type SyncState,
} from './day-log.js';

/** One saved record version as the station's database holds it, with where its upload stands. */
export interface DayLogRecord {
  id: string;
  version: number;
  supersedes?: string | undefined;
  content: ConfirmationContent;
  savedAt: string;
  sync: SyncState;
  /** From the roster, for records that stopped before 资格审核 (which is where the content names the type). */
  candidateType?: CandidateType | undefined;
}

export interface DayLogInput {
  point: { code: string; name: string };
  station: { name: string; id?: string | undefined };
  /** The point's calendar day, `YYYY-MM-DD`, in `utcOffsetMinutes`. */
  day: string;
  /** Default 480 (China Standard Time). */
  utcOffsetMinutes?: number | undefined;
  generatedBy: Actor;
  /** Default: now. */
  generatedAt?: Date | undefined;
  fullNumbers: boolean;
  records: readonly DayLogRecord[];
}

const t = zhCN.dayLog;
const CST = 480;

/**
 * The day's log from the station's record versions. One row per candidate chain (a correction or a supervisor's
 * review supersedes a version: the chain counts once, as its latest version); training records are left out; the
 * day is the point's calendar day of the decision. Pure: the renderer calls it on its own records, and the host
 * writes the files from the result.
 */
export function buildDayLog(input: DayLogInput): DayLog {
  const offset = input.utcOffsetMinutes ?? CST;
  const chains = latestPerChain(input.records.filter((r) => r.content.training !== true));
  const today = chains
    .filter((chain) => localDay(chain.decision.content.decidedAt, offset) === input.day)
    .sort((a, b) => Date.parse(a.decision.content.decidedAt) - Date.parse(b.decision.content.decidedAt) || a.root.localeCompare(b.root));
  if (today.length > maxDayLogRows) throw new InvalidStateError(`day log: ${today.length} rows`, t.tooManyRows(maxDayLogRows));

  const show = (citizenId: string) => (input.fullNumbers ? citizenId : maskCitizenId(citizenId));
  const rows: DayLogRow[] = [];
  const exceptions: DayLogException[] = [];
  for (const chain of today) {
    const { latest } = chain;
    const c = chain.decision.content;
    const seq = rows.length + 1;
    const review = reviewText(chain.review);
    rows.push({
      seq,
      recordId: latest.id,
      registrationNo: c.candidate.registrationNo,
      name: c.candidate.name,
      citizenId: show(c.candidate.citizenId),
      candidateType: typeLabel(c.eligibility?.candidateType ?? chain.decision.candidateType ?? latest.candidateType),
      result: zhCN.candidate.status[c.outcome],
      verification: verificationText(c),
      face: faceText(c),
      fingerprints: fingerprintText(c),
      materials: materialsText(c),
      operator: c.actor ? t.operator(c.actor.name, c.actor.accountId) : t.none,
      confirmedAt: toOffsetIso(c.decidedAt, offset),
      sync: chain.sync,
      note: [c.outcome !== 'confirmed' && c.reasons.length > 0 ? t.reasons(c.reasons.join('；')) : '', review].filter(Boolean).join('；').slice(0, 2000),
    });
    for (const found of exceptionsOf(c)) {
      exceptions.push({
        seq: exceptions.length + 1,
        kind: found.kind,
        recordSeq: seq,
        registrationNo: c.candidate.registrationNo,
        name: c.candidate.name,
        citizenId: show(c.candidate.citizenId),
        detail: found.detail.slice(0, 2000),
        approvedBy: found.approval ? t.operator(found.approval.supervisorName, found.approval.supervisorId) : '',
        review,
        at: toOffsetIso(found.approval?.at ?? c.decidedAt, offset),
      });
    }
  }

  return {
    point: { code: input.point.code, name: input.point.name },
    station: input.station.id === undefined ? { name: input.station.name } : { name: input.station.name, id: input.station.id },
    day: input.day,
    utcOffsetMinutes: offset,
    generatedAt: toOffsetIso((input.generatedAt ?? new Date()).toISOString(), offset),
    generatedBy: input.generatedBy,
    fullNumbers: input.fullNumbers,
    rows,
    exceptions,
    counts: {
      total: rows.length,
      byResult: countBy(rows.map((r) => r.result), [zhCN.candidate.status.confirmed, zhCN.candidate.status.rejected, zhCN.candidate.status['pending-materials']]),
      byCandidateType: countBy(rows.map((r) => r.candidateType), [...candidateTypes.map((type) => zhCN.candidate.types[type]), t.unknownType]),
      byOperator: countBy(rows.map((r) => r.operator), []),
      byException: countBy(exceptions.map((e) => exceptionKindLabel(e.kind)), exceptionKinds.map(exceptionKindLabel)),
    },
    sync: {
      acknowledged: rows.filter((r) => r.sync === 'acknowledged').length,
      pending: rows.filter((r) => r.sync === 'pending').length,
      handedOff: rows.filter((r) => r.sync === 'handed-off').length,
      needsAttention: rows.filter((r) => r.sync === 'needs-attention').length,
    },
  };
}

/** An exception kind's label: the approval's own name where a supervisor approved it, else the log's. */
export function exceptionKindLabel(kind: ExceptionKind): string {
  switch (kind) {
    case 'identity-override':
    case 'roster-stale':
    case 'already-processed':
    case 'fingerprint-exception':
      return zhCN.supervisor.actions[kind];
    case 'identity-fail':
      return zhCN.identity.fail;
    case 'rejected':
      return zhCN.candidate.status.rejected;
    case 'materials-pending':
      return zhCN.candidate.status['pending-materials'];
    default:
      return t.exceptionKinds[kind];
  }
}

export interface Chain {
  /** The first version's id: a stable tie-breaker. */
  root: string;
  /** The chain's head: the row names this version. */
  latest: DayLogRecord;
  /**
   * The newest version that is a desk decision rather than a review of one (a review repeats the content it
   * reviews, but may name the supervisor as its actor): the row's figures and operator come from it.
   */
  decision: DayLogRecord;
  /** The newest supervisor's review in the chain, if any. */
  review: NonNullable<ConfirmationContent['review']> | undefined;
  /** The least settled upload state of any version: the chain is synced only when every version is. */
  sync: SyncState;
}

/** Worst first: a chain shows the first of these that any of its versions is in. */
const syncSeverity: readonly SyncState[] = ['needs-attention', 'pending', 'handed-off', 'acknowledged'];

export function latestPerChain(records: readonly DayLogRecord[]): Chain[] {
  const byId = new Map(records.map((r) => [r.id, r]));
  const rootOf = new Map<string, string>();
  const findRoot = (record: DayLogRecord): string => {
    const seen = new Set<string>();
    let current = record;
    // Follow `supersedes` to the first version this station holds; a loop (corrupt data) stops at a repeat.
    while (current.supersedes !== undefined && byId.has(current.supersedes) && !seen.has(current.id)) {
      seen.add(current.id);
      const cached = rootOf.get(current.id);
      if (cached !== undefined) return cached;
      current = byId.get(current.supersedes)!;
    }
    return current.id;
  };
  const groups = new Map<string, DayLogRecord[]>();
  for (const record of records) {
    const root = findRoot(record);
    rootOf.set(record.id, root);
    const group = groups.get(root);
    if (group) group.push(record);
    else groups.set(root, [record]);
  }
  return [...groups.entries()].map(([root, versions]) => {
    const ordered = [...versions].sort((a, b) => a.version - b.version || Date.parse(a.savedAt) - Date.parse(b.savedAt));
    const latest = ordered[ordered.length - 1]!;
    const review = ordered.filter((v) => v.content.review !== undefined).pop()?.content.review;
    const decision = ordered.filter((v) => v.content.review === undefined).pop() ?? latest;
    const sync = syncSeverity.find((state) => versions.some((v) => v.sync === state)) ?? 'acknowledged';
    return { root, latest, decision, review, sync };
  });
}

function typeLabel(type: CandidateType | undefined): string {
  return type === undefined ? t.unknownType : zhCN.candidate.types[type];
}

function verificationText(c: ConfirmationContent): string {
  const source = zhCN.staff.identifiedBy[c.identification.source];
  const check = c.identityCheck;
  if (!check) return `${source} · ${t.notChecked}`;
  const method = t.identityMethod[check.method];
  const suffix = check.result === 'override' ? ` · ${zhCN.supervisor.actions['identity-override']}` : check.result === 'fail' ? ` · ${zhCN.identity.fail}` : '';
  return `${source} · ${method}${suffix}`;
}

type FaceDecision = 'pass' | 'review' | 'fail';

/**
 * The face decision the desk saw, from the figures the record keeps. The same rule as the face engine's: inside
 * the review band is 需人工复核; records from before the band was stored have only the threshold.
 */
/** The engine's decision as recorded; records from before it was kept derive it from the figures. */
function faceDecision(face: NonNullable<NonNullable<ConfirmationContent['identityCheck']>['face']>): FaceDecision {
  if (face.decision) return face.decision;
  if (face.reviewBand) {
    if (face.distance < face.reviewBand.lower) return 'pass';
    if (face.distance > face.reviewBand.upper) return 'fail';
    return 'review';
  }
  return face.distance <= face.threshold ? 'pass' : 'fail';
}

function faceText(c: ConfirmationContent): string {
  const face = c.identityCheck?.face;
  if (!face) return t.none;
  return t.face(zhCN.face.decision[faceDecision(face)], face.distance.toFixed(3));
}

function fingerName(finger: number): string {
  return zhCN.fingerprint.fingers[finger] ?? String(finger);
}

function fingerprintText(c: ConfirmationContent): string {
  const prints = c.fingerprints;
  if (!prints || prints.length === 0) return t.fingerprints.notCollected;
  const captured = prints.filter((p) => p.status === 'captured').length;
  const unavailable = prints.filter((p) => p.status === 'unavailable').map((p) => fingerName(p.finger));
  const parts = [t.fingerprints.captured(captured, prints.length)];
  if (unavailable.length > 0) parts.push(t.fingerprints.unavailable(unavailable.join('、')));
  return parts.join('，');
}

function materialLabel(item: { id: string; label?: string | undefined }): string {
  return item.label ?? (zhCN.materials.items as Record<string, string>)[item.id] ?? item.id;
}

function materialsText(c: ConfirmationContent): string {
  const e = c.eligibility;
  if (!e || e.items.length === 0) return t.materials.notReviewed;
  const failed = e.items.filter((item) => item.result === 'fail').map(materialLabel);
  if (failed.length > 0) return t.materials.failed(failed.join('、'));
  // Records made under a province bundle list every paper of their type; older ones only what was judged.
  const required: readonly MaterialId[] = e.rulesType ? [] : materialsByType[e.candidateType];
  return t.materials.allPassed(Math.max(required.length, e.items.length));
}

function reviewText(review: Chain['review']): string {
  if (!review) return '';
  const text = t.review[review.decision](t.operator(review.by.name, review.by.accountId));
  return review.note ? t.review.withNote(text, review.note) : text;
}

export interface Found {
  kind: ExceptionKind;
  detail: string;
  approval?: SupervisorApproval | undefined;
}

/** What in a record needs a second look, each with the desk approval that let it go ahead, if any. */
export function exceptionsOf(c: ConfirmationContent): Found[] {
  const found: Found[] = [];
  const approvals = c.approvals ?? [];
  const approvalFor = (action: SupervisorApproval['action']) => approvals.find((a) => a.action === action);
  const approvalDetail = (approval: SupervisorApproval | undefined) => (approval ? t.exceptionDetail.approval(approval.reason) : '');

  const check = c.identityCheck;
  if (check?.result === 'override') {
    const approval = approvals.find((a) => a.approvalId === check.approvalId) ?? approvalFor('identity-override');
    found.push({ kind: 'identity-override', detail: approvalDetail(approval), approval });
  } else if (check?.result === 'fail') {
    found.push({ kind: 'identity-fail', detail: '' });
  }
  if (check?.face) {
    const decision = faceDecision(check.face);
    if (decision !== 'pass') {
      const f = check.face;
      const detail = f.reviewBand
        ? t.exceptionDetail.faceDistance(f.distance.toFixed(3), f.reviewBand.lower.toFixed(3), f.reviewBand.upper.toFixed(3))
        : t.exceptionDetail.faceDistanceThreshold(f.distance.toFixed(3), f.threshold.toFixed(3));
      found.push({ kind: decision === 'review' ? 'face-review' : 'face-fail', detail });
    }
  }
  for (const action of ['roster-stale', 'already-processed'] as const) {
    const approval = approvalFor(action);
    if (approval) found.push({ kind: action, detail: approvalDetail(approval), approval });
  }
  const unavailable = (c.fingerprints ?? []).filter((p) => p.status === 'unavailable');
  for (const finger of unavailable) {
    const approval = approvals.find((a) => a.approvalId === finger.approvalId) ?? approvalFor('fingerprint-exception');
    found.push({ kind: 'fingerprint-exception', detail: t.exceptionDetail.finger(fingerName(finger.finger), finger.reason ?? approval?.reason ?? ''), approval });
  }
  // An approved fingerprint exception the record does not tie to a finger still belongs in the log.
  for (const approval of approvals.filter((a) => a.action === 'fingerprint-exception')) {
    if (!found.some((f) => f.approval?.approvalId === approval.approvalId)) found.push({ kind: 'fingerprint-exception', detail: approvalDetail(approval), approval });
  }
  if (c.identification.source === 'ocr') found.push({ kind: 'ocr-identity', detail: '' });
  if (c.identification.source === 'manual') found.push({ kind: 'manual-identity', detail: '' });
  if (c.outcome === 'rejected') found.push({ kind: 'rejected', detail: c.reasons.join('；') });
  if (c.outcome === 'pending-materials') found.push({ kind: 'materials-pending', detail: c.reasons.join('；') });
  return found;
}

/** Counts in a fixed label order (known labels first, then the rest by first appearance); zero counts are kept for known labels. */
function countBy(values: readonly string[], known: readonly string[]): CountEntry[] {
  const counts = new Map<string, number>(known.map((label) => [label, 0]));
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()].filter(([label, count]) => count > 0 || known.includes(label)).map(([label, count]) => ({ label, count }));
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `iso` as the point's wall-clock time with its offset, e.g. `2026-11-23T09:30:00+08:00`. */
export function toOffsetIso(iso: string, offsetMinutes: number): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new InvalidStateError('day log: unparseable time');
  const local = new Date(ms + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** The point's calendar day of an instant. */
export function localDay(iso: string, offsetMinutes: number): string {
  return toOffsetIso(iso, offsetMinutes).slice(0, 10);
}

/** The wall-clock fields of an offset ISO time as a Date whose UTC fields are them (spreadsheets have no zones). */
export function wallClockDate(offsetIso: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(offsetIso);
  if (!m) throw new InvalidStateError('day log: unparseable time');
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}


