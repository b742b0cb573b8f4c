import type { Page } from '@playwright/test';
import { expect, stationTest } from './fixtures/station.js';
import { readSealedRecords, stationDataKey } from '../support/sealed-records.js';
import { passEligibilityAndSign } from './fixtures/desk.js';

const LIN = '410105200203140223'; // 林晓雨, pending, in assets/roster/sample-roster.json
const CHEN = '410702200301050110'; // 陈思远, pending

/**
 * Its own host: the face check and standard photo need a camera this Chromium does not have, and are not
 * what these tests are about.
 */
const test = stationTest({
  policy: { rosterMaxAgeHours: 24 * 30, faceCheck: 'off', standardPhoto: 'off', fingerprints: 'required' },
  // A stricter threshold than the default 40, from the station config through station.info.
  fingerprintScanner: { qualityThreshold: 60 },
});

const ok = { ok: true, value: { ok: true } };

async function toCollectStep(staff: Page, kiosk: Page): Promise<void> {
  await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-view', 'verify-info');
  await kiosk.getByRole('button', { name: '信息无误' }).click();
  await staff.getByTestId('identity-pass').click();
  await expect(staff.getByTestId('step-collect')).toBeVisible();
  await expect(staff.getByTestId('collect-continue')).toBeDisabled();
}

/** 资格审核 → kiosk signature → save; returns the saved records' content from the staff window's database. */
async function finishAndReadRecords(staff: Page, kiosk: Page, staffCall: (method: string, payload: unknown) => Promise<unknown>): Promise<Record<string, unknown>[]> {
  await staff.getByTestId('collect-continue').click();
  await passEligibilityAndSign(staff, kiosk);
  // Records are sealed at rest (schema 5): opened with the station's data key.
  return (await readSealedRecords(staff, await stationDataKey(staffCall))).map((record) => record.content);
}

type Fingerprints = { finger: number; status: string; quality?: number; attempts: number; reason?: string; approvalId?: string }[];

test('two fingers: a low-quality capture is retaken, the same finger twice is refused, the record keeps both', async ({ station, staff, kiosk }) => {
  test.setTimeout(90_000);
  await staff.getByLabel('身份证号', { exact: true }).fill(LIN);
  await staff.getByLabel('身份证号', { exact: true }).press('Enter');
  await toCollectStep(staff, kiosk);
  const right = staff.getByTestId('fingerprint-slot-0');
  const left = staff.getByTestId('fingerprint-slot-1');
  await expect(right).toHaveAttribute('data-finger', '2');
  await expect(left).toHaveAttribute('data-finger', '7');
  await expect(right).toContainText('右手食指');

  // A dry finger: every attempt stays below 60, the best is shown with a warning.
  expect(await station.staffCall('simulator.fingerprint', { action: 'place', fingerId: 'lin-right-index', quality: 0.3 })).toEqual(ok);
  await right.getByTestId('fingerprint-capture').click();
  await expect(right).toHaveAttribute('data-status', 'captured');
  await expect(right.getByTestId('fingerprint-message')).toContainText('多次采集仍未达到质量要求');
  const low = Number(await right.getByTestId('fingerprint-quality').getAttribute('data-quality'));
  expect(low).toBeLessThan(60);
  await expect(right.getByTestId('fingerprint-image')).toBeVisible();

  // Wiped and pressed again: the retake is good.
  await station.staffCall('simulator.fingerprint', { action: 'place', fingerId: 'lin-right-index', quality: 0.9 });
  await right.getByTestId('fingerprint-capture').click();
  await expect(right.getByTestId('fingerprint-message')).toHaveCount(0);
  await expect.poll(async () => Number(await right.getByTestId('fingerprint-quality').getAttribute('data-quality'))).toBeGreaterThanOrEqual(60);
  await right.getByTestId('fingerprint-confirm').click();
  await expect(right).toHaveAttribute('data-status', 'confirmed');

  // The candidate presents the right index again for the left: refused.
  await left.getByTestId('fingerprint-capture').click();
  await expect(left.getByTestId('fingerprint-message')).toHaveText('两次采集的似乎是同一根手指，请按要求换另一根手指重新采集。');
  await expect(left).toHaveAttribute('data-status', 'pending');
  await expect(staff.getByTestId('collect-continue')).toBeDisabled();

  await station.staffCall('simulator.fingerprint', { action: 'place', fingerId: 'lin-left-index', quality: 0.85 });
  await left.getByTestId('fingerprint-capture').click();
  await expect(left).toHaveAttribute('data-status', 'captured');
  await left.getByTestId('fingerprint-confirm').click();
  await expect(staff.getByTestId('collect-continue')).toBeEnabled();

  const records = await finishAndReadRecords(staff, kiosk, station.staffCall);
  const record = records.find((r) => (r['candidate'] as { citizenId: string }).citizenId === LIN)!;
  const fingerprints = record['fingerprints'] as Fingerprints;
  expect(fingerprints).toHaveLength(2);
  expect(fingerprints[0]).toMatchObject({ finger: 2, status: 'captured', attempts: 4 });
  expect(fingerprints[0]!.quality).toBeGreaterThanOrEqual(60);
  expect(fingerprints[1]).toMatchObject({ finger: 7, status: 'captured' });
  expect(fingerprints[1]!.attempts).toBeGreaterThanOrEqual(2);
  // Typed number: nothing is said about a chip.
  expect(record).not.toHaveProperty('chipFingerprint');
  const roles = (record['blobs'] as { role: string }[]).map((b) => b.role);
  expect(roles).toEqual(expect.arrayContaining(['fingerprint-image-2', 'fingerprint-template-2', 'fingerprint-image-7', 'fingerprint-template-7', 'signature']));
});

