import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { parseCitizenId } from '../../core/citizen-id/citizen-id.js';
import { RosterDeltaReply } from '../../core/contract/central-api.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { runAdminCommand } from '../../server/admin/commands.js';
import { readRosterFile } from '../../server/roster-files/read-roster-file.js';
import { createPoint } from '../../server/services/points.js';
import { countRows, describeEachDatabase } from './support/databases.js';
import { START_MS, citizenId, enrollStation, json, sha256Hex, signedRequest, startServer } from './support/harness.js';

const POINT_CODE = 'ZZ-JS-01';
const POINT_NAME = '郑州市金水区现场确认点';
const roster = zhCN.central.roster;

/** Synthetic candidates as the online registration system exports them (Chinese labels, photo file names). */
interface Candidate {
  registrationNo: string;
  name: string;
  citizenId: string;
  sex: '男' | '女';
  type: string;
  major: string;
  city: string;
  point: string;
  phone: string;
  photo: string;
  note: string;
}

function candidates(count: number): Candidate[] {
  return Array.from({ length: count }, (_, i) => {
    const n = i + 1;
    const id = citizenId(n);
    return {
      registrationNo: `2026410${String(n).padStart(5, '0')}`,
      name: `测试考生${n}`,
      citizenId: id,
      // The 17th digit decides: odd = male.
      sex: Number(id[16]) % 2 === 1 ? '男' : '女',
      type: n % 2 === 0 ? '往届' : '应届',
      // Quotes and a comma inside a field: the CSV must quote it.
      major: n === 2 ? '计算机科学与技术（"智能"方向）,本科' : '软件工程',
      city: '郑州市',
      point: n % 2 === 0 ? POINT_NAME : POINT_CODE,
      phone: `138${String(n).padStart(8, '0')}`,
      photo: n === 3 ? '' : `${n}.jpg`,
      // A line break inside a quoted field must not start a new row.
      note: n === 1 ? '第一行备注\n第二行备注' : '',
    };
  });
}

const HEADER = [' 报名号', '姓名 ', '身份证号', '性别', '考生类型', '报考专业', '考点所在地', '确认点', '手机号', '照片文件名', '备注'];

function cellsOf(c: Candidate): string[] {
  return [c.registrationNo, c.name, c.citizenId, c.sex, c.type, c.major, c.city, c.point, c.phone, c.photo, c.note];
}

