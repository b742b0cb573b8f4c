import { expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { centralStationTest } from './fixtures/central-station.js';
import { confirmCandidate, demoOperator, signIn } from './fixtures/desk.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const sample = JSON.parse(readFileSync(path.join(root, 'assets/roster/sample-roster.json'), 'utf8')) as {
  pointCode: string;
  pointName: string;
  entries: { citizenId: string; name: string; status: string; candidateType: string }[];
};

const test = centralStationTest;

// The timeout covers the fixtures too: a central server and a station start before the test body runs.
test.describe.configure({ timeout: 150_000 });

test('enroll, download the roster with progress, confirm offline, come online, the record arrives on the server', async ({ central, station, context }) => {
  test.setTimeout(120_000);
  // The central side: a point named like the sample's, its roster (fictitious candidates), a one-time code.
  await central.admin('POST', '/api/v1/admin/points', { code: sample.pointCode, name: sample.pointName });
  const pending = sample.entries.filter((e) => e.status === 'pending');
  const imported = (await central.admin('POST', `/api/v1/admin/points/${sample.pointCode}/roster`, sample.entries)) as { inserted: number };
  expect(imported.inserted).toBe(sample.entries.length);
  const { code } = (await central.admin('POST', `/api/v1/admin/points/${sample.pointCode}/enrollment-codes`, {})) as { code: string };

  const staff = await context.newPage();
  await staff.goto(station.staffUrl);
  await signIn(staff, demoOperator);
  const kiosk = await context.newPage();
  await kiosk.goto(station.kioskUrl);
  await expect(staff.getByTestId('not-enrolled')).toBeVisible();

  // Enroll through the UI.
  // The panel settles once the engine runs and reports (the starting hint goes, the sync line comes): clicking
  // before that could hit the button while it moves.
  await expect(staff.getByTestId('sync-now')).toBeEnabled();
  await expect(staff.getByTestId('sync-line')).toBeVisible();
  await staff.getByTestId('enroll-open').click();
  const dialog = staff.getByTestId('enroll-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('中心服务器地址').fill(central.url);
  await dialog.getByLabel('确认点代码').fill(sample.pointCode);
  await dialog.getByLabel('注册码').fill(code);
  // Watch for the download's progress bar from before the download can start.
  const sawProgress = staff.getByTestId('roster-progress').waitFor({ state: 'attached', timeout: 20_000 });
  await dialog.getByRole('button', { name: '注册' }).click();
  await expect(staff.getByTestId('enrolled')).toContainText(sample.pointName);

  // The roster arrives from the server (progress shown while it downloads), replacing the bundled sample.
  await sawProgress;
  await expect(staff.getByTestId('roster-status')).not.toContainText('示例名单', { timeout: 20_000 });
  await expect(staff.getByTestId('roster-status')).toContainText(`名单 ${sample.entries.length} 人`);

  // The server goes away: the confirmation is saved locally and waits.
  await central.stop();
  const candidate = pending[0]!;
  await confirmCandidate(staff, kiosk, candidate.citizenId);
  await expect(staff.getByTestId('pending-count')).toHaveAttribute('data-count', '1');
  // The receipt is signed by the station key even offline; the server can verify it once the record arrives.
  const qr = await staff.getByTestId('receipt-qr').getAttribute('data-qr');
  expect(qr).toMatch(/^XCQR1\./);
  await staff.getByTestId('sync-now').click();
  await expect(staff.getByTestId('sync-error')).toContainText('无法连接中心服务器');
  await expect(staff.getByTestId('pending-count')).toHaveAttribute('data-count', '1');

  // Back online: 立即同步 sends it, and the server holds exactly this record.
  await central.start();
  await staff.getByTestId('sync-now').click();
  await expect(staff.getByTestId('pending-count')).toHaveAttribute('data-count', '0', { timeout: 20_000 });
  await expect(staff.getByTestId('sync-error')).toHaveCount(0);
  const listed = (await central.admin('GET', `/api/v1/admin/confirmations?point=${sample.pointCode}`)) as {
    confirmations: { citizenId: string; blobs: string[]; content: { outcome?: string; candidate?: { name?: string }; pledge?: unknown } }[];
  };
  expect(listed.confirmations).toHaveLength(1);
  const record = listed.confirmations[0]!;
  expect(record.citizenId).toBe(candidate.citizenId);
  expect(record.content.outcome).toBe('confirmed');
  expect(record.content.candidate?.name).toBe(candidate.name);
  expect(record.content.pledge).toBeTruthy();
  // The signature travelled as a blob, once, before its record.
  expect(record.blobs).toHaveLength(1);
  const verified = (await central.admin('POST', '/api/v1/receipts/verify', { qr })) as { status: string };
  expect(verified.status).toBe('verified');
});
