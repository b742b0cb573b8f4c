import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { LIN } from '../support/sample-roster.js';
import { CardGenerator, placeOnDesk } from '../support/ocr/generator.js';
import type { SyntheticIdentity } from '../support/ocr/synthetic-identity.js';
import { expect, test } from './fixtures/station.js';

/** A card photo of a synthetic candidate from the sample roster (林晓雨), rendered by the card generator. */
const identity: SyntheticIdentity = {
  name: '林晓雨',
  sex: 'female',
  nation: '汉',
  birthDate: '20020314',
  address: '河南省郑州市金水区文化路88号',
  idNumber: LIN,
  issuingAuthority: '郑州市公安局金水分局',
  validFrom: '20200301',
  validTo: '20300301',
};

let files: { front: string; back: string };

test.beforeAll(async () => {
  test.setTimeout(60_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'ocr-e2e-'));
  const generator = new CardGenerator({ seed: 7, perturb: 'none' });
  // A phone photo of the card on a desk: slightly turned, even light (deterministic).
  let state = 7;
  const random = () => (state = (state * 16807) % 2147483647) / 2147483647;
  try {
    const write = async (side: 'front' | 'back') => {
      const flat = await generator.renderFlat(identity, side, 7, false);
      const { image } = placeOnDesk(flat, { rotation: 1.5, perspective: 0.01, cardScale: 0.8, lighting: 0.05, blur: 0, noise: 2, jpegQuality: 92 }, random);
      const png = new PNG({ width: image.width, height: image.height });
      png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
      const file = path.join(dir, `${side}.png`);
      writeFileSync(file, PNG.sync.write(png));
      return file;
    };
    files = { front: await write('front'), back: await write('back') };
  } finally {
    await generator.close();
  }
});

test('open card images: fields are prefilled, unsure ones highlighted; after checking, the candidate is found and the flow goes on', async ({ staff, kiosk }) => {
  test.setTimeout(120_000);
  // The worker reads the Chinese fields with PP-OCR: its model and ORT's WASM come from the app's own files
  // (a failed load would fall back to tesseract silently, so the loads themselves are checked).
  const loaded = new Map<string, number>();
  staff.context().on('requestfinished', (request) => {
    void request.response().then((response) => {
      const { pathname } = new URL(request.url());
      if (response) loaded.set(pathname, response.status());
    });
  });
  // The panel is folded in step 1 (the chip read is the usual way): staff open it first.
  await expect(staff.getByTestId('ocr-read')).toBeHidden();
  await staff.getByTestId('ocr-panel').locator('summary').click();
  await expect(staff.getByTestId('ocr-front')).toBeAttached();
  await expect(staff.getByText('未选择文件').first()).toBeVisible();
  await staff.getByTestId('ocr-front').setInputFiles(files.front);
  await staff.getByTestId('ocr-back').setInputFiles(files.back);
  await staff.getByTestId('ocr-read').click();
  await expect(staff.getByTestId('ocr-panel')).toHaveAttribute('data-status', 'review', { timeout: 90_000 });

  expect(loaded.get('/ocr/paddle/rec.onnx')).toBe(200);
  expect(loaded.get('/ocr/paddle/keys.txt')).toBe(200);
  expect([...loaded].some(([url, status]) => /\/ocr\/ort\/ort-wasm-simd-threaded\.wasm$/u.test(url) && status === 200)).toBe(true);
  const value = (key: string) => staff.getByTestId(`ocr-field-${key}`).locator('input').inputValue();
  expect(await value('idNumber')).toBe(LIN);
  expect(await value('birthDate')).toBe('20020314');
  expect(await value('sex')).toBe('female');

  // Every highlighted field must be looked at; confirming before that is refused.
  const flagged = staff.locator('[data-review="true"]');
  if ((await flagged.count()) > 0) {
    await staff.getByTestId('ocr-confirm').click();
    await expect(staff.getByTestId('ocr-panel')).toContainText('请先核对所有标黄的项目');
    while ((await flagged.count()) > 0) await flagged.first().getByRole('button', { name: '核对无误' }).click();
  }
  // A value staff type is theirs, whatever OCR made of it (cleared and typed again as on the card).
  await staff.getByTestId('ocr-field-name').locator('input').fill('');
  await staff.getByTestId('ocr-field-name').locator('input').fill(identity.name);
  await expect(staff.getByTestId('ocr-field-name')).toHaveAttribute('data-source', 'manual');
  await expect(staff.getByTestId('ocr-field-idNumber')).toHaveAttribute('data-source', 'ocr');

  await staff.getByTestId('ocr-confirm').click();
  await expect(staff.getByTestId('step-identity')).toBeVisible();
  await expect(staff.getByText('证件识别 · 当前步骤：身份核验')).toBeVisible();
  await expect(kiosk.getByTestId('kiosk')).toHaveAttribute('data-view', 'verify-info');
  await staff.getByTestId('identity-pass').click();
  await expect(staff.getByTestId('step-eligibility')).toBeVisible();
});
