import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { DayLogInput, DayLogRecord } from '../../../../core/day-log/build-day-log.js';
import type { ConfirmationContent } from '../../../../core/contract/confirmation.js';
import type { Actor } from '../../../../core/contract/staff.js';
import type { SupervisorApproval } from '../../../../core/contract/supervisor.js';
import { syntheticCitizenId } from '../../../../scripts/bench/synthetic-roster.js';

export const operator: Actor = { accountId: 'op01', name: '李操作', role: 'operator' };
export const operator2: Actor = { accountId: 'op02', name: '赵操作', role: 'operator' };
export const supervisor: Actor = { accountId: 'sup01', name: '王主管', role: 'supervisor' };

export function uuid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export function approval(n: number, action: SupervisorApproval['action'], reason = '已核对其他有效证件'): SupervisorApproval {
  return { approvalId: uuid(900 + n), supervisorId: 'sup01', supervisorName: '王主管', action, reason, at: '2026-11-23T02:00:00.000Z' };
}

/** A plain confirmed record of candidate `n` at 09:00 + n minutes (China time) on 2026-11-23. */
export function content(n: number, patch: Partial<ConfirmationContent> = {}): ConfirmationContent {
  const at = new Date(Date.UTC(2026, 10, 23, 1, n)).toISOString();
  return {
    candidate: { citizenId: syntheticCitizenId(n), registrationNo: `2026${String(n).padStart(8, '0')}`, name: `考生${n}` },
    identification: { source: 'chip', cardType: 'resident' },
    identityCheck: {
      method: 'face',
      result: 'pass',
      face: { distance: 0.31, threshold: 0.5, modelVersion: 'fr@1', reviewBand: { lower: 0.49, upper: 0.62 } },
    },
    fingerprints: [
      { finger: 2, status: 'captured', quality: 80, attempts: 1 },
      { finger: 7, status: 'captured', quality: 75, attempts: 1 },
    ],
    eligibility: {
      candidateType: 'fresh-graduate',
      items: [
        { id: 'id-card', result: 'pass' },
        { id: 'student-card', result: 'pass' },
        { id: 'xuexin-report', result: 'pass' },
      ],
    },
    outcome: 'confirmed',
    reasons: [],
    blobs: [],
    decidedAt: at,
    actor: operator,
    ...patch,
  };
}

export function record(id: number, c: ConfirmationContent, extra: Partial<DayLogRecord> = {}): DayLogRecord {
  return { id: uuid(id), version: 1, content: c, savedAt: c.decidedAt, sync: 'acknowledged', ...extra };
}

export function input(records: DayLogRecord[], patch: Partial<DayLogInput> = {}): DayLogInput {
  return {
    point: { code: 'ZZ01', name: '郑州市金水区确认点' },
    station: { name: '3号工位', id: 'st-03' },
    day: '2026-11-23',
    generatedBy: supervisor,
    generatedAt: new Date('2026-11-23T10:00:00.000Z'),
    fullNumbers: false,
    records,
    ...patch,
  };
}

/** A varied day: plain, override with approval, face review band, OCR + stale roster, rejected, training, a corrected chain with a review. */
export function sampleDay(): DayLogRecord[] {
  const reviewed = content(5, {
    identityCheck: { method: 'face', result: 'override', face: { distance: 0.55, threshold: 0.5, modelVersion: 'fr@1', reviewBand: { lower: 0.49, upper: 0.62 } } },
    approvals: [approval(1, 'identity-override', '照片年代久远')],
    actor: operator2,
  });
  return [
    record(1, content(1)),
    record(2, content(2, { identification: { source: 'ocr' }, approvals: [approval(2, 'roster-stale', '网络故障无法更新名单')] }), { sync: 'pending' }),
    record(3, content(3, { outcome: 'rejected', reasons: ['学籍/学历验证不通过'], eligibility: { candidateType: 'past-graduate', items: [{ id: 'id-card', result: 'pass' }, { id: 'xuexin-report', result: 'fail' }] }, fingerprints: undefined })),
    record(4, content(4, { training: true })),
    record(5, reviewed),
    record(6, { ...reviewed, review: { decision: 'approved', note: '本人无误', by: supervisor, at: '2026-11-23T03:00:00.000Z' } }, { version: 2, supersedes: uuid(5), sync: 'handed-off' }),
  ];
}

/** Records whose text needs quoting or guarding: commas, quotes, line breaks, and cells a spreadsheet would run. */
export function awkwardDay(): DayLogRecord[] {
  return [
    ...sampleDay(),
    record(
      21,
      content(21, {
        candidate: { citizenId: syntheticCitizenId(21), registrationNo: '2026000021AB', name: '=1+2' },
        outcome: 'rejected',
        reasons: ['材料不全, 需补交 "学信网" 报告\r\n第二行', '@SUM(A1)'],
        actor: { accountId: 'op-3', name: '+陈, "小" 操作', role: 'operator' },
      }),
    ),
    record(22, content(22, { candidate: { citizenId: syntheticCitizenId(22), registrationNo: '202600000022', name: '-欧阳\n娜娜\u0007' } })),
  ];
}

/** CSV through exceljs's reader (fast-csv underneath): a reader nobody here wrote, every value kept as its text. */
export async function csvRows(stream: Readable): Promise<string[][]> {
  const sheet = await new ExcelJS.Workbook().csv.read(stream, { map: (value: unknown) => value });
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const cells: string[] = [];
    for (let col = 1; col <= sheet.columnCount; col++) {
      const v = row.getCell(col).value;
      cells.push(v === null || v === undefined ? '' : String(v as string));
    }
    rows.push(cells);
  });
  return rows;
}
