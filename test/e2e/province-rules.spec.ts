import { expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { signWithMouse } from '../support/kiosk-signature.js';
import type { CentralServer } from './fixtures/central-server.js';
import { centralStationTest, enrollThroughDialog } from './fixtures/central-station.js';
import { demoOperator, signIn } from './fixtures/desk.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
type Entry = { citizenId: string; name: string; status: string; candidateType: string };
const sample = JSON.parse(readFileSync(path.join(root, 'assets/roster/sample-roster.json'), 'utf8')) as { pointCode: string; pointName: string; entries: Entry[] };
type Bundle = {
  version: string;
  province: string;
  pledge: { minReadSeconds: number; requireScrollToEnd: boolean };
  switchableSteps: string[];
  rosterMaxAgeHours: number;
  candidateTypes: { id: string; label: string; rosterTypes: string[]; materials: { id: string; label: string; required: boolean }[] }[];
};
const bundleOf = (name: string) => JSON.parse(readFileSync(path.join(root, 'server/sample-data/rules', `${name}.json`), 'utf8')) as Bundle;

/**
 * The sample bundles as shipped (types, papers, pledge and its reading gate), published under a test version that
 * lets this point switch every step off (the test station has no camera for the face check and standard photo)
 * and accepts the sample roster's age (its rows are dated days back; the province limit would pause the desk).
 */
function forThisStation(bundle: Bundle): Bundle {
  return { ...bundle, version: `${bundle.version}-e2e`, switchableSteps: ['faceCheck', 'standardPhoto', 'fingerprints'], rosterMaxAgeHours: 24 * 30 };
}

const test = centralStationTest;
test.describe.configure({ mode: 'parallel', timeout: 180_000 });

/** Point, roster, the province bundle; the station enrolled through its dialog; roster and rules downloaded. */
async function enrolledDesk(central: CentralServer, station: { staffUrl: string; kioskUrl: string }, page: () => Promise<Page>, bundle: Bundle) {
  await central.admin('POST', '/api/v1/admin/points', { code: sample.pointCode, name: sample.pointName });
  await central.admin('POST', `/api/v1/admin/points/${sample.pointCode}/roster`, sample.entries);
  await central.admin('POST', `/api/v1/admin/points/${sample.pointCode}/rules`, bundle);
  const { code } = (await central.admin('POST', `/api/v1/admin/points/${sample.pointCode}/enrollment-codes`, {})) as { code: string };
  const staff = await page();
  await staff.goto(station.staffUrl);
  await signIn(staff, demoOperator);
  const kiosk = await page();
  // The pledge's reading time passes on the kiosk's clock, which the test moves on instead of waiting.
  await kiosk.clock.install();
  await kiosk.goto(station.kioskUrl);
  await enrollThroughDialog(staff, { url: central.url, pointCode: sample.pointCode, pointName: sample.pointName, code });
  await expect(staff.getByTestId('roster-status')).toContainText(`名单 ${sample.entries.length} 人`, { timeout: 20_000 });
  await expect(staff.getByTestId('rules-line')).toHaveAttribute('data-version', bundle.version, { timeout: 20_000 });
  await expect(staff.getByTestId('rules-line')).toContainText(bundle.province);
  return { staff, kiosk };
}

async function identify(staff: Page, kiosk: Page, citizenId: string) {
  await staff.getByLabel('身份证号', { exact: true }).fill(citizenId);
  await staff.getByLabel('身份证号', { exact: true }).press('Enter');
  await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-view', 'verify-info');
  await kiosk.getByRole('button', { name: '信息无误' }).click();
  await staff.getByTestId('identity-pass').click();
}

/** 资格审核 under the bundle's type: the province's own papers are listed; staff mark each one. */
async function checkPapers(staff: Page, type: Bundle['candidateTypes'][number], choose: boolean, status: (id: string) => 'verified' | 'missing' = () => 'verified') {
  const step = staff.getByTestId('step-eligibility');
  await expect(step).toBeVisible();
  if (choose) await staff.getByTestId(`eligibility-type-${type.id}`).click();
  await expect(staff.getByTestId('eligibility-type')).toContainText(type.label);
  await expect(step.locator('li')).toHaveCount(type.materials.length);
  for (const material of type.materials) {
    const item = staff.getByTestId(`material-${material.id}`);
    await expect(item).toContainText(material.label);
    await item.getByTestId(`material-${material.id}-${status(material.id)}`).click();
  }
}

/** The pledge at the kiosk: the pad stays locked until the text was read for its time and scrolled to its end. */
async function signPledge(staff: Page, kiosk: Page, pledge: Bundle['pledge']) {
  await staff.getByTestId('eligibility-pass').click();
  const card = kiosk.getByTestId('kiosk-pledge');
  await expect(card).toHaveAttribute('data-locked', 'true');
  await kiosk.getByTestId('kiosk-pledge-text').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(card).toHaveAttribute('data-locked', 'true');
  await kiosk.clock.fastForward(pledge.minReadSeconds * 1000 + 1000);
  await expect(card).toHaveAttribute('data-locked', 'false');
  await signWithMouse(kiosk);
  await kiosk.getByRole('button', { name: '确认签名' }).click();
  await expect(kiosk.getByTestId('kiosk-done')).toContainText('签名已提交');
  await staff.getByTestId('save-confirmation').click();
  await expect(staff.getByTestId('step-done')).toHaveAttribute('data-outcome', 'confirmed');
  return staff.getByTestId('step-done').getAttribute('data-record');
}

type ServerRecord = { id: string; content: Record<string, unknown>; signatureValid: boolean; unknownRules: boolean };
async function serverRecords(central: CentralServer): Promise<ServerRecord[]> {
  const list = (await central.admin('GET', `/api/v1/admin/confirmations?point=${sample.pointCode}`)) as { confirmations: ServerRecord[] };
  return list.confirmations;
}

async function syncAll(staff: Page) {
  await staff.getByTestId('sync-now').click();
  await expect(staff.getByTestId('pending-count')).toHaveAttribute('data-count', '0', { timeout: 30_000 });
}

/** One pending candidate of the roster per bundle type; a national category several types share gives each its own. */
function candidatesFor(bundle: Bundle): { type: Bundle['candidateTypes'][number]; entry: Entry; choose: boolean }[] {
  const used = new Set<string>();
  return bundle.candidateTypes.map((type) => {
    const entry = sample.entries.find((e) => e.status === 'pending' && type.rosterTypes.includes(e.candidateType) && !used.has(e.citizenId));
    if (!entry) throw new Error(`the sample roster has no pending candidate for ${type.id}`);
    used.add(entry.citizenId);
    const sharing = bundle.candidateTypes.filter((other) => other.rosterTypes.includes(entry.candidateType));
    return { type, entry, choose: sharing.length > 1 };
  });
}

for (const name of ['nm-zsb-2027', 'hn-zsb-2027']) {
  const title = `${name}: every candidate type of the province, its papers and pledge, signed with the mouse; records stamped and verified on the server`;
  test(name === 'nm-zsb-2027' ? `${title}; then 待补材料 and the return visit` : title, async ({ central, station, context }) => {
    const bundle = forThisStation(bundleOf(name));
    const { staff, kiosk } = await enrolledDesk(central, station, () => context.newPage(), bundle);
    const done = new Map<string, string>();
    for (const { type, entry, choose } of candidatesFor(bundle)) {
      await identify(staff, kiosk, entry.citizenId);
      await checkPapers(staff, type, choose);
      done.set((await signPledge(staff, kiosk, bundle.pledge))!, type.id);
      await staff.getByRole('button', { name: '办理下一位' }).first().click();
      await expect(staff.getByLabel('身份证号', { exact: true })).toBeVisible();
    }
    await syncAll(staff);
    const records = await serverRecords(central);
    expect(records).toHaveLength(bundle.candidateTypes.length);
    for (const record of records) {
      const eligibility = record.content['eligibility'] as { rulesType: string; decision: { kind: string }; items: { id: string; status: string }[] };
      expect(record).toMatchObject({ signatureValid: true, unknownRules: false, content: { rulesVersion: bundle.version, outcome: 'confirmed' } });
      expect(eligibility.rulesType).toBe(done.get(record.id));
      expect(eligibility.decision).toEqual({ kind: 'pass' });
      const type = bundle.candidateTypes.find((t) => t.id === eligibility.rulesType)!;
      expect(eligibility.items.map((i) => i.id)).toEqual(type.materials.map((m) => m.id));
    }
    // One province is enough for the return visit (its setup is the same station's).
    if (name === 'nm-zsb-2027') {
      await pendingAndReturn(central, staff, kiosk, bundle, new Set(candidatesFor(bundle).map((c) => c.entry.citizenId)));
    }
  });
}

/**
 * 待补材料: a paper is missing, the record is saved and synced; the candidate returns, the open record is completed as
 * a linked second version; both on the server. `taken`: candidates already confirmed in this test.
 */
async function pendingAndReturn(central: CentralServer, staff: Page, kiosk: Page, bundle: Bundle, taken: ReadonlySet<string>) {
  const type = bundle.candidateTypes.find((t) => t.id === 'special-plan')!;
  const entry = sample.entries.find((e) => e.status === 'pending' && e.candidateType === 'special-plan' && !taken.has(e.citizenId))!;
  const missing = type.materials.find((m) => m.id === 'poverty-proof')!;

  await identify(staff, kiosk, entry.citizenId);
  await checkPapers(staff, type, false, (id) => (id === missing.id ? 'missing' : 'verified'));
  await expect(staff.getByTestId('eligibility-pass')).toBeDisabled();
  await staff.getByTestId(`material-${missing.id}-note`).fill('县乡村振兴局证明未带');
  await staff.getByTestId('eligibility-decide-pending').click();
  await expect(staff.getByTestId('pending-missing')).toContainText(missing.label);
  await staff.getByTestId('eligibility-save-pending').click();
  await expect(staff.getByTestId('step-done')).toHaveAttribute('data-outcome', 'pending-materials');
  await expect(kiosk.getByTestId('kiosk-done')).toContainText('材料尚未齐全');
  const first = await staff.getByTestId('step-done').getAttribute('data-record');
  await syncAll(staff);

  // The afternoon: the candidate is back with the paper.
  await staff.getByRole('button', { name: '办理下一位' }).first().click();
  await staff.getByLabel('身份证号', { exact: true }).fill(entry.citizenId);
  await staff.getByLabel('身份证号', { exact: true }).press('Enter');
  await expect(staff.getByTestId('prior-visit')).toHaveAttribute('data-kind', 'open-pending');
  await expect(staff.getByTestId('prior-visit')).toContainText(missing.label);
  await kiosk.getByRole('button', { name: '信息无误' }).click();
  await staff.getByTestId('identity-pass').click();
  // What was judged the first time is there; only the missing paper is judged again.
  await expect(staff.getByTestId(`material-${missing.id}`)).toHaveClass(/materials__item--missing/);
  await expect(staff.getByTestId(`material-${type.materials[0]!.id}`)).toHaveClass(/materials__item--verified/);
  await staff.getByTestId(`material-${missing.id}-verified`).click();
  const second = await signPledge(staff, kiosk, bundle.pledge);
  await syncAll(staff);

  const records = (await serverRecords(central)).filter((r) => (r.content['candidate'] as { citizenId: string }).citizenId === entry.citizenId);
  expect(records.map((r) => r.id).sort()).toEqual([first, second].sort());
  const open = records.find((r) => r.id === first)!;
  const completed = records.find((r) => r.id === second)!;
  expect(open.content).toMatchObject({ outcome: 'pending-materials', eligibility: { decision: { kind: 'pending', missing: [missing.id] } } });
  expect(completed.content).toMatchObject({ outcome: 'confirmed', follows: { recordId: first, kind: 'materials-completed' } });
  expect(records.every((r) => r.signatureValid)).toBe(true);
}
