import { test, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_RULES_FILE } from '../../scripts/demo-central.mjs';
import { signWithMouse } from '../support/kiosk-signature.js';
import { demoOperator, signIn } from './fixtures/desk.js';

/**
 * The first run, as a new user meets it: `npm start -- --browser` (the same start script, its fixed ports, the
 * embedded central server with the sample point and the sample province rules), enrollment through the prefilled dialog, the roster and its
 * photos to 100 %, and one confirmation of 林晓雨 through every step using only what a person can see: the
 * simulator panel places the card and the fingers, the simulated camera films the candidate, the kiosk is signed
 * with the mouse. Screenshots of each step at 1366×768 are saved as test artifacts.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const LIN = '410105200203140223';
const rules = JSON.parse(readFileSync(path.join(root, DEMO_RULES_FILE), 'utf8')) as { version: string; province: string; pledge: { minReadSeconds: number } };

let start: ChildProcess | undefined;
let output = '';

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1366, height: 768 } });

test.afterAll(async () => {
  if (!start || start.exitCode !== null) return;
  await new Promise((resolve) => {
    start!.once('exit', resolve);
    start!.kill('SIGTERM');
  });
});

/** The README's ports, whatever the calling shell set. */
function withoutPortOverrides(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { STATION_PORT: _s, CENTRAL_PORT: _c, ...rest } = env;
  return rest;
}

