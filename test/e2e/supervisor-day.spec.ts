import { expect, type Page } from '@playwright/test';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { withDemoFaces } from '../../scripts/demo-central.mjs';
import type { CentralServer } from './fixtures/central-server.js';
import { centralStationTest, type CallableStation } from './fixtures/central-station.js';
import { passEligibilityAndSign, signIn } from './fixtures/desk.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const sample = withDemoFaces(
  root,
  JSON.parse(readFileSync(path.join(root, 'assets/roster/sample-roster.json'), 'utf8')) as {
    pointCode: string;
    pointName: string;
    entries: { citizenId: string; name: string; status: string; photo?: string }[];
  },
);
/** 林晓雨: the demo's synthetic face, the simulated camera shows her (assets/demo/demo-faces.json). */
const LIN = '410105200203140223';
const other = sample.entries.find((e) => e.status === 'pending' && e.citizenId !== LIN)!;

const operator = { accountId: 'op01', name: '张敏', role: 'operator', password: 'desk-pass-01' } as const;
const supervisor = { accountId: 'sup01', name: '李强', role: 'supervisor', password: 'boss-pass-01' } as const;

/** Face check on (人工认证 is possible), nothing else collected. */
const policy = { rosterMaxAgeHours: 24 * 30, faceCheck: 'required', standardPhoto: 'off', fingerprints: 'off' };

type Station = CallableStation;

const test = centralStationTest;
// The station's default idle lock (10 min) unless a test is about it: waits elsewhere must not lock the desk.
test.use({ hostConfig: { idleLockMinutes: 10, policy } });

// The two days are independent (each its own server and station): they may run on both workers at once.
// The timeout covers the fixtures too: a central server and a station start before each test body runs.
test.describe.configure({ mode: 'parallel', timeout: 240_000 });

/** The point on the central server: roster (with the demo face), its two staff accounts, and the station enrolled. */
async function setUpPoint(central: CentralServer, station: Station): Promise<void> {
  await central.admin('POST', '/api/v1/admin/points', { code: sample.pointCode, name: sample.pointName });
  await central.admin('POST', `/api/v1/admin/points/${sample.pointCode}/roster`, sample.entries);
  for (const account of [operator, supervisor]) {
    await central.admin('POST', `/api/v1/admin/points/${sample.pointCode}/staff`, { id: account.accountId, name: account.name, role: account.role, password: account.password });
  }
  const { code } = (await central.admin('POST', `/api/v1/admin/points/${sample.pointCode}/enrollment-codes`, {})) as { code: string };
  await expect(station.call('central.enroll', { serverUrl: central.url, code, pointCode: sample.pointCode, stationName: '1号工位' })).resolves.toMatchObject({ ok: true, value: { enrolled: true } });
}

async function openWindows(station: Station, page: Page, options: { staffClock?: boolean } = {}): Promise<{ staff: Page; kiosk: Page }> {
  const staff = await page.context().newPage();
  // The idle lock's time can pass on the staff page's clock, which the test then moves on instead of waiting.
  if (options.staffClock) await staff.clock.install();
  // Headless Chromium would hold the page in a print job no one closes; the call is counted instead, and
  // page.pdf() prints the page exactly as the print dialog would (print media, the sheet's @page).
  await staff.addInitScript(() => {
    window.print = () => {
      document.documentElement.dataset['prints'] = String(Number(document.documentElement.dataset['prints'] ?? '0') + 1);
    };
  });
  await staff.goto(station.staffUrl);
  const kiosk = await page.context().newPage();
  await kiosk.goto(station.kioskUrl);
  return { staff, kiosk };
}

/**
 * 读卡 (the simulated reader) or a typed number (手工录入) → the face check (its result decides) → 资格审核 → the
 * kiosk signature → saved.
 */
async function confirmByFace(staff: Page, kiosk: Page, citizenId: string, face: 'pass' | 'override', by: 'card' | 'typed'): Promise<void> {
  await staff.getByTestId(face === 'pass' ? 'sim-scene-candidate' : 'sim-scene-stranger').check();
  if (by === 'card') {
    await staff.getByTestId('sim-candidate').selectOption(citizenId);
    await staff.getByTestId('sim-place-card').click();
  } else {
    await staff.getByPlaceholder('18位身份证号').fill(citizenId);
    await staff.getByPlaceholder('18位身份证号').press('Enter');
  }
  await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-view', 'verify-info');
  await kiosk.getByRole('button', { name: '信息无误' }).click();
  if (face === 'pass') {
    // The roster photo (downloaded after the roster rows) is what the live face is compared with.
    await expect(staff.getByTestId('candidate-card').getByTestId('candidate-photo')).toBeVisible();
    await staff.getByTestId('face-run').click();
    await expect(staff.getByTestId('face-check')).toHaveAttribute('data-decision', 'pass', { timeout: 60_000 });
    await staff.getByTestId('face-continue').click();
  } else {
    // A stranger in front of the camera (or no roster photo to compare with): no 通过, only 人工认证.
    await staff.getByTestId('face-run').click();
    await expect(staff.getByTestId('face-continue')).toHaveCount(0);
    // 人工认证: the supervisor comes to the desk and approves with their own password.
    await staff.getByTestId('face-override').click();
    const dialog = staff.getByTestId('approval-dialog');
    await dialog.locator('select[name=supervisorId]').selectOption(supervisor.accountId);
    await dialog.getByLabel('授权密码').fill(supervisor.password);
    await dialog.getByRole('button', { name: '授权' }).click();
    await expect(dialog).toHaveCount(0);
  }
  await passEligibilityAndSign(staff, kiosk);
  if (by === 'card') await staff.getByTestId('sim-remove-card').click();
  await staff.keyboard.press('F2');
}

