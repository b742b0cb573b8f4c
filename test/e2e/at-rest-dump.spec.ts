import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, stationTest } from './fixtures/station.js';
import { readSealedRecords, stationDataKey } from '../support/sealed-records.js';
import { passEligibilityAndSign } from './fixtures/desk.js';

/**
 * Data at rest (issue 12): after a day of confirmations in the real staff window, a dump of every object
 * store of every IndexedDB database of the staff origin holds no citizen number, name or image in plain form.
 * Fingerprints are required here, so the records carry PNG fingerprint images and templates besides the
 * SVG signature; the bundled roster's photos are SVG data URLs.
 */
const test = stationTest({ policy: { rosterMaxAgeHours: 24 * 30, faceCheck: 'off', standardPhoto: 'off', fingerprints: 'required' } });

const root = fileURLToPath(new URL('../..', import.meta.url));
const roster = JSON.parse(readFileSync(path.join(root, 'assets/roster/sample-roster.json'), 'utf8')) as {
  entries: { citizenId: string; name: string; registrationNo: string; status: string }[];
};
const day = roster.entries.filter((entry) => entry.status === 'pending').slice(0, 3);

async function confirm(staff: Page, kiosk: Page, staffCall: (m: string, p: unknown) => Promise<unknown>, citizenId: string, n: number) {
  await staff.getByLabel('身份证号', { exact: true }).fill(citizenId);
  await staff.getByLabel('身份证号', { exact: true }).press('Enter');
  await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-view', 'verify-info');
  await kiosk.getByRole('button', { name: '信息无误' }).click();
  await staff.getByTestId('identity-pass').click();
  await expect(staff.getByTestId('step-collect')).toBeVisible();
  for (const [slot, finger] of [[0, 'right-index'], [1, 'left-index']] as const) {
    const panel = staff.getByTestId(`fingerprint-slot-${slot}`);
    expect(await staffCall('simulator.fingerprint', { action: 'place', fingerId: `dump-${n}-${finger}`, quality: 0.9 })).toEqual({ ok: true, value: { ok: true } });
    await panel.getByTestId('fingerprint-capture').click();
    await expect(panel).toHaveAttribute('data-status', 'captured', { timeout: 30_000 });
    await panel.getByTestId('fingerprint-confirm').click();
  }
  await staff.getByTestId('collect-continue').click();
  await passEligibilityAndSign(staff, kiosk);
  await staff.keyboard.press('F2');
  await expect(staff.getByLabel('身份证号', { exact: true })).toHaveValue('');
}

interface Dump {
  stores: string[];
  rows: number;
  strings: string[];
  /** Every byte array found anywhere in a value or key, as base64. */
  bytes: string[];
}

/** Every key and value of every object store of every database of the page's origin, walked in the page. */
function dumpIndexedDb(page: Page): Promise<Dump> {
  return page.evaluate(async () => {
    const request = <T,>(req: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    const out: Dump = { stores: [], rows: 0, strings: [], bytes: [] };
    const walk = (value: unknown): void => {
      if (typeof value === 'string') out.strings.push(value);
      else if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
        const view = value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
        let binary = '';
        for (const byte of view) binary += String.fromCharCode(byte);
        out.bytes.push(btoa(binary));
      } else if (Array.isArray(value)) value.forEach(walk);
      else if (value instanceof Blob) throw new Error('a Blob in IndexedDB: not covered by this dump');
      else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) walk([key, item]);
    };
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(info.name!);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const name of Array.from(db.objectStoreNames)) {
        out.stores.push(`${info.name}/${name}`);
        const store = db.transaction(name, 'readonly').objectStore(name);
        const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
        out.rows += values.length;
        walk(keys);
        walk(values);
      }
      db.close();
    }
    return out;
  });
}

const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

test('a dump of the staff window’s IndexedDB after a day of confirmations shows no personal data in plain form', async ({ station, staff, kiosk }) => {
  // Three whole confirmations with two fingerprints each.
  test.setTimeout(240_000);
  for (const [n, candidate] of day.entries()) await confirm(staff, kiosk, station.staffCall, candidate.citizenId, n);

  // The records are all there and whole, for whoever holds the data key.
  const records = await readSealedRecords(staff, await stationDataKey(station.staffCall));
  expect(records.map((r) => (r.content['candidate'] as { citizenId: string }).citizenId).sort()).toEqual(day.map((c) => c.citizenId).sort());
  for (const record of records) {
    expect((record.content['blobs'] as { role: string }[]).map((b) => b.role)).toEqual(expect.arrayContaining(['fingerprint-image-2', 'fingerprint-image-7', 'signature']));
  }
  // And the staff window still finds candidates by number.
  await staff.getByLabel('身份证号', { exact: true }).fill(day[0]!.citizenId);
  await staff.getByLabel('身份证号', { exact: true }).press('Enter');
  await expect(staff.getByTestId('candidate-card').locator('[data-field=name] dd')).toHaveText(day[0]!.name);

  const dump = await dumpIndexedDb(staff);
  expect(dump.stores).toEqual(expect.arrayContaining(['xianchang-station/sealedRoster', 'xianchang-station/sealedConfirmations', 'xianchang-station/blobs']));
  expect(dump.rows).toBeGreaterThan(roster.entries.length + 3 * 5);
  const text = dump.strings.join('\n');
  const bytes = dump.bytes.map((b64) => Buffer.from(b64, 'base64'));
  expect(bytes.length).toBeGreaterThan(0);
  // Checked in plain code and asserted once: an expect per value and byte array would take a minute here.
  const leaks: string[] = [];
  for (const entry of roster.entries) {
    for (const [what, value] of [['number', entry.citizenId], ['name', entry.name], ['registration no', entry.registrationNo]] as const) {
      if (text.includes(value)) leaks.push(`${what} in a string`);
    }
    if (dump.strings.includes(entry.citizenId.slice(-6))) leaks.push('last six as a value');
    const number = Buffer.from(entry.citizenId);
    const name = Buffer.from(entry.name);
    for (const b of bytes) if (b.includes(number) || b.includes(name)) leaks.push('number or name in bytes');
  }
  if (text.includes('data:image')) leaks.push('image data URL');
  if (text.includes('<svg')) leaks.push('SVG text');
  const svg = Buffer.from('<svg');
  for (const b of bytes) {
    if (b.subarray(0, 3).equals(JPEG)) leaks.push('JPEG bytes');
    if (b.includes(PNG)) leaks.push('PNG bytes');
    if (b.includes(svg)) leaks.push('SVG bytes');
  }
  expect(leaks).toEqual([]);
});
