import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { RulesBundle } from '../../core/rules/bundle.js';
import { runAdminCommand } from '../../server/admin/commands.js';
import { createPoint } from '../../server/services/points.js';
import { importRoster } from '../../server/services/roster-import.js';
import { rosterTypeVocabulary } from '../../server/services/roster-types.js';
import { publishRules } from '../../server/services/rules.js';
import { countRows, describeEachDatabase } from './support/databases.js';
import { START_MS, citizenId } from './support/harness.js';

const NM_POINT = 'NM-HHHT-01';
const NM_NAME = '呼和浩特市现场确认点';
const PLAIN_POINT = 'ZZ-JS-01';
const nm = RulesBundle.parse(JSON.parse(readFileSync('server/sample-data/rules/nm-zsb-2027.json', 'utf8')));
const HEADER = ['报名号', '姓名', '身份证号', '考生类型', '报考专业', '考点所在地', '确认点'];

/** One synthetic candidate per type cell, as a province's registration export writes them. */
function csv(point: string, types: readonly string[]): string {
  const rows = types.map((type, i) => [`2027150${String(i + 1).padStart(5, '0')}`, `测试考生${i + 1}`, citizenId(i + 1), type, '软件工程', '呼和浩特市', point]);
  return [HEADER, ...rows].map((row) => row.join(',')).join('\r\n') + '\r\n';
}

describeEachDatabase('roster import with the province type labels of the point’s rules', (handle) => {
  let dir: string;
  let lines: string[];
  const now = new Date(START_MS);
  const cli = (args: string[]) => runAdminCommand(['import-roster', ...args], { db: handle.db, now: () => now, out: (l) => lines.push(l) });
  const storedTypes = async (point: string) =>
    (await handle.db.query('SELECT citizen_id, candidate_type FROM roster_entries WHERE point_code = $1 ORDER BY citizen_id', [point])).rows as { citizen_id: string; candidate_type: string }[];

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'roster-types-'));
    lines = [];
    await createPoint(handle.db, { code: NM_POINT, name: NM_NAME }, now);
    await createPoint(handle.db, { code: PLAIN_POINT, name: '郑州市金水区现场确认点' }, now);
    await publishRules(handle.db, NM_POINT, nm, now);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stores the bundle’s labels and ids as their national categories (区内 and 区外 both as 退役大学生士兵)', async () => {
    const types = ['应届', '退役大学生士兵（区内）', '退役大学生士兵(区外)', '三支一扶/西部计划', 'veteran-local', '获奖免试', 'vocational-expansion'];
    await writeFile(path.join(dir, 'nm.csv'), csv(NM_POINT, types));
    expect(await cli(['--point', NM_POINT, '--file', path.join(dir, 'nm.csv')]), lines.join('\n')).toBe(0);
    expect(lines.join('\n')).toContain('7 new');
    const byId = new Map((await storedTypes(NM_POINT)).map((row) => [row.citizen_id, row.candidate_type]));
    expect(types.map((_, i) => byId.get(citizenId(i + 1)))).toEqual([
      'fresh-graduate',
      'veteran',
      'veteran',
      'grassroots-service',
      'veteran',
      'award-exempt',
      'vocational-expansion',
    ]);
  });

  it('refuses a label neither the catalogue nor the bundle knows, naming the row and what may be written, never the value', async () => {
    await writeFile(path.join(dir, 'bad.csv'), csv(NM_POINT, ['应届', '免试生', '退役大学生士兵（区内）']));
    const report = path.join(dir, 'report.json');
    expect(await cli(['--point', NM_POINT, '--file', path.join(dir, 'bad.csv'), '--report', report])).toBe(1);
    expect(await countRows(handle.db, 'SELECT count(*) FROM roster_entries')).toBe(0);
    const labels = [...Object.values(zhCN.candidate.types), '退役大学生士兵（区内）', '退役大学生士兵（区外）'].join('、');
    const written = await readFile(report, 'utf8');
    expect(JSON.parse(written)).toMatchObject({ imported: false, error: { code: 'ROSTER_INVALID' }, badRows: [{ row: 3, reasons: [zhCN.central.roster.unknownCandidateType(labels)] }] });
    expect(written).not.toContain('免试生');
  });

  it('takes the same labels in a JSON roster, and only national ones at a point without a bundle', async () => {
    const entry = (n: number, point: string, candidateType: string) => ({
      registrationNo: `2027150${String(n).padStart(5, '0')}`,
      citizenId: citizenId(n),
      name: `测试考生${n}`,
      sex: Number(citizenId(n)[16]) % 2 === 1 ? 'male' : 'female',
      candidateType,
      major: '软件工程',
      examCity: '呼和浩特市',
      confirmationPoint: point,
      status: 'pending',
    });
    const reply = await importRoster(handle.db, NM_POINT, [entry(1, NM_POINT, '退役大学生士兵（区外）'), entry(2, NM_POINT, 'special-plan')], { skipBad: false }, now);
    expect(reply).toMatchObject({ inserted: 2, badRows: [] });
    expect((await storedTypes(NM_POINT)).map((row) => row.candidate_type).sort()).toEqual(['special-plan', 'veteran']);

    // The same province label where no bundle was published: the import's usual row error, with national labels only.
    const plain = await importRoster(handle.db, PLAIN_POINT, [entry(3, PLAIN_POINT, '退役大学生士兵（区外）'), entry(4, PLAIN_POINT, '往届')], { skipBad: true }, now);
    expect(plain).toMatchObject({ inserted: 1, skipped: 1, badRows: [{ row: 1, reasons: [zhCN.central.roster.unknownCandidateType(Object.values(zhCN.candidate.types).join('、'))] }] });
    expect((await storedTypes(PLAIN_POINT)).map((row) => row.candidate_type)).toEqual(['past-graduate']);
  });
});

it('maps a bundle type to its first roster category; national ids keep their meaning', () => {
  const vocabulary = rosterTypeVocabulary({ ...nm, candidateTypes: [...nm.candidateTypes, { ...nm.candidateTypes[0]!, id: 'mixed', label: '混合类', rosterTypes: ['other', 'past-graduate'] }] });
  expect(vocabulary.resolve('混合类')).toBe('other');
  expect(vocabulary.resolve(' 混合类 ')).toBe('other');
  expect(vocabulary.resolve('mixed')).toBe('other');
  expect(vocabulary.resolve('past-graduate')).toBe('past-graduate');
  expect(vocabulary.resolve('往届')).toBe('past-graduate');
  expect(vocabulary.resolve('学霸类')).toBeUndefined();
  expect(rosterTypeVocabulary(undefined).resolve('退役大学生士兵（区内）')).toBeUndefined();
});
