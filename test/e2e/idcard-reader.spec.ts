import { expect, test } from './fixtures/station.js';

const LIN = '410105200203140223'; // 林晓雨, synthetic sample roster
const CHEN = '410702200301050110'; // 陈思远, synthetic sample roster, no roster photo
const NOT_IN_ROSTER = '11010519491231002X';

test.beforeEach(async ({ station }) => {
  // Each test starts with a plugged-in, empty simulated reader.
  await station.staffCall('simulator.idcard', { action: 'replug' });
  await station.staffCall('simulator.idcard', { action: 'remove' });
});

test('placing a card on the simulated reader brings the candidate onto both screens', async ({ staff, kiosk, station }) => {
  const reader = staff.getByTestId('device-idcard-reader');
  await expect(reader).toHaveAttribute('data-state', 'ready');
  await expect(station.staffCall('simulator.idcard', { action: 'place', citizenId: LIN })).resolves.toEqual({ ok: true, value: { ok: true } });

  const card = staff.getByTestId('candidate-card');
  await expect(card.locator('[data-field=name] dd')).toHaveText('林晓雨');
  await expect(card.locator('[data-field=citizenId] dd')).toHaveText(LIN);
  const chip = staff.getByTestId('chip-card');
  await expect(chip.locator('[data-field=cardType] dd')).toHaveText('居民身份证');
  await expect(chip.locator('[data-field=nation] dd')).toHaveText('汉');
  await expect(chip.getByTestId('chip-photo-note')).toHaveText('芯片照片需厂商解码库，已使用报名照片比对。');
  await expect(staff.locator('[aria-current=step]')).toContainText('身份核验');
  await expect(kiosk.getByTestId('kiosk-verify').locator('[data-field=name] dd')).toHaveText('林晓雨');
  await expect(kiosk.getByTestId('kiosk-verify').locator('[data-field=citizenId] dd')).toHaveText('410105********0223');

  // The card lies on the reader: it is not read again, the candidate stays.
  await staff.waitForTimeout(1000);
  await expect(staff.getByTestId('reader-notice')).toHaveCount(0);
  await expect(card).toBeVisible();

  // Next candidate: remove, F2, place another card.
  await station.staffCall('simulator.idcard', { action: 'remove' });
  await staff.keyboard.press('F2');
  await station.staffCall('simulator.idcard', { action: 'place', citizenId: CHEN });
  await expect(card.locator('[data-field=name] dd')).toHaveText('陈思远');
  await expect(kiosk.getByTestId('kiosk-verify').locator('[data-field=name] dd')).toHaveText('陈思远');
});

test('a card for someone not registered here, and other document types', async ({ staff, station }) => {
  await station.staffCall('simulator.idcard', { action: 'place', citizenId: NOT_IN_ROSTER });
  await expect(staff.getByTestId('not-found')).toContainText('读卡成功，但本确认点名单中没有此证件号码');
  await expect(staff.getByLabel('身份证号', { exact: true })).toHaveValue(NOT_IN_ROSTER);
  await station.staffCall('simulator.idcard', { action: 'remove' });
  await station.staffCall('simulator.idcard', { action: 'place-fixture', fixture: 'hmt-residence' });
  await expect(staff.getByLabel('身份证号', { exact: true })).toHaveValue(/^810000/);
  await expect(staff.getByTestId('not-found')).toBeVisible();
});

test('a read that fails says what to do in Chinese', async ({ staff, station }) => {
  await station.staffCall('simulator.idcard', { action: 'fault', fault: 'removed-mid-read' });
  await station.staffCall('simulator.idcard', { action: 'place', citizenId: LIN });
  await expect(staff.getByTestId('reader-notice')).toHaveText('读卡失败（证件可能被移动），请将证件移开后重新放置并保持不动。');
  await expect(staff.getByTestId('flow-stepper')).toHaveAttribute('data-step', 'identify');
  // Placing it again works.
  await station.staffCall('simulator.idcard', { action: 'place', citizenId: LIN });
  await expect(staff.getByTestId('candidate-card')).toBeVisible();
  await expect(staff.getByTestId('reader-notice')).toHaveCount(0);
});

test('unplugging the reader shows it as disconnected; plugging it back in recovers without a restart', async ({ staff, kiosk, station }) => {
  const reader = staff.getByTestId('device-idcard-reader');
  await expect(reader).toHaveAttribute('data-state', 'ready');
  await station.staffCall('simulator.idcard', { action: 'unplug' });
  await expect(reader).toHaveAttribute('data-state', 'disconnected');
  await expect(reader.locator('.device__state')).toHaveText('未连接');
  await expect(reader).toHaveAttribute('title', '未检测到身份证阅读器，请检查USB连接；插好后会自动识别。');
  // A card placed while unplugged is not seen.
  await station.staffCall('simulator.idcard', { action: 'place', citizenId: LIN });
  await staff.waitForTimeout(700);
  await expect(staff.getByTestId('flow-stepper')).toHaveAttribute('data-step', 'identify');

  await station.staffCall('simulator.idcard', { action: 'replug' });
  await expect(reader).toHaveAttribute('data-state', 'ready');
  await expect(staff.getByTestId('candidate-card').locator('[data-field=name] dd')).toHaveText('林晓雨');
  await expect(kiosk.getByTestId('kiosk-verify')).toBeVisible();
});
