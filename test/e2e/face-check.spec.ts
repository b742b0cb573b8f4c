import { test as base, expect, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumArgs } from '../../playwright.config.js';
import { faceFixturesAvailable, faceFixturesRoot } from '../support/face/fixtures.js';
import { imageToY4m } from '../support/face/y4m.js';
import { startHost } from './fixtures/station.js';
import { demoOperator, signIn } from './fixtures/desk.js';

/**
 * The face check in Chromium with its fake camera: the camera shows one photo of a person (fixture, test use
 * only), the roster holds another photo of the same person for one candidate and a different person for
 * another. Models load from the app's own files (the host serves dist/renderer/models).
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const lfw = path.join(faceFixturesRoot, 'faces-lfw');
const cameraFile = path.join(tmpdir(), `station-face-e2e-${process.pid}.y4m`);
const sample = JSON.parse(readFileSync(path.join(root, 'assets/roster/sample-roster.json'), 'utf8')) as {
  entries: { citizenId: string; name: string; status: string; photo?: string }[];
};
const [same, other] = sample.entries.filter((entry) => entry.status === 'pending');

const dataUrl = (file: string) => `data:image/jpeg;base64,${readFileSync(file).toString('base64')}`;

const test = base.extend<{ station: Awaited<ReturnType<typeof startHost>> }>({
  // eslint-disable-next-line no-empty-pattern
  station: async ({}, use) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'face-roster-'));
    const roster = {
      ...sample,
      entries: sample.entries.map((entry) =>
        entry === same
          ? { ...entry, photo: dataUrl(path.join(lfw, 'Wen_Jiabao/Wen_Jiabao_0001.jpg')) }
          : entry === other
            ? { ...entry, photo: dataUrl(path.join(lfw, 'Yoriko_Kawaguchi/Yoriko_Kawaguchi_0001.jpg')) }
            : entry,
      ),
    };
    writeFileSync(path.join(dir, 'roster.json'), JSON.stringify(roster));
    const host = await startHost({
      rosterSeedFile: path.join(dir, 'roster.json'),
      policy: { rosterMaxAgeHours: 24 * 30, faceCheck: 'required', standardPhoto: 'required', fingerprints: 'off' },
    });
    await use(host);
    host.child.kill('SIGTERM');
  },
});

test.skip(!faceFixturesAvailable(), 'face fixtures (../shared/fixtures) not present');

test.use({
  launchOptions: {
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [...chromiumArgs, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${cameraFile}`],
  },
});

test.beforeAll(async () => {
  // The camera sees a second photo of the same person as the first candidate's roster photo.
  await imageToY4m(path.join(lfw, 'Wen_Jiabao/Wen_Jiabao_0002.jpg'), cameraFile, { seconds: 1 });
});

async function identify(page: Page, citizenId: string) {
  await page.getByPlaceholder('18位身份证号').fill(citizenId);
  await page.getByPlaceholder('18位身份证号').press('Enter');
  await expect(page.getByTestId('step-identity')).toBeVisible();
}

test('same person → 通过, a soft camera frame gets retake guidance; a different person → 不通过, and going on needs a supervisor', async ({ station, context }) => {
  test.setTimeout(120_000);
  const staff = await context.newPage();
  await staff.goto(station.staffUrl);
  await signIn(staff, demoOperator);
  await expect(staff.getByTestId('roster-status')).toContainText('名单 40 人');

  // Same person: the check passes and shows its figures.
  await identify(staff, same!.citizenId);
  await staff.getByTestId('face-run').click();
  await expect(staff.getByTestId('face-check')).toHaveAttribute('data-decision', 'pass', { timeout: 60_000 });
  // The shipped default recognizer (issue 14), not face-api's dlib net.
  await expect(staff.getByTestId('face-check')).toHaveAttribute('data-recognizer', /^faceplugin-fr-feature@/);
  await expect(staff.getByTestId('face-result')).toContainText('通过');
  await expect(staff.getByTestId('face-result')).toContainText('比对距离');
  await staff.getByTestId('face-continue').click();

  // 信息采集: the standard photo is checked on the same camera. This fake camera shows a small news photo
  // scaled up to 640×480, which is too soft for an exam photo: the check must say so and ask for a retake
  // (the accepted path, with the 358×441 JPEG ≤ 60 KB, is covered by test/unit/face/photo-quality.test.ts).
  await expect(staff.getByTestId('step-collect')).toBeVisible();
  await staff.getByTestId('photo-capture').click();
  const panel = staff.getByTestId('photo-panel');
  await expect(panel).toHaveAttribute('data-status', 'rejected', { timeout: 30_000 });
  await expect(staff.getByTestId('photo-retake')).toContainText('请重新拍摄');
  await expect(staff.getByTestId('photo-retake')).toContainText('照片模糊');
  await expect(staff.getByTestId('collect-continue')).toBeDisabled();

  // Next candidate, a different person: 不通过, and 人工认证 is refused without the right supervisor PIN.
  await staff.keyboard.press('F2');
  await identify(staff, other!.citizenId);
  await staff.getByTestId('face-run').click();
  await expect(staff.getByTestId('face-check')).toHaveAttribute('data-decision', 'fail', { timeout: 60_000 });
  await expect(staff.getByTestId('face-check')).toHaveAttribute('data-recognizer', /^faceplugin-fr-feature@/);
  await expect(staff.getByTestId('face-continue')).toHaveCount(0);
  await staff.getByTestId('face-override').click();
  const dialog = staff.getByTestId('approval-dialog');
  await expect(dialog).toContainText('人工认证');
  await dialog.getByLabel('授权密码').fill('000000');
  await dialog.getByRole('button', { name: '授权' }).click();
  await expect(staff.getByTestId('approval-error')).toContainText('主管或授权密码不正确');
  await expect(staff.getByTestId('step-identity')).toBeVisible();
  await dialog.getByLabel('授权密码').fill('123456');
  await dialog.getByRole('button', { name: '授权' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(staff.getByTestId('step-collect')).toBeVisible();
});