function csvField(value: string): string {
  return /[",\r\n]/u.test(value) ? `"${value.replace(/"/gu, '""')}"` : value;
}

function toCsv(rows: readonly string[][]): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** A tiny file that starts with the JPEG signature; `seed` makes contents (and hashes) differ. */
function jpeg(seed: number): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(`synthetic photo ${seed}`), Buffer.from([0xff, 0xd9])]);
}

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('synthetic png')]);

interface DbRow {
  citizen_id: string;
  registration_no: string;
  name: string;
  sex: string;
  candidate_type: string;
  major: string;
  exam_city: string;
  phone: string | null;
  photo_sha256: string | null;
  status: string;
}

describeEachDatabase('roster import from export files (CSV, XLSX, photos)', (handle) => {
  let dir: string;
  let photos: string;
  let lines: string[];

  const cli = (args: string[]) => runAdminCommand(['import-roster', ...args], { db: handle.db, now: () => new Date(START_MS), out: (l) => lines.push(l) });
  const file = (name: string) => path.join(dir, name);

  async function storedRows(): Promise<DbRow[]> {
    const { rows } = await handle.db.query(
      `SELECT citizen_id, registration_no, name, sex, candidate_type, major, exam_city, phone, photo_sha256, status
       FROM roster_entries WHERE point_code = $1 ORDER BY citizen_id`,
      [POINT_CODE],
    );
    return rows as unknown as DbRow[];
  }

  async function writePhotos(count: number): Promise<void> {
    for (let n = 1; n <= count; n++) await writeFile(path.join(photos, `${n}.jpg`), jpeg(n));
  }

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'roster-files-'));
    photos = path.join(dir, 'photos');
    await mkdir(photos);
    lines = [];
    await createPoint(handle.db, { code: POINT_CODE, name: POINT_NAME }, new Date(START_MS));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('import a UTF-8 CSV with BOM and quoted fields, and the same data in GBK identically', async () => {
    const people = candidates(5);
    await writePhotos(5);
    const text = toCsv([HEADER, ...people.map(cellsOf)]);
    await writeFile(file('utf8.csv'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
    await writeFile(file('gbk.csv'), iconv.encode(text, 'gbk'));

    const utf8 = await readRosterFile(file('utf8.csv'), { photosDir: photos });
    const gbk = await readRosterFile(file('gbk.csv'), { photosDir: photos });
    expect(utf8.encoding).toBe('utf-8-bom');
    expect(gbk.encoding).toBe('gb18030');
    expect(gbk.rows).toEqual(utf8.rows);
    expect(utf8.ignoredColumns).toEqual(['备注']);
    // The quoted line break stayed inside its cell: five data rows, numbered 2–6.
    expect(utf8.rows.map((r) => r.row)).toEqual([2, 3, 4, 5, 6]);

    expect(await cli(['--point', POINT_CODE, '--file', file('utf8.csv'), '--photos', photos]), lines.join('\n')).toBe(0);
    expect(lines.join('\n')).toContain('5 new');
    const stored = await storedRows();
    expect(stored).toHaveLength(5);
    const second = stored.find((r) => r.citizen_id === people[1]?.citizenId);
    expect(second).toMatchObject({
      registration_no: people[1]?.registrationNo,
      name: '测试考生2',
      sex: 'female',
      candidate_type: 'past-graduate',
      major: '计算机科学与技术（"智能"方向）,本科',
      exam_city: '郑州市',
      phone: '13800000002',
      photo_sha256: sha256Hex(jpeg(2)),
      status: 'pending',
    });
    expect(stored.find((r) => r.citizen_id === people[2]?.citizenId)?.photo_sha256).toBeNull();

    lines = [];
    expect(await cli(['--point', POINT_CODE, '--file', file('gbk.csv'), '--photos', photos])).toBe(0);
    expect(lines.join('\n')).toContain('(gb18030)');
    expect(lines.join('\n')).toContain('0 new, 0 updated, 5 unchanged');
    expect(await storedRows()).toEqual(stored);
  });

  it('import the first worksheet of an XLSX written by exceljs, deriving sex from the number', async () => {
    const people = candidates(4);
    await writePhotos(4);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('考生名单');
    workbook.addWorksheet('说明').addRow(['这张表不读']);
    // No 性别 column, aliases for the number and the major, and the phone as a number cell.
    sheet.addRow(['报名号', '姓名', '证件号码', '考生类型', ' 招考类别 ', '考点所在地', '确认点', '手机号', '照片', '确认状态']);
    for (const c of people) {
      sheet.addRow([c.registrationNo, c.name, c.citizenId, c.type, c.major, c.city, c.point, Number(c.phone), c.photo, c === people[3] ? '已确认' : '']);
    }
    await workbook.xlsx.writeFile(file('export.xlsx'));

    expect(await cli(['--point', POINT_CODE, '--file', file('export.xlsx'), '--photos', photos]), lines.join('\n')).toBe(0);
    expect(lines.join('\n')).toContain('4 new');
    const stored = await storedRows();
    expect(stored.map((r) => r.sex)).toEqual(
      [...people].sort((a, b) => a.citizenId.localeCompare(b.citizenId)).map((c) => (c.sex === '男' ? 'male' : 'female')),
    );
    expect(stored.map((r) => r.phone)).toContain('13800000004');
    expect(stored.find((r) => r.citizen_id === people[3]?.citizenId)?.status).toBe('confirmed');
    expect(stored.find((r) => r.citizen_id === people[0]?.citizenId)?.photo_sha256).toBe(sha256Hex(jpeg(1)));
  });

  it('import nothing from a file with bad rows; report exact row numbers and reasons without values; skip them when told', async () => {
    const people = candidates(10);
    await writePhotos(10);
    const badDigit = people[1]!.citizenId.slice(0, 17) + (people[1]!.citizenId.endsWith('0') ? '1' : '0');
    people[1]!.citizenId = badDigit; // row 3: bad check digit
    people[2]!.citizenId = people[0]!.citizenId; // row 4: duplicate of row 2
    people[3]!.type = '学霸类'; // row 5: unknown candidate type
    people[4]!.photo = 'nobody.jpg'; // row 6: photo file missing
    people[5]!.point = '别的确认点'; // row 7: another point
    await writeFile(path.join(photos, '8.jpg'), Buffer.alloc(256 * 1024 + 1, 0xff)); // row 9: photo too large
    await writeFile(path.join(photos, '9.jpg'), 'not an image at all'); // row 10: not JPEG/PNG
    await writeFile(file('bad.csv'), toCsv([HEADER, ...people.map(cellsOf)]));
    const report = file('report.json');

    expect(await cli(['--point', POINT_CODE, '--file', file('bad.csv'), '--photos', photos, '--report', report])).toBe(1);
    expect(await countRows(handle.db, 'SELECT count(*) FROM roster_entries')).toBe(0);
    expect(await countRows(handle.db, 'SELECT count(*) FROM blobs')).toBe(0);
    expect(lines.join('\n')).toContain('ROSTER_INVALID');
    const checkDigit = parseCitizenId(badDigit);
    expect(checkDigit.ok).toBe(false);
    const expectedBad = [
      { row: 3, reasons: [`身份证号：${checkDigit.ok ? '' : zhCN.central.roster.citizenIdReasons[checkDigit.error.reason]}`] },
      { row: 4, reasons: [roster.duplicateCitizenId(2)] },
      { row: 5, reasons: [roster.unknownCandidateType(Object.values(zhCN.candidate.types).join('、'))] },
      { row: 6, reasons: [roster.photoMissing] },
      { row: 7, reasons: [roster.pointMismatch] },
      { row: 9, reasons: [roster.photoTooLarge(256)] },
      { row: 10, reasons: [roster.photoNotImage] },
    ];
    const refused = await readFile(report, 'utf8');
    expect(JSON.parse(refused)).toMatchObject({ point: POINT_CODE, imported: false, error: { code: 'ROSTER_INVALID' }, badRows: expectedBad });
    for (const c of people) {
      expect(refused).not.toContain(c.citizenId);
      expect(refused).not.toContain(c.name);
    }
    expect(refused).not.toContain('学霸类');
    expect(refused).not.toContain('别的确认点');

    lines = [];
    expect(await cli(['--point', POINT_CODE, '--file', file('bad.csv'), '--photos', photos, '--skip-bad', '--report', report])).toBe(0);
    const skipped = JSON.parse(await readFile(report, 'utf8')) as { imported: boolean; result: unknown; badRows: unknown };
    expect(skipped).toMatchObject({ imported: true, result: { rows: 10, inserted: 3, updated: 0, unchanged: 0, skipped: 7 }, badRows: expectedBad });
    expect((await storedRows()).map((r) => r.citizen_id).sort()).toEqual([people[0], people[6], people[9]].map((c) => c!.citizenId).sort());
  });

  it('update only the changed row on re-import', async () => {
    const people = candidates(6);
    await writePhotos(6);
    await writeFile(file('a.csv'), toCsv([HEADER, ...people.map(cellsOf)]));
    expect(await cli(['--point', POINT_CODE, '--file', file('a.csv'), '--photos', photos])).toBe(0);
    const before = await handle.db.query('SELECT citizen_id, row_version FROM roster_entries');

    people[4]!.major = '土木工程';
    await writeFile(file('b.csv'), toCsv([HEADER, ...people.map(cellsOf)]));
    lines = [];
    expect(await cli(['--point', POINT_CODE, '--file', file('b.csv'), '--photos', photos])).toBe(0);
    expect(lines.join('\n')).toContain('0 new, 1 updated, 5 unchanged');
    const after = await handle.db.query('SELECT citizen_id, row_version FROM roster_entries');
    const moved = after.rows.filter((row) => before.rows.find((b) => b['citizen_id'] === row['citizen_id'])?.['row_version'] !== row['row_version']);
    expect(moved.map((row) => row['citizen_id'])).toEqual([people[4]?.citizenId]);
  });

  it('reject a file without a required column with a Chinese message, importing nothing', async () => {
    const people = candidates(2);
    await writePhotos(2);
    const without = (cells: string[]) => cells.filter((_, i) => i !== 2);
    await writeFile(file('no-id.csv'), toCsv([without(HEADER), ...people.map((c) => without(cellsOf(c)))]));
    const report = file('report.json');
    expect(await cli(['--point', POINT_CODE, '--file', file('no-id.csv'), '--photos', photos, '--report', report])).toBe(1);
    expect(lines.join('\n')).toContain(roster.file.missingColumns('身份证号'));
    expect(JSON.parse(await readFile(report, 'utf8'))).toMatchObject({ imported: false, error: { code: 'FILE_INVALID' }, badRows: [] });
    expect(await countRows(handle.db, 'SELECT count(*) FROM roster_entries')).toBe(0);

    // Photo names without a photo folder are refused as a whole, not as a bad row each.
    await writeFile(file('ok.csv'), toCsv([HEADER, ...people.map(cellsOf)]));
    lines = [];
    expect(await cli(['--point', POINT_CODE, '--file', file('ok.csv')])).toBe(1);
    expect(lines.join('\n')).toContain(roster.file.photosRequired);
  });

  it('store each photo once by hash and send the hash in the roster delta', async () => {
    const people = candidates(4);
    // Rows 2 and 3 name the same file; row 4 names a copy under another name; row 5 is a PNG.
    people[1]!.photo = 'shared.jpg';
    people[2]!.photo = 'shared.jpg';
    people[3]!.photo = 'copy.JPG';
    await writeFile(path.join(photos, '1.jpg'), PNG);
    await writeFile(path.join(photos, 'shared.jpg'), jpeg(42));
    await writeFile(path.join(photos, 'copy.jpg'), jpeg(42)); // matched case-insensitively
    await writeFile(file('photos.csv'), toCsv([HEADER, ...people.map(cellsOf)]));
    expect(await cli(['--point', POINT_CODE, '--file', file('photos.csv'), '--photos', photos]), lines.join('\n')).toBe(0);

    const jpegHash = sha256Hex(jpeg(42));
    const pngHash = sha256Hex(PNG);
    expect(await countRows(handle.db, 'SELECT count(*) FROM blobs')).toBe(2);
    const { rows: blobs } = await handle.db.query('SELECT sha256, mime, size FROM blobs ORDER BY mime');
    expect(blobs).toEqual([
      { sha256: jpegHash, mime: 'image/jpeg', size: jpeg(42).length },
      { sha256: pngHash, mime: 'image/png', size: PNG.length },
    ]);

    const server = startServer(handle.db);
    const station = await enrollStation(server.app, POINT_CODE);
    const response = await signedRequest(server, station, { method: 'GET', url: '/api/v1/roster?cursor=0&limit=10' });
    expect(response.statusCode, response.body).toBe(200);
    const delta = RosterDeltaReply.parse(json(response));
    const byId = new Map(delta.entries.map((e) => [e.citizenId, e]));
    expect(people.map((c) => byId.get(c.citizenId)?.photoSha256)).toEqual([pngHash, jpegHash, jpegHash, jpegHash]);
    expect(delta.entries[0]).not.toHaveProperty('photo');
    const blob = await signedRequest(server, station, { method: 'GET', url: `/api/v1/blobs/${jpegHash}` });
    expect(blob.statusCode).toBe(200);
    expect(blob.headers['content-type']).toBe('image/jpeg');
    expect(blob.rawPayload.equals(jpeg(42))).toBe(true);
  });
});