function startStation(): Promise<{ staffUrl: string; kioskUrl: string }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'first-run-'));
  start = spawn(process.execPath, ['scripts/start.mjs', '--browser'], {
    cwd: root,
    env: withoutPortOverrides({ ...process.env, STATION_DATA_DIR: dataDir, CI: 'true' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      const staff = /staff: (\S+)/.exec(output);
      const kiosk = /kiosk: +(\S+)/.exec(output);
      if (staff && kiosk) resolve({ staffUrl: staff[1]!, kioskUrl: kiosk[1]! });
    };
    start!.stdout!.on('data', seen);
    start!.stderr!.on('data', seen);
    start!.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
}

/** Kept outside test-results/, which the next Playwright project (the Electron one) empties. */
const shotsDir = path.join(root, 'artifacts', 'first-run');

async function shot(page: Page, name: string): Promise<void> {
  const dir = shotsDir;
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  await test.info().attach(name, { path: file, contentType: 'image/png' });
}


test('npm start: enroll, roster and photos to 100 %, one whole confirmation of 林晓雨 with the kiosk and the receipt', async ({ browser }) => {
  test.setTimeout(300_000);
  const { staffUrl, kioskUrl } = await startStation();
  // The ports are the ones the README gives: this is the station a new user gets, not a test fixture.
  expect(new URL(staffUrl).port).toBe('17380');
  expect(new URL(kioskUrl).port).toBe('17381');
  expect(output).toContain('http://127.0.0.1:17400');
  expect(output).toContain('授权密码 PIN 123456');

  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const staff = await context.newPage();
  const kiosk = await context.newPage();
  await staff.goto(staffUrl);
  // The pledge's reading time passes on the kiosk's clock, which the test moves on instead of waiting.
  await kiosk.clock.install();
  await kiosk.goto(kioskUrl);
  await signIn(staff, demoOperator);
  await expect(staff.getByTestId('simulator-panel')).toBeVisible();
  await shot(staff, '00-start');

  // 注册本工作站: prefilled with the embedded server, nothing to copy from the console.
  // The panel settles once the engine runs and reports (the starting hint goes, the sync line comes): clicking
  // before that could hit the button while it moves.
  await expect(staff.getByTestId('sync-now')).toBeEnabled();
  await expect(staff.getByTestId('sync-line')).toBeVisible();
  await staff.getByTestId('enroll-open').click();
  const dialog = staff.getByTestId('enroll-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('中心服务器地址')).toHaveValue('http://127.0.0.1:17400');
  await expect(dialog.getByLabel('中心服务器地址')).toHaveAttribute('placeholder', 'http://');
  await expect(dialog.getByLabel('确认点代码')).toHaveValue('ZZ-JS-01');
  await expect(dialog.getByLabel('注册码')).not.toHaveValue('');
  await shot(staff, '01-enroll');
  await dialog.getByRole('button', { name: '注册' }).click();
  await expect(staff.getByTestId('enrolled')).toContainText('郑州市金水区现场确认点');

  // The roster and its photos arrive: the bar reaches 100 % and stays there.
  const progress = staff.getByTestId('roster-progress');
  await expect(progress).toHaveAttribute('data-percent', '100', { timeout: 60_000 });
  await expect(progress).toContainText('名单已下载 40 人');
  await expect(staff.getByTestId('roster-status')).toContainText('名单 40 人');
  await expect(staff.getByTestId('pending-count')).toHaveText('暂无待上传的确认记录');
  // The demo point's province rules came with the roster, and the idle desk applies them at once.
  await expect(staff.getByTestId('rules-line')).toHaveAttribute('data-version', rules.version, { timeout: 20_000 });
  await expect(staff.getByTestId('rules-line')).toContainText(rules.province);
  await shot(staff, '02-roster');

  // 读卡: the trainer places 林晓雨's card on the simulated reader.
  await staff.getByTestId('sim-candidate').selectOption(LIN);
  await staff.getByTestId('sim-place-card').click();
  await expect(staff.getByTestId('candidate-card').locator('[data-field=name] dd')).toHaveText('林晓雨');
  await expect(staff.getByTestId('candidate-card').getByTestId('candidate-photo')).toBeVisible();
  await expect(staff.getByTestId('kiosk-status')).toHaveAttribute('data-phase', 'awaiting-check');
  await shot(staff, '03-identify');

  // The candidate checks their data at the kiosk; the staff line changes at once.
  await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-view', 'verify-info');
  await shot(kiosk, '04-kiosk-verify');
  await kiosk.getByRole('button', { name: '信息无误' }).click();
  await expect(staff.getByTestId('kiosk-status')).toHaveAttribute('data-phase', 'checked');

  // 身份核验: the face check against the roster photo that arrived from the server passes without override.
  await staff.getByTestId('face-run').click();
  await expect(staff.getByTestId('face-check')).toHaveAttribute('data-decision', 'pass', { timeout: 60_000 });
  await shot(staff, '05-face');
  await staff.getByTestId('face-continue').click();

  // 信息采集: standard photo, then two fingers placed from the simulator panel.
  await expect(staff.getByTestId('step-collect')).toBeVisible();
  await expect(staff.getByTestId('kiosk-status')).toHaveAttribute('data-phase', 'checked');
  await staff.getByTestId('photo-capture').click();
  await expect(staff.getByTestId('photo-accept')).toBeVisible({ timeout: 30_000 });
  await staff.getByTestId('photo-accept').click();
  for (const slot of [0, 1]) {
    const panel = staff.getByTestId(`fingerprint-slot-${slot}`);
    await staff.getByTestId('sim-finger-lift').click();
    await staff.getByTestId('sim-finger-good').click();
    await panel.getByTestId('fingerprint-capture').click();
    await expect(panel).toHaveAttribute('data-status', 'captured', { timeout: 30_000 });
    await panel.getByTestId('fingerprint-confirm').click();
    await expect(panel).toHaveAttribute('data-status', 'confirmed');
  }
  await shot(staff, '06-collect');
  await staff.getByTestId('collect-continue').click();

  // 资格审核: every paper for 应届 is checked.
  const eligibility = staff.getByTestId('step-eligibility');
  await expect(eligibility).toBeVisible();
  for (const item of await eligibility.locator('li').all()) await item.getByRole('button', { name: '已核验', exact: true }).click();
  await shot(staff, '07-eligibility');
  await staff.getByTestId('eligibility-pass').click();

  // 考生确认: the candidate reads the province's pledge to its end (the pad stays locked until then and for its
  // reading time), then signs it at the kiosk with the mouse.
  await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-view', 'pledge');
  await expect(staff.getByTestId('kiosk-status')).toHaveAttribute('data-phase', 'awaiting-signature');
  const pledge = kiosk.getByTestId('kiosk-pledge');
  await expect(pledge).toHaveAttribute('data-locked', 'true');
  await kiosk.getByTestId('kiosk-pledge-text').hover();
  await kiosk.mouse.wheel(0, 5000);
  await kiosk.clock.fastForward(rules.pledge.minReadSeconds * 1000 + 1000);
  await expect(pledge).toHaveAttribute('data-locked', 'false');
  await signWithMouse(kiosk);
  await shot(kiosk, '08-kiosk-sign');
  await kiosk.getByRole('button', { name: '确认签名' }).click();
  await expect(staff.getByTestId('kiosk-status')).toHaveAttribute('data-phase', 'signed');
  await staff.getByTestId('save-confirmation').click();

  // 完成: the receipt with its signed QR, and the record goes to the server.
  await expect(staff.getByTestId('step-done')).toHaveAttribute('data-outcome', 'confirmed');
  await expect(staff.getByTestId('receipt-qr')).toHaveAttribute('data-qr', /^XCQR1\./);
  await expect(staff.getByTestId('pending-count')).toHaveAttribute('data-count', '0', { timeout: 30_000 });
  await expect(staff.getByTestId('pending-count')).toContainText('全部已上传');
  await shot(staff, '09-done');
  await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-view', 'done');
  await shot(kiosk, '10-kiosk-done');
  await context.close();
});
