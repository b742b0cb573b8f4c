import { describe, expect, it } from 'vitest';
import { buildDayLog, localDay, toOffsetIso } from '../../../core/day-log/build-day-log.js';
import { DayLog, parseDayLog } from '../../../core/day-log/day-log.js';
import { ValidationError } from '../../../core/errors/station-error.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { syntheticCitizenId } from '../../../scripts/bench/synthetic-roster.js';
import { approval, content, input, operator, operator2, record, sampleDay, supervisor, uuid } from '../host/exports/day-log-fixtures.js';

const t = zhCN.dayLog;
const count = (entries: { label: string; count: number }[], label: string) => entries.find((e) => e.label === label)?.count;

describe('buildDayLog', () => {
  it('makes one row per candidate chain, in decision order, leaving out training records', () => {
    const log = buildDayLog(input(sampleDay()));
    expect(DayLog.parse(log)).toEqual(log);
    expect(log.rows.map((r) => r.name)).toEqual(['考生1', '考生2', '考生3', '考生5']);
    expect(log.rows.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(log.counts.total).toBe(4);
    // The chain 5 → 6 is one row, shown as its latest version.
    expect(log.rows[3]!.recordId).toBe(uuid(6));
  });

  it('counts a supersede chain once whatever order the versions arrive in, and takes the latest version', () => {
    const v1 = content(1);
    const v2 = content(1, { outcome: 'rejected', reasons: ['身份证件不符合要求'] });
    const v3 = content(1, { outcome: 'confirmed' });
    const records = [
      record(13, v3, { version: 3, supersedes: uuid(12) }),
      record(11, v1),
      record(12, v2, { version: 2, supersedes: uuid(11) }),
    ];
    const log = buildDayLog(input(records));
    expect(log.rows).toHaveLength(1);
    expect(log.rows[0]!.recordId).toBe(uuid(13));
    expect(log.rows[0]!.result).toBe(zhCN.candidate.status.confirmed);
    expect(count(log.counts.byResult, zhCN.candidate.status.rejected)).toBe(0);
  });

  it("puts a supervisor's review decision on the row and on the record's exceptions", () => {
    const log = buildDayLog(input(sampleDay()));
    const row = log.rows[3]!;
    expect(row.note).toBe(`${t.review.approved('王主管（sup01）')}：本人无误`);
    const own = log.exceptions.filter((e) => e.recordSeq === 4);
    expect(own.map((e) => e.kind)).toEqual(['identity-override', 'face-review']);
    for (const e of own) expect(e.review).toContain('王主管（sup01）已复核通过');
    expect(own[0]!.approvedBy).toBe('王主管（sup01）');
    expect(own[0]!.detail).toContain('照片年代久远');
    // Exceptions of other records carry no review.
    expect(log.exceptions.filter((e) => e.recordSeq !== 4).every((e) => e.review === '')).toBe(true);
  });

  it('keeps the desk operator on the row when the review version names the supervisor as its actor', () => {
    const desk = content(1, { actor: operator2 });
    const review = { ...desk, actor: supervisor, review: { decision: 'approved' as const, note: '', by: supervisor, at: '2026-11-23T03:00:00.000Z' } };
    const log = buildDayLog(input([record(1, desk), record(2, review, { version: 2, supersedes: uuid(1) })]));
    expect(log.rows).toHaveLength(1);
    expect(log.rows[0]!.operator).toBe('赵操作（op02）');
    expect(log.rows[0]!.recordId).toBe(uuid(2));
    expect(log.rows[0]!.note).toBe(t.review.approved('王主管（sup01）'));
  });

  it('shows an annotation as annotated, and the newest review of a chain', () => {
    const base = content(1, { identityCheck: { method: 'face', result: 'fail', face: { distance: 0.9, threshold: 0.5, modelVersion: 'm', reviewBand: { lower: 0.49, upper: 0.62 } } }, outcome: 'rejected', reasons: ['人证不符'] });
    const annotated = { ...base, review: { decision: 'annotated' as const, note: '请核查', by: supervisor, at: '2026-11-23T03:00:00.000Z' } };
    const log = buildDayLog(input([record(1, base), record(2, annotated, { version: 2, supersedes: uuid(1) })]));
    expect(log.rows[0]!.note).toContain(t.review.annotated('王主管（sup01）'));
    expect(log.rows[0]!.note).toContain('原因：人证不符');
    expect(log.exceptions.map((e) => e.kind)).toEqual(['identity-fail', 'face-fail', 'rejected']);
  });

  it('masks citizen numbers unless full numbers are asked for', () => {
    const n = syntheticCitizenId(1);
    const masked = buildDayLog(input(sampleDay()));
    expect(masked.rows[0]!.citizenId).toBe(`${n.slice(0, 6)}********${n.slice(-4)}`);
    expect(JSON.stringify(masked)).not.toContain(n);
    for (const e of masked.exceptions) expect(e.citizenId).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    const full = buildDayLog(input(sampleDay(), { fullNumbers: true }));
    expect(full.fullNumbers).toBe(true);
    expect(full.rows[0]!.citizenId).toBe(n);
  });

  it('takes foreign permanent resident numbers, masked or full (2017: 15 characters with letters)', () => {
    const foreign = (n: number, citizenId: string) => {
      const c = content(n, { identification: { source: 'manual' } });
      return record(n, { ...c, candidate: { ...c.candidate, citizenId } });
    };
    const records = [foreign(1, 'USA110088071537'), foreign(2, '911840199506120036')];
    const masked = buildDayLog(input(records));
    expect(DayLog.parse(masked)).toEqual(masked);
    expect(masked.rows.map((r) => r.citizenId)).toEqual(['USA1100******37', '911840********0036']);
    expect(masked.exceptions.map((e) => e.citizenId)).toEqual(['USA1100******37', '911840********0036']);
    const full = buildDayLog(input(records, { fullNumbers: true }));
    expect(DayLog.parse(full).rows.map((r) => r.citizenId)).toEqual(['USA110088071537', '911840199506120036']);
  });

  it('finds each kind of exception with who approved it', () => {
    const log = buildDayLog(input(sampleDay()));
    const kinds = log.exceptions.map((e) => [e.recordSeq, e.kind]);
    expect(kinds).toEqual([
      [2, 'roster-stale'],
      [2, 'ocr-identity'],
      [3, 'rejected'],
      [4, 'identity-override'],
      [4, 'face-review'],
    ]);
    expect(log.exceptions[0]!.approvedBy).toBe('王主管（sup01）');
    expect(log.exceptions[0]!.at).toBe('2026-11-23T10:00:00+08:00');
    expect(log.exceptions[2]!.detail).toBe('学籍/学历验证不通过');

    const more = buildDayLog(
      input([
        record(1, content(1, { identification: { source: 'manual' }, approvals: [approval(1, 'already-processed', '考生补交材料')] })),
        record(2, content(2, { fingerprints: [{ finger: 2, status: 'unavailable', attempts: 3, reason: '手指受伤', approvalId: uuid(903) }, { finger: 7, status: 'captured', attempts: 1 }], approvals: [approval(3, 'fingerprint-exception', '手指受伤')] })),
        record(3, content(3, { identityCheck: { method: 'visual', result: 'fail' }, outcome: 'rejected', reasons: ['人证不符'] })),
      ]),
    );
    expect(more.exceptions.map((e) => [e.recordSeq, e.kind])).toEqual([
      [1, 'already-processed'],
      [1, 'manual-identity'],
      [2, 'fingerprint-exception'],
      [3, 'identity-fail'],
      [3, 'rejected'],
    ]);
    expect(more.exceptions[2]!.detail).toBe('右手食指：手指受伤');
    expect(more.exceptions[2]!.approvedBy).toBe('王主管（sup01）');
    expect(more.rows[1]!.fingerprints).toBe('已采集 1/2，无法采集：右手食指');
    expect(count(more.counts.byException, '审核未通过')).toBe(1);
  });

  it('decides the face band like the engine: below lower passes, above upper fails, older records by threshold', () => {
    const face = (distance: number, band = true) =>
      content(1, { identityCheck: { method: 'face', result: 'pass', face: { distance, threshold: 0.5, modelVersion: 'm', ...(band ? { reviewBand: { lower: 0.49, upper: 0.62 } } : {}) } } });
    const kinds = (c: ReturnType<typeof content>) => buildDayLog(input([record(1, c)])).exceptions.map((e) => e.kind);
    expect(kinds(face(0.48))).toEqual([]);
    expect(kinds(face(0.49))).toEqual(['face-review']);
    expect(kinds(face(0.62))).toEqual(['face-review']);
    expect(kinds(face(0.63))).toEqual(['face-fail']);
    expect(kinds(face(0.5, false))).toEqual([]);
    expect(kinds(face(0.51, false))).toEqual(['face-fail']);
    expect(buildDayLog(input([record(1, face(0.55))])).rows[0]!.face).toBe('需人工复核（距离 0.550）');
  });

  it('an overridden 需人工复核 and an overridden 不通过 stay apart: the engine decision recorded wins over the figures', () => {
    const approval = { approvalId: '123e4567-e89b-42d3-a456-426614174010', supervisorId: 'sup01', supervisorName: '王主管', action: 'identity-override' as const, reason: '本人，证件照陈旧', at: '2026-11-23T09:00:00.000+08:00' };
    const overridden = (decision: 'review' | 'fail') =>
      content(1, {
        identityCheck: { method: 'face', result: 'override', approvalId: approval.approvalId, face: { distance: 0.55, threshold: 0.5, modelVersion: 'm', decision } },
        approvals: [approval],
      });
    const exceptions = (c: ReturnType<typeof content>) => buildDayLog(input([record(1, c)])).exceptions.map((e) => [e.kind, e.approvedBy]);
    expect(exceptions(overridden('review'))).toEqual([
      ['identity-override', '王主管（sup01）'],
      ['face-review', ''],
    ]);
    expect(exceptions(overridden('fail'))).toEqual([
      ['identity-override', '王主管（sup01）'],
      ['face-fail', ''],
    ]);
  });

  it('counts by result, candidate type and operator', () => {
    const log = buildDayLog(input(sampleDay()));
    expect(count(log.counts.byResult, '已确认')).toBe(3);
    expect(count(log.counts.byResult, '审核未通过')).toBe(1);
    expect(count(log.counts.byCandidateType, '应届')).toBe(3);
    expect(count(log.counts.byCandidateType, '往届')).toBe(1);
    expect(log.counts.byOperator).toEqual([
      { label: `${operator.name}（${operator.accountId}）`, count: 3 },
      { label: `${operator2.name}（${operator2.accountId}）`, count: 1 },
    ]);
  });

  it('takes the candidate type from the roster for a record that stopped before 资格审核', () => {
    const c = content(1, { eligibility: undefined, outcome: 'rejected', reasons: ['人证不符'] });
    expect(buildDayLog(input([record(1, c, { candidateType: 'veteran' })])).rows[0]!.candidateType).toBe('退役大学生士兵');
    expect(buildDayLog(input([record(1, c)])).rows[0]!.candidateType).toBe(t.unknownType);
  });

  it('shows a chain as synced only when every version is, and counts sync states per row', () => {
    const log = buildDayLog(input(sampleDay()));
    expect(log.rows.map((r) => r.sync)).toEqual(['acknowledged', 'pending', 'acknowledged', 'handed-off']);
    expect(log.sync).toEqual({ acknowledged: 2, pending: 1, handedOff: 1, needsAttention: 0 });
    const stuck = buildDayLog(input([record(1, content(1)), record(2, content(1), { version: 2, supersedes: uuid(1), sync: 'needs-attention' })]));
    expect(stuck.sync).toEqual({ acknowledged: 0, pending: 0, handedOff: 0, needsAttention: 1 });
  });

  it("keeps only the point's calendar day, in the point's time zone", () => {
    // 2026-11-22T16:30Z is 00:30 on the 23rd in China and still the 22nd in UTC.
    const early = content(1, { decidedAt: '2026-11-22T16:30:00.000Z' });
    const late = content(2, { decidedAt: '2026-11-23T16:30:00.000Z' });
    const log = buildDayLog(input([record(1, early), record(2, late)]));
    expect(log.rows.map((r) => r.name)).toEqual(['考生1']);
    expect(log.rows[0]!.confirmedAt).toBe('2026-11-23T00:30:00+08:00');
    expect(buildDayLog(input([record(1, early), record(2, late)], { utcOffsetMinutes: 0 })).rows.map((r) => r.name)).toEqual(['考生2']);
    expect(toOffsetIso('2026-01-01T00:00:00Z', -300)).toBe('2025-12-31T19:00:00-05:00');
    expect(localDay('2026-01-01T00:00:00Z', -300)).toBe('2025-12-31');
  });

  it('survives a supersede loop without hanging', () => {
    const a = record(1, content(1), { supersedes: uuid(2) });
    const b = record(2, content(1), { version: 2, supersedes: uuid(1) });
    expect(buildDayLog(input([a, b])).rows.length).toBeGreaterThanOrEqual(1);
  });
});

describe('DayLog schema at the IPC boundary', () => {
  const valid = buildDayLog(input(sampleDay()));

  it('accepts a built log and refuses extra keys, bad days and unmasked-looking junk', () => {
    expect(parseDayLog(JSON.parse(JSON.stringify(valid)))).toEqual(valid);
    expect(() => parseDayLog({ ...valid, extra: 1 })).toThrow(ValidationError);
    expect(() => parseDayLog({ ...valid, day: '2026-13-01' })).toThrow(ValidationError);
    expect(() => parseDayLog({ ...valid, rows: [{ ...valid.rows[0]!, citizenId: '<script>' }] })).toThrow(ValidationError);
    expect(() => parseDayLog({ ...valid, rows: [{ ...valid.rows[0]!, note: 'x'.repeat(5000) }] })).toThrow(ValidationError);
  });

  it('names paths, never values, in the error', () => {
    const n = syntheticCitizenId(1);
    try {
      parseDayLog({ ...valid, rows: [{ ...valid.rows[0]!, citizenId: `${n}0`, [n]: 1 }] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).message).not.toContain(n);
    }
  });

  it('refuses more rows than the bound without a crash', () => {
    const rows = Array.from({ length: 20001 }, (_, i) => ({ ...valid.rows[0]!, seq: (i % 20000) + 1 }));
    expect(() => parseDayLog({ ...valid, rows })).toThrow(ValidationError);
  });

  it('fuzz: mutated logs are parsed or refused with a ValidationError, never another error', () => {
    let seed = 0x5eed;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const junk: unknown[] = [null, undefined, -1, 1e308, Number.NaN, '', '😀'.repeat(300), [], {}, { __proto__: { x: 1 } }, 'x'.repeat(3000), true];
    const mutate = (value: unknown, depth: number): unknown => {
      if (depth > 4 || value === null || typeof value !== 'object') return random() < 0.3 ? junk[Math.floor(random() * junk.length)] : value;
      if (Array.isArray(value)) return value.map((v) => (random() < 0.2 ? mutate(v, depth + 1) : v));
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (random() < 0.05) continue;
        out[random() < 0.02 ? '__proto__' : k] = random() < 0.25 ? mutate(v, depth + 1) : v;
      }
      return out;
    };
    let refused = 0;
    for (let i = 0; i < 300; i++) {
      const candidate = mutate(valid, 0);
      try {
        parseDayLog(candidate);
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
  });
});
