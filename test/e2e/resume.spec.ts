import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './fixtures/central-server.js';
import { callOnce, startHost } from './fixtures/station.js';
import { demoOperator, passEligibilityAndSign, signIn } from './fixtures/desk.js';
import { readSealedRecords, stationDataKey } from '../support/sealed-records.js';

const LIN = '410105200203140223'; // 林晓雨, pending, in assets/roster/sample-roster.json
const config = { policy: { rosterMaxAgeHours: 24 * 30, faceCheck: 'off', standardPhoto: 'off', fingerprints: 'required' } };

/** The parts of the open confirmation the staff window has on disk (their names only: the values are sealed). */
function draftParts(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('xianchang-station');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('drafts').objectStore('drafts').getAllKeys();
          request.onsuccess = () => {
            open.result.close();
            resolve((request.result as string[]).sort());
          };
          request.onerror = () => reject(request.error);
        };
      }),
  );
}

test('the host is killed and the staff window reloaded mid 信息采集: resume at the step, the kiosk shows it again, the record is saved once', async ({ context }) => {
  test.setTimeout(120_000);
  const port = await freePort();
  const first = await startHost(config, { dir: mkdtempSync(path.join(tmpdir(), 'station-resume-')), port });
  const call = (url: string, method: string, payload: unknown) => callOnce(new URL(url).origin, new URL(url).hash.replace('#token=', ''), method, payload);
  const staff = await context.newPage();
  await staff.goto(first.staffUrl);
  await signIn(staff, demoOperator);
  await expect(staff.getByTestId('roster-status')).toContainText('名单 40 人');
  const kiosk = await context.newPage();
  await kiosk.goto(first.kioskUrl);

  await staff.getByLabel('身份证号', { exact: true }).fill(LIN);
  await staff.getByLabel('身份证号', { exact: true }).press('Enter');
  await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-view', 'verify-info');
  await kiosk.getByRole('button', { name: '信息无误' }).click();
  await staff.getByTestId('identity-pass').click();
  await expect(staff.getByTestId('step-collect')).toBeVisible();
  for (const [slot, fingerId] of [
    [0, 'lin-right-index'],
    [1, 'lin-left-index'],
  ] as const) {
    await call(first.staffUrl, 'simulator.fingerprint', { action: 'place', fingerId, quality: 0.9 });
    const panel = staff.getByTestId(`fingerprint-slot-${slot}`);
    await panel.getByTestId('fingerprint-capture').click();
    await expect(panel).toHaveAttribute('data-status', 'captured');
    await panel.getByTestId('fingerprint-confirm').click();
    await expect(panel).toHaveAttribute('data-status', 'confirmed');
  }
  // Each finished part is on disk before anything else happens.
  await expect.poll(() => draftParts(staff)).toEqual(['decisions', 'eligibility', 'fingerprints', 'flow']);

  // The crash: the host dies without a goodbye, then comes back on the same folder and port.
  first.child.kill('SIGKILL');
  await new Promise((resolve) => first.child.once('exit', resolve));
  const second = await startHost(config, { dir: first.dir, port });
  try {
    // Same origin, new token: only the hash differs, so goto alone would not reload the page.
    await staff.goto(second.staffUrl);
    await staff.reload();
    await signIn(staff, demoOperator);
    await kiosk.goto(second.kioskUrl);
    await kiosk.reload();
    const offer = staff.getByTestId('resume-offer');
    await expect(offer).toContainText('林晓雨');
    await expect(offer).toContainText('信息采集');
    // No new candidate while the offer stands.
    await expect(staff.getByLabel('身份证号', { exact: true })).toHaveCount(0);
    await staff.getByTestId('resume-continue').click();
    await expect(offer).toHaveCount(0);
    await expect(staff.getByTestId('step-collect')).toBeVisible();
    await expect(staff.getByTestId('fingerprint-slot-0')).toHaveAttribute('data-status', 'confirmed');
    await expect(staff.getByTestId('fingerprint-slot-1')).toHaveAttribute('data-status', 'confirmed');
    // The kiosk is shown the candidate's step again.
    await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-view', 'verify-info');
    await expect(kiosk.getByTestId('kiosk')).toContainText('林晓雨');

    await staff.getByTestId('collect-continue').click();
    await passEligibilityAndSign(staff, kiosk);
    const records = await readSealedRecords(staff, await stationDataKey((m, p) => call(second.staffUrl, m, p)));
    expect(records.filter((r) => (r.content['candidate'] as { citizenId: string }).citizenId === LIN)).toHaveLength(1);
    const fingerprints = records[0]!.content['fingerprints'] as { finger: number; status: string }[];
    expect(fingerprints.map((f) => [f.finger, f.status])).toEqual([
      [2, 'captured'],
      [7, 'captured'],
    ]);
    expect(await draftParts(staff)).toEqual([]);

    // Another reload: nothing left to resume.
    await staff.reload();
    await signIn(staff, demoOperator);
    await expect(staff.getByLabel('身份证号', { exact: true })).toBeVisible();
    await expect(staff.getByTestId('resume-offer')).toHaveCount(0);
  } finally {
    second.child.kill('SIGTERM');
  }
});
