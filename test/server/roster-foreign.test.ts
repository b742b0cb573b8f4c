import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ConfirmationBatchReply, RosterDeltaReply, RosterImportReply } from '../../core/contract/central-api.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { runAdminCommand } from '../../server/admin/commands.js';
import { countRows, describeEachDatabase } from './support/databases.js';
import {
  START_MS,
  type TestServer,
  type TestStation,
  adminRequest,
  contentBlobs,
  createPoint,
  enrollStation,
  json,
  rosterRows,
  signRecordAs,
  signedRequest,
  startServer,
} from './support/harness.js';

const POINT_CODE = 'P1';
const POINT_NAME = '一号确认点';
/** Foreign permanent resident card numbers: 2017 layout (USA, office 1100, born 88-07-15) and 2023 layout. */
const F2017 = 'USA110088071537';
const F2023 = '911840199506120036';

const HEADER = ['报名号', '姓名', '身份证号', '性别', '考生类型', '报考专业', '考点所在地', '确认点'];

describeEachDatabase('roster import with foreign permanent resident card numbers', (handle) => {
  let server: TestServer;
  let station: TestStation;
  let dir: string;
  let lines: string[];
  const cli = (args: string[]) => runAdminCommand(['import-roster', ...args], { db: handle.db, now: () => new Date(START_MS), out: (l) => lines.push(l) });

  beforeEach(async () => {
    server = startServer(handle.db);
    await createPoint(server.app, POINT_CODE, POINT_NAME);
    station = await enrollStation(server.app, POINT_CODE);
    dir = await mkdtemp(path.join(tmpdir(), 'roster-foreign-'));
    lines = [];
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('import a 2017 and a 2023 entry beside a resident one, hand them to the station, and take their records', async () => {
    const [resident] = rosterRows(1, POINT_NAME);
    const rows = [
      resident,
      { ...resident, registrationNo: '202641099901', citizenId: F2017, name: '史密斯', sex: 'male' },
      { ...resident, registrationNo: '202641099902', citizenId: F2023, name: '穆勒', sex: 'female' },
    ];
    const imported = await adminRequest(server.app, 'POST', `/api/v1/admin/points/${POINT_CODE}/roster`, rows);
    expect(imported.statusCode, imported.body).toBe(200);
    expect(RosterImportReply.parse(json(imported))).toMatchObject({ rows: 3, inserted: 3, skipped: 0 });

    const delta = await signedRequest(server, station, { method: 'GET', url: '/api/v1/roster?cursor=&limit=10' });
    expect(delta.statusCode, delta.body).toBe(200);
    const entries = RosterDeltaReply.parse(json(delta)).entries;
    expect(entries.map((e) => [e.citizenId, e.name]).sort()).toEqual(
      [[resident!.citizenId, resident!.name], [F2017, '史密斯'], [F2023, '穆勒']].sort(),
    );

    // The confirmations table takes both layouts too (its 0001 CHECK allowed 18 characters only).
    const confirmations = [F2017, F2023].map((citizenId) =>
      signRecordAs(station, { id: randomUUID(), citizenId, content: { result: 'confirmed', step: 'done', blobs: contentBlobs([]) }, blobs: [] }),
    );
    const uploaded = await signedRequest(server, station, { method: 'POST', url: '/api/v1/confirmations/batch', body: { confirmations } });
    expect(uploaded.statusCode, uploaded.body).toBe(200);
    expect(ConfirmationBatchReply.parse(json(uploaded)).results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    expect(await countRows(handle.db, 'SELECT count(*) FROM confirmations WHERE citizen_id IN ($1, $2)', [F2017, F2023])).toBe(2);
  });

  it('import foreign numbers from an export file, normalised; the sex comes from its column, never from their digits', async () => {
    const csv = [
      HEADER,
      ['202641099901', '史密斯', ' usa 1100 8807 1537 ', '男', '应届', '软件工程', '郑州市', POINT_NAME],
      ['202641099902', '穆勒', F2023, '女', '往届', '软件工程', '郑州市', POINT_NAME],
    ];
    await writeFile(path.join(dir, 'roster.csv'), csv.map((row) => row.join(',')).join('\r\n') + '\r\n');
    expect(await cli(['--point', POINT_CODE, '--file', path.join(dir, 'roster.csv')]), lines.join('\n')).toBe(0);
    const { rows } = await handle.db.query('SELECT citizen_id, sex FROM roster_entries ORDER BY citizen_id');
    expect(rows).toEqual([
      { citizen_id: F2023, sex: 'female' },
      { citizen_id: F2017, sex: 'male' },
    ]);
  });

  it('without a 性别 column a foreign row is missing its sex; a malformed 2017 number is reported without its value', async () => {
    const header = HEADER.filter((h) => h !== '性别');
    const csv = [
      header,
      ['202641099901', '史密斯', F2017, '应届', '软件工程', '郑州市', POINT_NAME],
      ['202641099902', '约翰', 'USA11008807153', '应届', '软件工程', '郑州市', POINT_NAME],
    ];
    await writeFile(path.join(dir, 'roster.csv'), csv.map((row) => row.join(',')).join('\r\n') + '\r\n');
    const report = path.join(dir, 'report.json');
    expect(await cli(['--point', POINT_CODE, '--file', path.join(dir, 'roster.csv'), '--report', report])).toBe(1);
    const text = await readFile(report, 'utf8');
    expect(JSON.parse(text)).toMatchObject({
      imported: false,
      badRows: [
        { row: 2, reasons: [zhCN.central.roster.fieldMissing(zhCN.candidate.fields.sex)] },
        { row: 3, reasons: [`${zhCN.candidate.fields.citizenId}：${zhCN.documentNumber.rowReasons['foreign-2017-length']}`] },
      ],
    });
    expect(text).not.toContain('USA1100');
    expect(await countRows(handle.db, 'SELECT count(*) FROM roster_entries')).toBe(0);
  });
});
