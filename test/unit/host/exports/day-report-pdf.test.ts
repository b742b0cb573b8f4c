import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDayLog } from '../../../../core/day-log/build-day-log.js';
import type { DayLog } from '../../../../core/day-log/day-log.js';
import { syntheticCitizenId } from '../../../../scripts/bench/synthetic-roster.js';
import { dayLogFileName } from '../../../../host/exports/columns.js';
import { dayReportPdf } from '../../../../host/exports/pdf.js';
import { resolveReportFont } from '../../../../host/exports/font.js';
import { approval, awkwardDay, content, input, record } from './day-log-fixtures.js';

const run = promisify(execFile);
let dir: string;

/** The text poppler's pdftotext finds in the PDF (what a search in a PDF reader finds). */
async function pdfText(bytes: Uint8Array, name: string, layout = true): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  const { stdout } = await run('pdftotext', [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', file, '-'], { timeout: 60_000 });
  return stdout;
}

let log: DayLog;
let bytes: Uint8Array;
let text: string;
const progress: number[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'day-report-'));
  log = buildDayLog(input(awkwardDay()));
  bytes = await dayReportPdf(log, (f) => progress.push(f));
  text = await pdfText(bytes, 'report.pdf');
}, 60_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('dayReportPdf, as pdftotext reads it', () => {
  it('is a PDF with the title, point, station, day and the headings as real text', () => {
    expect(Buffer.from(bytes.slice(0, 5)).toString('latin1')).toBe('%PDF-');
    for (const s of ['现场确认日报', '郑州市金水区确认点（ZZ01）', '3号工位（st-03）', '2026-11-23', '按确认结果', '按考生类型', '按操作员', '异常情况', '同步状态']) expect(text).toContain(s);
  });

  it('shows the counts by result, candidate type and operator, and the sync state', () => {
    expect(log.counts.total).toBe(6);
    expect(text).toContain('当日确认记录 6 条');
    expect(text).toMatch(/已确认\s+4\n/);
    expect(text).toMatch(/审核未通过\s+2\n/);
    expect(text).toMatch(/应届\s+5\n/);
    expect(text).toMatch(/往届\s+1\n/);
    expect(text).toMatch(/李操作（op01）\s+4\n/);
    expect(text).toMatch(/赵操作（op02）\s+1\n/);
    expect(text).toMatch(/已同步 4\s+待同步 1\s+已移交 1\s+需处理 0/);
  });

  it('lists the exceptions with who approved them, candidates by masked number only', async () => {
    const plain = (await pdfText(bytes, 'plain.pdf', false)).replace(/\s+/g, '');
    for (const kind of ['名单过期继续办理', '人工认证', '审核未通过', '人脸比对需人工复核']) expect(plain).toContain(kind);
    expect(plain).toContain('王主管（sup01）');
    // The tally by kind above the list.
    expect(text).toMatch(/人工认证 1\s+人脸比对需人工复核 1\s+名单过期继续办理 1\s+证件图像识别（未读卡） 1\s+审核未通过 2/);
    expect(plain).toContain('已复核通过');
    const n = syntheticCitizenId(2);
    expect(text).toContain(`${n.slice(0, 6)}********${n.slice(-4)}`);
    for (let i = 1; i <= 22; i++) expect(text).not.toContain(syntheticCitizenId(i));
  });

  it('ends with the signature lines for 经办人 and 负责人 and a date', () => {
    expect(text).toMatch(/经办人：＿+\s+负责人：＿+\s+日期：＿+/);
    expect(text.indexOf('经办人')).toBeGreaterThan(text.indexOf('异常情况'));
  });

  it('embeds a subset of the CJK font, so the file stays small', async () => {
    const { stdout } = await run('pdffonts', [path.join(dir, 'report.pdf')]);
    expect(stdout).toMatch(/[A-Z]{6}\+NotoSansSC-Regular\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
    // The whole font is about 10 MB; the glyphs of one report are a few hundred KB at most.
    expect(bytes.length).toBeLessThan(400_000);
  });

  it('reports progress up to 1', () => {
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(1);
  });

  it('prints full numbers, with a warning, only when the log has them', async () => {
    const full = await pdfText(await dayReportPdf(buildDayLog(input(awkwardDay(), { fullNumbers: true }))), 'full.pdf');
    expect(full).toContain(syntheticCitizenId(2));
    expect(full).toContain('本报告含完整身份证号');
    expect(text).not.toContain('本报告含完整身份证号');
  });

  it('runs over pages with numbered footers when the day has many exceptions', async () => {
    const records = Array.from({ length: 120 }, (_, i) =>
      record(i + 1, content(i + 1, { identification: { source: 'ocr' }, approvals: [approval(i, 'roster-stale', '网络故障无法更新名单')], decidedAt: new Date(Date.UTC(2026, 10, 23, 1, 0, i)).toISOString() })),
    );
    const many = await pdfText(await dayReportPdf(buildDayLog(input(records))), 'many.pdf');
    const pages = many.split('\f').filter((p) => p.trim() !== '');
    expect(pages.length).toBeGreaterThan(2);
    expect(many).toContain(`第 1 页 / 共 ${pages.length} 页`);
    expect(many).toContain(`第 ${pages.length} 页 / 共 ${pages.length} 页`);
    // The table header is repeated on each page the exceptions run over.
    expect(pages.slice(1, -1).every((p) => p.includes('异常类型'))).toBe(true);
    expect(many).toMatch(/名单过期继续办理 120\b|名单过期继续办理/);
  });
});

describe('export helpers', () => {
  it('finds the font from the package', () => {
    expect(resolveReportFont()).toMatch(/noto-sans-sc[/\\]400Regular[/\\]NotoSansSC_400Regular\.ttf$/);
  });

  it('names the files after the point and the day, safe on Windows', () => {
    const named = { point: { code: 'ZZ01', name: '郑州:金水/确认点' }, day: '2026-11-23' };
    expect(dayLogFileName(named, 'xlsx')).toBe('现场确认日志-郑州_金水_确认点-2026-11-23.xlsx');
    expect(dayLogFileName(named, 'csv')).toBe('现场确认日志-郑州_金水_确认点-2026-11-23.csv');
    expect(dayLogFileName(named, 'pdf')).toBe('现场确认日报-郑州_金水_确认点-2026-11-23.pdf');
  });
});