async function download(staff: Page, testId: string, dir: string): Promise<{ file: string; name: string }> {
  const [file] = await Promise.all([staff.waitForEvent('download'), staff.getByTestId(testId).click()]);
  const target = path.join(dir, file.suggestedFilename());
  await file.saveAs(target);
  return { file: target, name: file.suggestedFilename() };
}

test.describe('the desk locks after 21 idle seconds', () => {
  test.use({ hostConfig: { idleLockMinutes: 0.35, policy } });

  test('an operator confirms two (one by 人工认证), the desk locks when idle; the supervisor reviews, exports and closes the day after sync', async ({ central, station, page }) => {
    test.setTimeout(240_000);
    await setUpPoint(central, station);
    const { staff, kiosk } = await openWindows(station, page, { staffClock: true });

    // The accounts came from the central server with the enrollment: the operator signs in with theirs.
    await signIn(staff, operator);
    await expect(staff.getByTestId('signed-in-user')).toContainText('张敏（操作员）');
    await expect(staff.getByTestId('screen-switch')).toHaveCount(0);
    await expect(staff.getByTestId('roster-status')).toContainText(`名单 ${sample.entries.length} 人`, { timeout: 30_000 });
    await expect(staff.getByTestId('roster-progress')).toHaveAttribute('data-percent', '100', { timeout: 60_000 });

    await confirmByFace(staff, kiosk, LIN, 'pass', 'card');
    await confirmByFace(staff, kiosk, other.citizenId, 'override', 'typed');

    // Nobody touches the desk: a countdown (the last 10.5 s of the 21), then the lock screen naming who was signed in.
    await staff.clock.fastForward(12_000);
    await expect(staff.getByTestId('idle-warning')).toBeVisible({ timeout: 15_000 });
    await staff.clock.fastForward(12_000);
    await expect(staff.getByTestId('sign-in')).toContainText('张敏 的会话已锁定', { timeout: 15_000 });
    await expect(staff.getByTestId('candidate-card')).toHaveCount(0);

    // The supervisor takes the desk with their own sign-in.
    await signIn(staff, supervisor);
    await staff.getByTestId('screen-switch').click();
    await expect(staff.getByTestId('supervisor-desk')).toBeVisible();

    // 待复核: the 人工认证 record, opened with its signature, approved as a new version.
    const item = staff.getByTestId('review-item');
    await expect(item).toHaveCount(1);
    await expect(item).toHaveAttribute('data-kinds', 'identity-override manual-identity');
    await expect(item).toContainText(other.name);
    await item.getByRole('button', { name: '查看' }).click();
    await expect(staff.getByTestId('review-image-signature')).toBeVisible();
    await staff.getByTestId('review-note').fill('已核对户口簿原件');
    await staff.getByTestId('review-approve').click();
    await expect(staff.getByTestId('review-empty')).toBeVisible();
    await staff.getByTestId('review-filter-done').click();
    await expect(staff.getByTestId('review-item')).toContainText('已由李强复核通过');

    // 导出日志: the three files, as downloads of the browser host.
    const dir = mkdtempSync(path.join(tmpdir(), 'day-exports-'));
    await staff.getByTestId('desk-tab-export').click();
    const xlsx = await download(staff, 'export-xlsx', dir);
    expect(xlsx.name).toMatch(/^现场确认日志-.+\.xlsx$/);
    expect((await readFile(xlsx.file)).subarray(0, 2).toString('latin1')).toBe('PK');
    const csv = await download(staff, 'export-csv', dir);
    const csvBytes = await readFile(csv.file);
    expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csvText = csvBytes.toString('utf8');
    expect(csvText).toContain(other.name);
    // Numbers masked: the full number of neither candidate is in the file.
    expect(csvText).not.toContain(LIN);
    expect(csvText).toContain('410105********0223');
    const pdf = await download(staff, 'export-pdf', dir);
    const { stdout: report } = await run('pdftotext', ['-layout', pdf.file, '-']);
    expect(report).toContain('现场确认日报');
    expect(report).toContain('经办人');
    expect(report).toContain('负责人');
    expect(report).toContain('李强');

    // 打印日报: the same report on A4 through the page's print style; nothing of the desk is on paper.
    await staff.getByTestId('print-day-report').click();
    await expect(staff.getByTestId('print-day-report-result')).toContainText('已打开打印对话框');
    await expect(staff.locator('html')).toHaveAttribute('data-prints', '1');
    await expect(staff.getByTestId('day-report-sheet')).toBeHidden();
    const printed = path.join(dir, 'printed-day-report.pdf');
    writeFileSync(printed, await staff.pdf({ preferCSSPageSize: true }));
    const { stdout: info } = await run('pdfinfo', [printed]);
    expect(info).toMatch(/Page size:.*\(A4\)/);
    const { stdout: paper } = await run('pdftotext', ['-layout', printed, '-']);
    for (const line of ['现场确认日报', sample.pointName, '按确认结果', '异常情况', '经办人', '负责人', '李强（sup01）', other.name]) expect(paper).toContain(line);
    // Numbered in the page margin (@page day-report, @bottom-center).
    expect(paper).toMatch(/\b1 ?\/ ?\d+\b/);
    expect(paper).not.toContain(LIN);
    expect(paper).not.toContain('导出 Excel');

    // 日结: after the sync everything is acknowledged, and the close is stored by the server.
    await staff.getByTestId('desk-tab-close').click();
    await expect(staff.getByTestId('close-summary')).toContainText('本日共办理 2 人');
    await expect(staff.getByTestId('close-unsettled')).toHaveCount(0, { timeout: 30_000 });
    await staff.getByTestId('close-submit').click();
    await expect(staff.getByTestId('day-closed')).toBeVisible();
    const listed = (await central.admin('GET', `/api/v1/admin/confirmations?point=${sample.pointCode}`)) as {
      confirmations: { citizenId: string; content: { actor?: { accountId: string }; review?: { decision: string; by: { accountId: string } } } }[];
    };
    // Two candidates and the review version, each naming who made it.
    expect(listed.confirmations).toHaveLength(3);
    expect(listed.confirmations.filter((c) => c.content.actor?.accountId === operator.accountId)).toHaveLength(3);
    expect(listed.confirmations.filter((c) => c.content.review?.by.accountId === supervisor.accountId)).toHaveLength(1);
  });
});