test('an injured finger is excused by a supervisor; the chip fingerprint is kept', async ({ station, staff, kiosk }) => {
  test.setTimeout(90_000);
  // Identified by the (simulated) card reader: the synthetic card carries fingerprint data.
  await station.staffCall('simulator.idcard', { action: 'remove' });
  expect(await station.staffCall('simulator.idcard', { action: 'place', citizenId: CHEN })).toEqual(ok);
  await toCollectStep(staff, kiosk);
  await expect(staff.getByTestId('fingerprint-chip')).toBeVisible();

  const right = staff.getByTestId('fingerprint-slot-0');
  const left = staff.getByTestId('fingerprint-slot-1');
  await station.staffCall('simulator.fingerprint', { action: 'place', fingerId: 'chen-right-index', quality: 0.9 });
  await right.getByTestId('fingerprint-capture').click();
  await expect(right).toHaveAttribute('data-status', 'captured');
  await right.getByTestId('fingerprint-confirm').click();

  // The left index is bandaged: the supervisor approves marking it unavailable.
  await left.getByTestId('fingerprint-unavailable').click();
  const dialog = staff.getByTestId('approval-dialog');
  await expect(dialog).toContainText('指纹采集例外');
  await dialog.getByLabel('授权密码').fill('000000');
  await dialog.locator('select[name=reason]').selectOption('手指受伤');
  await dialog.getByRole('button', { name: '授权' }).click();
  await expect(dialog.getByTestId('approval-error')).toBeVisible();
  await dialog.getByLabel('授权密码').fill('123456');
  await dialog.getByRole('button', { name: '授权' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(left).toHaveAttribute('data-status', 'unavailable');
  await expect(left.getByTestId('fingerprint-approval')).toContainText('演示主管');

  const records = await finishAndReadRecords(staff, kiosk, station.staffCall);
  const record = records.find((r) => (r['candidate'] as { citizenId: string }).citizenId === CHEN)!;
  const fingerprints = record['fingerprints'] as Fingerprints;
  expect(fingerprints).toEqual([
    { finger: 2, status: 'captured', quality: expect.any(Number), attempts: 1 },
    { finger: 7, status: 'unavailable', attempts: 0, reason: '手指受伤', approvalId: expect.any(String) },
  ]);
  const approvals = record['approvals'] as { approvalId: string; action: string; supervisorId: string }[];
  expect(approvals).toContainEqual(expect.objectContaining({ approvalId: fingerprints[1]!.approvalId, action: 'fingerprint-exception', supervisorId: 'demo' }));
  expect(record['chipFingerprint']).toBe(true);
  expect((record['blobs'] as { role: string }[]).map((b) => b.role)).toContain('chip-fingerprint');
});
