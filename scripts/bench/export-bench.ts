/**
 * Daily log export benchmark (issue 12): `npx tsx scripts/bench/export-bench.ts [--count 2000]`.
 * Builds a day of N synthetic confirmations (valid GB 11643 numbers from synthetic-roster.ts, fictitious people;
 * about one in ten with an exception, one in twenty reviewed by a supervisor as a second version), then times
 * buildDayLog, the DayLog check at the IPC boundary, and the XLSX, CSV and PDF writers, and prints the sizes.
 * Each step runs twice: the first (cold) run is what a supervisor waits for after starting the station.
 */
import { performance } from 'node:perf_hooks';
import type { ConfirmationContent } from '../../core/contract/confirmation.js';
import type { CandidateType } from '../../core/contract/roster.js';
import type { Actor } from '../../core/contract/staff.js';
import { buildDayLog, type DayLogRecord } from '../../core/day-log/build-day-log.js';
import { parseDayLog } from '../../core/day-log/day-log.js';
import { materialsByType } from '../../core/eligibility/materials.js';
import { dayLogCsv, dayLogXlsx, dayReportPdf } from '../../host/exports/index.js';
import { syntheticCitizenId } from './synthetic-roster.js';

const args = process.argv.slice(2);
const countArg = args.indexOf('--count');
const COUNT = countArg >= 0 ? Number(args[countArg + 1]) : 2000;
if (!Number.isInteger(COUNT) || COUNT < 1 || COUNT > 20000) throw new Error('--count must be 1–20000');

const operators: Actor[] = [
  { accountId: 'op01', name: '李操作', role: 'operator' },
  { accountId: 'op02', name: '赵操作', role: 'operator' },
  { accountId: 'op03', name: '孙操作', role: 'operator' },
];
const supervisor: Actor = { accountId: 'sup01', name: '王主管', role: 'supervisor' };
const types: CandidateType[] = ['fresh-graduate', 'fresh-graduate', 'fresh-graduate', 'past-graduate', 'veteran', 'special-plan'];
const DAY_START = Date.parse('2026-11-23T00:30:00.000Z'); // 08:30 at the point (UTC+8)

/** Seconds between decisions: 12 s, closer for large N so the whole run stays within the point's day (08:30–23:30). */
const STEP_MS = Math.min(12_000, Math.floor((15 * 3600_000) / COUNT));

const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

function confirmation(i: number): ConfirmationContent {
  const citizenId = syntheticCitizenId(i);
  const candidateType = types[i % types.length]!;
  const rejected = i % 37 === 0;
  const override = i % 23 === 0;
  const distance = override ? 0.56 : 0.2 + (i % 25) / 100;
  const items = materialsByType[candidateType].map((id, k) => ({ id, result: rejected && k === 1 ? ('fail' as const) : ('pass' as const) }));
  return {
    candidate: { citizenId, registrationNo: `2026${String(i).padStart(8, '0')}`, name: `考生${String(i).padStart(6, '0')}` },
    identification: { source: i % 41 === 0 ? 'ocr' : i % 53 === 0 ? 'manual' : 'chip', cardType: 'resident' },
    identityCheck: {
      method: 'face',
      result: override ? 'override' : 'pass',
      face: { distance, threshold: 0.5, modelVersion: 'faceplugin-fr-feature@1', reviewBand: { lower: 0.49, upper: 0.62 } },
    },
    fingerprints: [
      { finger: 2, status: 'captured', quality: 82, attempts: 1 },
      i % 61 === 0 ? { finger: 7, status: 'unavailable', attempts: 3, reason: '手指受伤', approvalId: uuid(900_000 + i) } : { finger: 7, status: 'captured', quality: 74, attempts: 2 },
    ],
    eligibility: { candidateType, items },
    ...(override || i % 61 === 0
      ? {
          approvals: [
            {
              approvalId: uuid(900_000 + i),
              supervisorId: supervisor.accountId,
              supervisorName: supervisor.name,
              action: override ? ('identity-override' as const) : ('fingerprint-exception' as const),
              reason: override ? '照片年代久远' : '手指受伤',
              at: new Date(DAY_START + i * STEP_MS).toISOString(),
            },
          ],
        }
      : {}),
    outcome: rejected ? 'rejected' : 'confirmed',
    reasons: rejected ? ['学籍/学历验证不通过'] : [],
    blobs: [],
    decidedAt: new Date(DAY_START + i * STEP_MS).toISOString(),
    actor: operators[i % operators.length]!,
  };
}

function syntheticDay(count: number): DayLogRecord[] {
  const records: DayLogRecord[] = [];
  for (let i = 1; i <= count; i++) {
    const content = confirmation(i);
    const sync = i % 17 === 0 ? 'pending' : i % 29 === 0 ? 'handed-off' : 'acknowledged';
    records.push({ id: uuid(i), version: 1, content, savedAt: content.decidedAt, sync });
    if (i % 20 === 0) {
      const reviewed = { ...content, review: { decision: 'approved' as const, note: '已核实', by: supervisor, at: new Date(DAY_START + i * STEP_MS + 60_000).toISOString() } };
      records.push({ id: uuid(100_000 + i), version: 2, supersedes: uuid(i), content: reviewed, savedAt: reviewed.review.at, sync: 'pending' });
    }
  }
  return records;
}

async function timed<T>(run: () => T | Promise<T>): Promise<{ value: T; cold: number; warm: number }> {
  let started = performance.now();
  const value = await run();
  const cold = (performance.now() - started) / 1000;
  started = performance.now();
  await run();
  return { value, cold, warm: (performance.now() - started) / 1000 };
}

const records = syntheticDay(COUNT);
const input = {
  point: { code: 'BENCH-01', name: '基准测试现场确认点' },
  station: { name: '1号工位', id: 'bench-st' },
  day: '2026-11-23',
  generatedBy: supervisor,
  fullNumbers: false,
  records,
};

const build = await timed(() => buildDayLog(input));
const log = build.value;
const wire = JSON.stringify(log);
const check = await timed(() => parseDayLog(JSON.parse(wire)));
const xlsx = await timed(() => dayLogXlsx(log));
const csv = await timed(() => dayLogCsv(log));
const pdf = await timed(() => dayReportPdf(log));

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const rows: [string, { cold: number; warm: number }, string][] = [
  ['buildDayLog', build, `${log.rows.length} rows, ${log.exceptions.length} exceptions from ${records.length} record versions`],
  ['DayLog parse (IPC check)', check, `payload ${kb(Buffer.byteLength(wire))} of JSON`],
  ['XLSX (exceljs)', xlsx, kb(xlsx.value.length)],
  ['CSV', csv, kb(csv.value.length)],
  ['PDF day report (pdfkit)', pdf, `${kb(pdf.value.length)} (font subset embedded)`],
];
console.log(`\nDaily log export, ${COUNT} synthetic confirmations (Node ${process.version})\n`);
console.log(`${'step'.padEnd(26)}  ${'cold s'.padStart(8)}  ${'warm s'.padStart(8)}  note`);
console.log(`${'-'.repeat(26)}  ${'-'.repeat(8)}  ${'-'.repeat(8)}  ${'-'.repeat(40)}`);
for (const [what, t, note] of rows) console.log(`${what.padEnd(26)}  ${t.cold.toFixed(3).padStart(8)}  ${t.warm.toFixed(3).padStart(8)}  ${note}`);
