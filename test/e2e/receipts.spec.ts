import { expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { base64UrlDecode, base64UrlEncode } from '../../core/contract/receipt.js';
import { centralStationTest, enrollThroughDialog } from './fixtures/central-station.js';
import { confirmCandidate, demoOperator, signIn } from './fixtures/desk.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const sample = JSON.parse(readFileSync(path.join(root, 'assets/roster/sample-roster.json'), 'utf8')) as {
  pointCode: string;
  pointName: string;
  entries: { citizenId: string; name: string; status: string }[];
};

const test = centralStationTest;

const out = mkdtempSync(path.join(tmpdir(), 'receipt-pdf-'));

/**
 * The staff page printed as Chromium prints it (print media, the sheet's named @page), then the QR read back
 * from the PDF by Debian's zbarimg (zbar-tools): a decoder the project does not use to make QR codes.
 */
async function printedReceipt(staff: Page, name: string): Promise<{ qr: string; text: string; pageSizePt: [number, number] }> {
  const pdf = path.join(out, `${name}.pdf`);
  writeFileSync(pdf, await staff.pdf({ preferCSSPageSize: true, printBackground: false }));
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info);
  expect(info).toMatch(/Pages:\s+1\n/);
  execFileSync('pdftoppm', ['-r', '200', '-png', '-singlefile', pdf, path.join(out, name)]);
  const qr = execFileSync('zbarimg', ['--quiet', '--raw', '-Sdisable', '-Sqrcode.enable', path.join(out, `${name}.png`)], { encoding: 'utf8' }).trim();
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  return { qr, text, pageSizePt: [Number(size?.[1]), Number(size?.[2])] };
}

/** One changed byte of the signature, re-encoded: still a well-formed QR text. */
function withChangedByte(qr: string): string {
  const [prefix, payload, signature] = qr.split('.') as [string, string, string];
  const bytes = base64UrlDecode(signature)!;
  bytes[20] = bytes[20]! ^ 0x40;
  return `${prefix}.${payload}.${base64UrlEncode(bytes)}`;
}

async function checkOffline(staff: Page, qr: string): Promise<string | null> {
  const desk = staff.getByTestId('receipt-desk');
  await staff.getByTestId('receipt-check-input').fill(qr);
  // A scanner gun types the text and Enter.
  await staff.getByTestId('receipt-check-input').press('Enter');
  const result = desk.getByTestId('receipt-check-result');
  await expect(result).toBeVisible();
  await expect(staff.getByTestId('receipt-check-input')).toHaveValue('');
  return result.getAttribute('data-status');
}

// The timeout covers the fixtures too: a central server and a station start before the test body runs.
test.describe.configure({ timeout: 150_000 });

