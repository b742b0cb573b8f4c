import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, skipWithoutElectron, test } from './fixtures.js';
import { signWithMouse } from '../support/kiosk-signature.js';
import { demoSupervisor, signIn } from '../e2e/fixtures/desk.js';
import { readSealedRecords, stationDataKey } from '../support/sealed-records.js';

skipWithoutElectron();

const LIN = '410105200203140223'; // 林晓雨, pending, in assets/roster/sample-roster.json

/** The print dialog would wait for a person; it is counted instead (the PDF copy is what these tests read). */
async function stubPrintDialog(staff: Page): Promise<void> {
  await staff.evaluate(() => {
    const w = window as unknown as { print: () => void; __printed?: number };
    w.__printed = 0;
    w.print = () => {
      w.__printed = (w.__printed ?? 0) + 1;
    };
  });
}
const printDialogsOpened = (staff: Page) => staff.evaluate(() => (window as unknown as { __printed?: number }).__printed);

test('a simulated card to a saved record with the kiosk signature, and the receipt printed to PDF', async ({ station }) => {
  const { staff, kiosk, staffCall, dataDir } = station;
  // The simulated reader answers the real byte protocol through the host's reader session.
  await expect(staffCall('simulator.idcard', { action: 'place', citizenId: LIN })).resolves.toEqual({ ok: true, value: { ok: true } });
  await expect(staff.getByTestId('candidate-card').locator('[data-field=name] dd')).toHaveText('林晓雨');
  await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-view', 'verify-info');
  await expect(kiosk.getByTestId('kiosk-verify').locator('[data-field=citizenId] dd')).toHaveText('410105********0223');
  await kiosk.getByRole('button', { name: '信息无误' }).click();
  await staff.getByTestId('identity-pass').click();
  const eligibility = staff.getByTestId('step-eligibility');
  await expect(eligibility).toBeVisible();
  for (const item of await eligibility.locator('li').all()) await item.getByRole('button', { name: '已核验', exact: true }).click();
  await staff.getByTestId('eligibility-pass').click();

  // The candidate signs on the kiosk window.
  await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-view', 'pledge');
  await signWithMouse(kiosk);
  await kiosk.getByRole('button', { name: '确认签名' }).click();
  await expect(kiosk.getByTestId('kiosk-done')).toContainText('签名已提交');
  await staff.getByTestId('save-confirmation').click();
  const done = staff.getByTestId('step-done');
  await expect(done).toHaveAttribute('data-outcome', 'confirmed');
  const recordId = (await done.getAttribute('data-record'))!;

  // The record, its signature blob and its outbox entry are in the staff window's database.
  const saved = await staff.evaluate(
    () =>
      new Promise<{ blobs: number; outbox: number }>((resolve, reject) => {
        const open = indexedDB.open('xianchang-station');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['blobs', 'outbox'], 'readonly');
          const blobs = tx.objectStore('blobs').count();
          const outbox = tx.objectStore('outbox').count();
          tx.oncomplete = () => {
            db.close();
            resolve({ blobs: blobs.result, outbox: outbox.result });
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  // Sealed at rest (schema 5): opened with the station's data key.
  const [record] = await readSealedRecords(staff, await stationDataKey(staffCall), [recordId]);
  expect(record).toMatchObject({ id: recordId, content: { outcome: 'confirmed' } });
  expect(saved.outbox).toBeGreaterThanOrEqual(1);
  // At least the signature, stored through the blob vault.
  expect(saved.blobs).toBeGreaterThanOrEqual(1);
  // The kiosk's in-memory session holds no database of its own.
  expect(await kiosk.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).toEqual([]);

  // 打印回执: the PDF copy through webContents.printToPDF, then the print dialog (stubbed: no printer here).
  await stubPrintDialog(staff);
  await staff.getByTestId('print-receipt').click();
  await expect.poll(() => printDialogsOpened(staff)).toBe(1);
  const receipts = path.join(dataDir, 'receipts');
  const fileName = `receipt-${recordId}.pdf`;
  await expect.poll(async () => (await readdir(receipts).catch((): string[] => [])).includes(fileName)).toBe(true);
  const pdf = await readFile(path.join(receipts, fileName));
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  // One page (the receipt's page setup prints page 1 only).
  expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length).toBe(1);

  // And the same call straight through the bridge answers with the file's name and size.
  const reply = (await staffCall('print.toPdf', { document: 'receipt', recordId })) as { ok: boolean; value?: { fileName: string; bytes: number } };
  expect(reply).toMatchObject({ ok: true, value: { fileName } });
  expect(reply.value!.bytes).toBeGreaterThan(1000);
});

test('打印日报: the day report printed to PDF through webContents.printToPDF, A4, every page, before the print dialog', async ({ station }) => {
  const { staff, staffCall, dataDir } = station;
  // A day report is a supervisor's: refused at the bridge for nobody signed in is covered in the unit tests.
  await staff.getByTestId('sign-out').click();
  await signIn(staff, demoSupervisor);
  await stubPrintDialog(staff);
  await staff.getByTestId('screen-switch').click();
  await staff.getByTestId('desk-tab-export').click();
  const day = await staff.getByTestId('export-day').inputValue();
  await staff.getByTestId('print-day-report').click();
  const fileName = `day-report-${day}.pdf`;
  await expect(staff.getByTestId('print-day-report-result')).toContainText(fileName);
  await expect.poll(() => printDialogsOpened(staff)).toBe(1);
  const pdf = await readFile(path.join(dataDir, 'receipts', fileName));
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  // A4 in points (595 × 842), from the printer's page setup or the sheet's @page.
  expect(pdf.toString('latin1')).toMatch(/\/MediaBox\s*\[\s*0 0 59[45](?:\.\d+)? 84[12](?:\.\d+)?\s*\]/);
  const reply = (await staffCall('print.toPdf', { document: 'day-report', day })) as { ok: boolean; value?: { fileName: string; bytes: number } };
  expect(reply).toMatchObject({ ok: true, value: { fileName } });
});
