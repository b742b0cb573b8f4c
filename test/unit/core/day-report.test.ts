import { describe, expect, it } from 'vitest';
import { buildDayLog } from '../../../core/day-log/build-day-log.js';
import { dayReportView, maxReportExceptions, wallClockText } from '../../../core/day-log/day-report.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { syntheticCitizenId } from '../../../scripts/bench/synthetic-roster.js';
import { approval, awkwardDay, content, input, record } from '../host/exports/day-log-fixtures.js';

const r = zhCN.dayLog.report;

describe('dayReportView: what the exported and the printed day report both say', () => {
  it('heads with the point, station, day and maker; counts by result, type (only types that occurred) and operator', () => {
    const log = buildDayLog(input(awkwardDay()));
    const view = dayReportView(log);
    expect(view.title).toBe(r.title);
    expect(view.lines[0]).toContain(`${r.point}：${log.point.name}（${log.point.code}）`);
    expect(view.lines[1]).toContain(`${r.day}：${log.day}`);
    expect(view.lines[1]).toContain(wallClockText(log.generatedAt));
    expect(view.lines).not.toContain(r.fullNumbers);
    expect(view.total).toBe(r.total(log.counts.total));
    expect(view.counts.map((t) => t.title)).toEqual([r.byResult, r.byType, r.byOperator]);
    expect(view.counts[0]!.columns).toEqual(['确认结果', r.count]);
    const byType = view.counts[1]!.rows;
    expect(byType.length).toBe(log.counts.byCandidateType.filter((e) => e.count > 0).length);
    expect(byType.every(([, n]) => Number(n) > 0)).toBe(true);
    // Masked numbers only, unless the log was made with full ones (and then it says so).
    expect(JSON.stringify(view)).not.toContain(syntheticCitizenId(2));
    const full = dayReportView(buildDayLog(input(awkwardDay(), { fullNumbers: true })));
    expect(full.lines).toContain(r.fullNumbers);
    expect(JSON.stringify(full)).toContain(syntheticCitizenId(2));
    expect(view.signatures).toEqual([r.handler, r.supervisor, r.signDate]);
  });

  it('lists exceptions up to the cap and says how many more the XLSX has; a quiet day says so', () => {
    const records = Array.from({ length: maxReportExceptions + 5 }, (_, i) =>
      record(i + 1, content(i + 1, { approvals: [approval(i, 'roster-stale', '网络故障')], decidedAt: new Date(Date.UTC(2026, 10, 23, 1, 0, i % 60)).toISOString() })),
    );
    const busy = dayReportView(buildDayLog(input(records)));
    expect(busy.exceptions.table?.rows.length).toBe(maxReportExceptions);
    expect(busy.exceptions.more).toBe(r.moreExceptions(5));
    // Times on the report's own day are shown as the time alone.
    expect(busy.exceptions.table?.rows[0]?.at(-1)).toMatch(/^\d{2}:\d{2}:\d{2}$/);

    const quiet = dayReportView(buildDayLog(input([record(1, content(1))])));
    expect(quiet.exceptions.summary).toBe(r.noExceptions);
    expect(quiet.exceptions.table).toBeUndefined();
    expect(quiet.exceptions.more).toBeUndefined();
  });
});