test('a confirmation’s receipt printed to PDF, its QR read by zbarimg and verified by the server and offline; altered ones refused; 补打回执', async ({ central, station, context }) => {
  test.setTimeout(150_000);
  await central.admin('POST', '/api/v1/admin/points', { code: sample.pointCode, name: sample.pointName });
  await central.admin('POST', `/api/v1/admin/points/${sample.pointCode}/roster`, sample.entries);
  const { code } = (await central.admin('POST', `/api/v1/admin/points/${sample.pointCode}/enrollment-codes`, {})) as { code: string };

  const staff = await context.newPage();
  // Headless Chromium would hold the page in a print job no one closes; the call is counted instead, and
  // page.pdf() below prints the page exactly as the print dialog would (print media, @page sizes).
  await staff.addInitScript(() => {
    window.print = () => {
      document.documentElement.dataset['prints'] = String(Number(document.documentElement.dataset['prints'] ?? '0') + 1);
    };
  });
  await staff.goto(station.staffUrl);
  await signIn(staff, demoOperator);
  const kiosk = await context.newPage();
  await kiosk.goto(station.kioskUrl);
  await enrollThroughDialog(staff, { url: central.url, pointCode: sample.pointCode, pointName: sample.pointName, code });
  await expect(staff.getByTestId('roster-status')).toContainText(`名单 ${sample.entries.length} 人`, { timeout: 20_000 });

  // One confirmation; 打印回执 on the 80 mm roll (the default paper).
  const candidate = sample.entries.find((e) => e.status === 'pending')!;
  await confirmCandidate(staff, kiosk, candidate.citizenId);
  const recordId = await staff.getByTestId('step-done').getAttribute('data-record');
  const shownQr = await staff.getByTestId('receipt-qr').getAttribute('data-qr');
  expect(shownQr).toMatch(/^XCQR1\./);
  await staff.getByTestId('print-receipt').click();
  await expect(staff.getByTestId('receipt-sheet')).toHaveAttribute('data-record', recordId!);
  await expect(staff.getByTestId('receipt-sheet')).toHaveAttribute('data-layout', 'roll80');
  await expect(staff.locator('html')).toHaveAttribute('data-prints', '1');
  const roll = await printedReceipt(staff, 'roll80');
  expect(roll.qr).toBe(shownQr);
  // 80 mm × 200 mm in points (1 pt = 1/72 in), the candidate masked, the decision and the point's name on paper.
  expect(roll.pageSizePt[0]).toBeCloseTo((80 / 25.4) * 72, 0);
  expect(roll.pageSizePt[1]).toBeCloseTo((200 / 25.4) * 72, 0);
  expect(roll.text).toContain(candidate.name);
  expect(roll.text).toContain(`${candidate.citizenId.slice(0, 6)}********${candidate.citizenId.slice(14)}`);
  expect(roll.text).not.toContain(candidate.citizenId);
  expect(roll.text).toContain('现场确认通过');
  expect(roll.text).toContain(sample.pointName);

  // The server: signature good, record not there yet; after sync, verified.
  const verify = (qr: string) => fetch(`${central.url}/api/v1/receipts/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ qr }) });
  expect(((await (await verify(roll.qr)).json()) as { status: string }).status).toMatch(/^(not-yet-received|verified)$/);
  await staff.getByTestId('sync-now').click();
  await expect(staff.getByTestId('pending-count')).toHaveAttribute('data-count', '0', { timeout: 20_000 });
  expect(((await (await verify(roll.qr)).json()) as { status: string }).status).toBe('verified');
  // One changed byte: the server refuses it.
  const altered = withChangedByte(roll.qr);
  expect(((await (await verify(altered)).json()) as { status: string }).status).toBe('bad-signature');
  // A receipt for this record with one changed field of its content (another content hash): the server's record disagrees.
  const signedForChanged = (await station.call('receipt.sign', { id: recordId, contentSha256: 'f'.repeat(64), savedAt: new Date().toISOString() })) as { ok: boolean; value: { qr: string } };
  expect(signedForChanged.ok).toBe(true);
  expect(((await (await verify(signedForChanged.value.qr)).json()) as { status: string }).status).toBe('mismatch');

  // Offline at the desk: the point's keys came with the enrollment; the server is gone.
  await central.stop();
  await staff.getByTestId('step-done').getByRole('button', { name: '办理下一位（F2）' }).click();
  await staff.getByTestId('receipt-desk').locator('summary').click();
  expect(await checkOffline(staff, `${roll.qr}\n`)).toBe('verified-signature');
  await expect(staff.getByTestId('receipt-check-result')).toContainText('回执签名有效');
  await expect(staff.getByTestId('receipt-check-result')).toContainText(recordId!);
  expect(await checkOffline(staff, altered)).toBe('bad-signature');
  await expect(staff.getByTestId('receipt-check-result')).toContainText('回执签名无效');
  expect(await checkOffline(staff, 'https://example.com/not-a-receipt')).toBe('malformed');

  // 补打回执 of the saved record on A4: the same QR, read back from the PDF, marked as reprinted.
  await staff.getByTestId('reprint-citizen-id').fill(candidate.citizenId);
  await staff.getByTestId('reprint-find').click();
  const row = staff.getByTestId('reprint-record');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-record', recordId!);
  await staff.getByTestId('receipt-desk').getByTestId('receipt-layout').selectOption('a4');
  await row.getByTestId('reprint-receipt').click();
  await expect(staff.getByTestId('receipt-sheet')).toHaveAttribute('data-layout', 'a4');
  await expect(staff.getByTestId('receipt-reprinted')).toBeAttached();
  await expect(staff.locator('html')).toHaveAttribute('data-prints', '2');
  const a4 = await printedReceipt(staff, 'a4');
  expect(a4.qr).toBe(shownQr);
  expect(a4.pageSizePt.map(Math.round)).toEqual([595, 842]);
  expect(a4.text).toContain('补打于');
  expect(await checkOffline(staff, a4.qr)).toBe('verified-signature');
});
