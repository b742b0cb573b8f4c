/**
 * Writes assets/roster/sample-roster.json: a roster of fictitious candidates for demos and tests.
 * Deterministic (seeded), so re-running it produces the same file. Portraits are drawn SVG silhouettes,
 * never real faces. Usage: npx tsx scripts/make-sample-roster.ts
 */
import { writeFile } from 'node:fs/promises';
import { computeCheckCharacter } from '../core/citizen-id/citizen-id.js';
import { candidateTypes, RosterSeed, type RosterEntry } from '../core/contract/roster.js';
import { seededRandom as mulberry32 } from '../native/simulators/seeded-random.js';

const random = mulberry32(20261123);
const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const regions = ['410102', '410103', '410105', '410302', '410702', '411302', '410402', '411102'];
const surnames = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗'];
const givenChars = ['子', '涵', '浩', '宇', '欣', '怡', '俊', '杰', '思', '雨', '博', '文', '晨', '嘉', '梓', '若', '一', '佳', '明', '婷'];
const majors = ['计算机科学与技术', '会计学', '护理学', '汉语言文学', '土木工程', '电子信息工程', '学前教育', '市场营销', '软件工程', '临床医学'];
const cities = ['郑州市', '洛阳市', '新乡市', '南阳市'];
const point = { code: 'ZZ-JS-01', name: '郑州市金水区现场确认点' };

function citizenId(region: string, birth: string, sex: 'male' | 'female'): string {
  const seq = Math.floor(random() * 50) * 2 + (sex === 'male' ? 1 : 0);
  const body = `${region}${birth}${String(100 + (Math.floor(random() * 8) * 100) + seq).slice(-3)}`;
  return body + computeCheckCharacter(body);
}

function portrait(sex: 'male' | 'female'): string {
  const skin = pick(['#f1c9a5', '#e8b894', '#d9a47f', '#f3d2b3']);
  const hair = pick(['#1d1a17', '#2b2420', '#3a2c22']);
  const shirt = pick(['#2f4f7f', '#3d3d3d', '#5b6b7b', '#7a2e3a', '#ffffff']);
  const hairShape =
    sex === 'female'
      ? `<path d="M28 62c0-22 14-36 32-36s32 14 32 36v40H84V66c-6 4-16 6-24 4-8 2-18 0-24-4v36h-8z" fill="${hair}"/>`
      : `<path d="M33 58c0-18 12-30 27-30s27 12 27 30c-5-8-14-12-27-12s-22 4-27 12z" fill="${hair}"/>`;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 160"><rect width="120" height="160" fill="#d6e6f5"/>` +
    `<path d="M10 160c4-28 24-40 50-40s46 12 50 40z" fill="${shirt}"/><rect x="50" y="92" width="20" height="22" fill="${skin}"/>` +
    `<ellipse cx="60" cy="66" rx="25" ry="31" fill="${skin}"/>${hairShape}</svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

function birthDate(): string {
  const year = 1996 + Math.floor(random() * 9);
  const month = 1 + Math.floor(random() * 12);
  const day = 1 + Math.floor(random() * 28);
  return `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
}

const entries: RosterEntry[] = [];
// Fixed first entries so that README examples and tests can name them.
const fixed: { name: string; sex: 'male' | 'female'; id: string; status: RosterEntry['status']; photo: boolean }[] = [
  { name: '林晓雨', sex: 'female', id: '41010520020314', status: 'pending', photo: true },
  { name: '张浩然', sex: 'male', id: '41030220010927', status: 'confirmed', photo: true },
  { name: '陈思远', sex: 'male', id: '41070220030105', status: 'pending', photo: false },
];
for (const [i, f] of fixed.entries()) {
  const body = `${f.id}${f.sex === 'male' ? '011' : '022'}`.slice(0, 17);
  const id = body + computeCheckCharacter(body);
  entries.push({
    registrationNo: `2026${String(41000001 + i)}`,
    citizenId: id,
    name: f.name,
    sex: f.sex,
    candidateType: candidateTypes[i % candidateTypes.length]!,
    major: majors[i]!,
    examCity: cities[i % cities.length]!,
    confirmationPoint: point.name,
    phone: `1380000${String(1000 + i)}`,
    ...(f.photo ? { photo: portrait(f.sex) } : {}),
    status: f.status,
  });
}
const used = new Set(entries.map((e) => e.citizenId));
while (entries.length < 40) {
  const sex = random() < 0.5 ? 'male' : 'female';
  const id = citizenId(pick(regions), birthDate(), sex);
  if (used.has(id)) continue;
  used.add(id);
  const i = entries.length;
  entries.push({
    registrationNo: `2026${String(41000001 + i)}`,
    citizenId: id,
    name: pick(surnames) + pick(givenChars) + (random() < 0.6 ? pick(givenChars) : ''),
    sex,
    candidateType: candidateTypes[i % candidateTypes.length]!,
    major: pick(majors),
    examCity: pick(cities),
    confirmationPoint: point.name,
    phone: `139${String(Math.floor(random() * 1e8)).padStart(8, '0')}`,
    photo: portrait(sex),
    status: random() < 0.15 ? 'confirmed' : 'pending',
  });
}

const seed = RosterSeed.parse({
  pointCode: point.code,
  pointName: point.name,
  generatedAt: '2026-11-20T08:00:00+08:00',
  synthetic: true,
  entries,
});
const out = new URL('../assets/roster/sample-roster.json', import.meta.url);
await writeFile(out, JSON.stringify(seed, null, 1) + '\n');
console.log(`wrote ${seed.entries.length} synthetic candidates to ${out.pathname}`);