test('with the server down, the supervisor closes the day by handoff bundle and the central office imports it', async ({ central, station, page }) => {
  test.setTimeout(180_000);
  await setUpPoint(central, station);
  const { staff, kiosk } = await openWindows(station, page);
  await signIn(staff, operator);
  await expect(staff.getByTestId('roster-status')).toContainText(`名单 ${sample.entries.length} 人`, { timeout: 30_000 });
  await expect(staff.getByTestId('roster-progress')).toHaveAttribute('data-percent', '100', { timeout: 60_000 });

  // The network goes: the confirmation stays on the station.
  await central.stop();
  await confirmByFace(staff, kiosk, LIN, 'pass', 'card');
  await expect(staff.getByTestId('pending-count')).toHaveAttribute('data-count', '1');

  // Operator switch: lock, the supervisor signs in (offline, against the stored hashes).
  await staff.getByTestId('lock-now').click();
  await signIn(staff, supervisor);
  await staff.getByTestId('screen-switch').click();
  await staff.getByTestId('desk-tab-close').click();
  await expect(staff.getByTestId('close-unsettled')).toContainText('还有 1 条记录');
  await expect(staff.getByTestId('close-submit')).toBeDisabled();
  const dir = mkdtempSync(path.join(tmpdir(), 'handoff-'));
  const bundle = await download(staff, 'close-handoff', dir);
  expect(bundle.name).toMatch(/^离线移交-.+\.xqb$/);
  await expect(staff.getByTestId('day-closed')).toBeVisible();
  await expect(staff.getByTestId('close-message')).toContainText('已生成移交文件');
  // Sealed: no candidate's number or name is readable in the file.
  const bytes = await readFile(bundle.file);
  expect(bytes.includes(Buffer.from(LIN))).toBe(false);
  expect(bytes.includes(Buffer.from('林晓雨'))).toBe(false);

  // The central office imports the file (the server is stopped; the CLI opens its database).
  const env = { ...process.env, PGLITE_DIR: central.dataDir, DATABASE_URL: '' };
  const first = await run(process.execPath, ['--import', 'tsx', 'server/admin-cli.ts', 'import-bundle', '--file', bundle.file], { cwd: root, env });
  expect(first.stdout).toContain('accepted 1');
  const again = await run(process.execPath, ['--import', 'tsx', 'server/admin-cli.ts', 'import-bundle', '--file', bundle.file], { cwd: root, env });
  expect(again.stdout).toContain('duplicate 1');

  // Back online: the record is on the server once, and the station's own retry is answered as already there.
  await central.start();
  const listed = (await central.admin('GET', `/api/v1/admin/confirmations?point=${sample.pointCode}`)) as { confirmations: { citizenId: string }[] };
  expect(listed.confirmations.map((c) => c.citizenId)).toEqual([LIN]);
  await staff.getByTestId('desk-tab-review').click();
  await staff.getByTestId('screen-switch').click();
  await staff.getByTestId('sync-now').click();
  await expect(staff.getByTestId('pending-count')).toHaveAttribute('data-count', '0', { timeout: 30_000 });
});
