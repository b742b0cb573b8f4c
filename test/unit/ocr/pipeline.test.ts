import path from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OcrEngine, RecognizeOptions, RecognizeResult } from '../../../renderer/ocr/engine.js';
import { recognizeIdCard } from '../../../renderer/ocr/pipeline.js';
import { downscaleRgba, type RgbaImage } from '../../../renderer/ocr/image.js';
import { IdCardOcrResult } from '../../../renderer/ocr/schema.js';
import type { TesseractEngine } from '../../../renderer/ocr/tesseract-engine.js';
import { createNodeEngine, decodeImageFile, nationTable, nodeLangPaths } from '../../support/ocr/node-adapter.js';
import { sharedFixturesDir } from '../../support/shared-fixtures.js';

const DIR = path.join(sharedFixturesDir, 'idcards');
interface Truth {
  name: string;
  sex: string;
  nation: string;
  birth: string;
  address: string;
  idNumber: string;
}
const truth = JSON.parse(readFileSync(`${DIR}/truth.json`, 'utf8')) as Record<string, Truth>;

/** Each fixture decoded once per file: the fixture tests and the cross-checks share them. */
const decoded = new Map<string, RgbaImage>();
function fixture(file: string): RgbaImage {
  let image = decoded.get(file);
  if (!image) {
    image = decodeImageFile(`${DIR}/${file}`);
    decoded.set(file, image);
  }
  return image;
}

describe('ID card OCR pipeline on the fixture cards', () => {
  let engine: TesseractEngine;
  /** One recognition per fixture, shared by the tests that check it (the models load once for the file). */
  const results = new Map<string, Promise<IdCardOcrResult>>();
  const recognized = (file: string) => {
    let r = results.get(file);
    if (!r) {
      r = recognizeIdCard({ front: fixture(file) }, { engine, nations: nationTable() });
      results.set(file, r);
    }
    return r;
  };
  beforeAll(async () => {
    // The language data the build ships (OCR_LANG_VARIANT in scripts/ocr-assets.mjs); both models load at once.
    engine = createNodeEngine({ langPath: nodeLangPaths('4.0.0') });
    await engine.warmUp();
  }, 60_000);
  afterAll(async () => {
    await engine.terminate();
  });

  for (const file of ['front-weixiaobao.jpg', 'front-liuxiaohe-photo.jpg']) {
    it(`reads the key fields of ${file}`, async () => {
      const t = truth[file] as Truth;
      const result = await recognized(file);
      expect(IdCardOcrResult.safeParse(result).success).toBe(true);
      const front = result.front;
      expect(front).toBeDefined();
      if (!front) return;
      expect(front.name.value).toBe(t.name);
      expect(front.sex.value).toBe(t.sex === '男' ? 'male' : 'female');
      expect(front.nation).toMatchObject({ value: t.nation, code: '01' });
      expect(front.birthDate.value).toBe(t.birth.replaceAll('-', ''));
      expect(front.idNumber.value).toBe(t.idNumber);
      // Both specimen numbers fail the check digit: flagged for review, never "repaired" into another number.
      expect(front.idNumber).toMatchObject({ valid: false, needsReview: true, repair: 'none' });
      expect(front.idNumber.reasons).toContain('check-digit');
      expect(result.needsReview).toBe(true);
      expect(result.timings['total']).toBeGreaterThan(0);
    });
  }

  it('reads the address of the photographed card exactly', async () => {
    const result = await recognized('front-liuxiaohe-photo.jpg');
    expect(result.front?.address.value).toBe(truth['front-liuxiaohe-photo.jpg']?.address);
  });
});

/** Answers by field, as named in the request. */
class ScriptedEngine implements OcrEngine {
  readonly calls: string[] = [];
  constructor(private readonly answers: { number: string | string[]; name: string; sexNation: string; birth: string; address: string }) {}
  recognize(_image: unknown, o: RecognizeOptions): Promise<RecognizeResult> {
    this.calls.push(o.field ?? '?');
    const numberCall = this.calls.filter((c) => c === 'idNumber').length - 1;
    const numbers = typeof this.answers.number === 'string' ? [this.answers.number] : this.answers.number;
    const byField: Record<string, string> = {
      idNumber: numbers[Math.min(numberCall, numbers.length - 1)] ?? '',
      birth: this.answers.birth,
      address: this.answers.address,
      name: this.answers.name,
      sexNation: this.answers.sexNation,
    };
    const text = byField[o.field ?? ''];
    if (text === undefined) return Promise.reject(new Error(`unexpected field ${o.field ?? '?'}`));
    return Promise.resolve({ text, confidence: 0.9, chars: Array.from(text).map((c) => ({ text: c, confidence: 0.9 })) });
  }
  terminate(): Promise<void> {
    return Promise.resolve();
  }
}

describe('cross-checks between fields', () => {
  // Any photo of a card with ink in every field region will do: the scripted engine supplies the text. A 400 px
  // copy of the photographed fixture is located as confidently as the original (no 'card-uncertain') in a
  // fraction of the time.
  let image: RgbaImage | undefined;
  const run = (answers: ConstructorParameters<typeof ScriptedEngine>[0], engine = new ScriptedEngine(answers)) => {
    image ??= downscaleRgba(fixture('front-liuxiaohe-photo.jpg'), 400).image;
    return recognizeIdCard({ front: image }, { engine, nations: nationTable(), today: new Date(2025, 0, 1) });
  };
  const ok = { number: '11010519491231002X', name: '林晓雨', sexNation: '女 汉', birth: '1949 12 31', address: '北京市朝阳区' };

  it('passes when sex and birth date agree with a valid number', async () => {
    const r = await run(ok);
    expect(r.front?.sex).toMatchObject({ value: 'female', needsReview: false });
    expect(r.front?.birthDate).toMatchObject({ value: '19491231', needsReview: false });
    expect(r.front?.idNumber).toMatchObject({ valid: true, needsReview: false });
    expect(r.front?.nation).toMatchObject({ value: '汉', code: '01', needsReview: false });
  });

  it('flags a sex that contradicts the number', async () => {
    const r = await run({ ...ok, sexNation: '男 汉' });
    expect(r.front?.sex).toMatchObject({ value: 'male', needsReview: true });
    expect(r.front?.sex.reasons).toContain('sex-mismatch');
  });

  it('flags a birth date that contradicts the number', async () => {
    const r = await run({ ...ok, birth: '1949 11 30' });
    expect(r.front?.birthDate).toMatchObject({ value: '19491130', needsReview: true });
    expect(r.front?.birthDate.reasons).toContain('birth-mismatch');
  });

  it('flags a nation that is not in the code table', async () => {
    const r = await run({ ...ok, sexNation: '女 火星人' });
    expect(r.front?.nation.needsReview).toBe(true);
    expect(r.front?.nation.reasons).toContain('unknown-nation');
  });

  it('repairs a look-alike in the number and keeps the field clean', async () => {
    const r = await run({ ...ok, number: '11O1O519491231OO2×' });
    expect(r.front?.idNumber).toMatchObject({ value: '11010519491231002X', valid: true, repair: 'confusion' });
  });

  it('re-reads the number until a reading passes the check character, then stops', async () => {
    const engine = new ScriptedEngine({ ...ok, number: ['110105194912310021', '11010519491231002X', '11010519491231002X'] });
    const r = await run(ok, engine);
    expect(r.front?.idNumber).toMatchObject({ value: '11010519491231002X', valid: true, repair: 'none', needsReview: false });
    expect(engine.calls.filter((c) => c === 'idNumber')).toHaveLength(2);
  });

  it('reports two agreeing readings as read, even when the check character fails', async () => {
    const engine = new ScriptedEngine({ ...ok, number: ['110105194912310021', '110105194912310021', '11010519491231002X'] });
    const r = await run(ok, engine);
    expect(r.front?.idNumber).toMatchObject({ value: '110105194912310021', valid: false, needsReview: true });
    expect(engine.calls.filter((c) => c === 'idNumber')).toHaveLength(2);
  });

  it('drops a doubled digit when only one deletion fits the card, and flags the correction', async () => {
    // 8 read as 38 in every reading: one character too many.
    const r = await run({ ...ok, number: '110105194912310023X' });
    expect(r.front?.idNumber).toMatchObject({ value: '11010519491231002X', valid: true, repair: 'substitution', needsReview: true });
    expect(r.front?.idNumber.reasons).toContain('corrected');
  });

  it('votes among the name readings', async () => {
    const r = await run({ ...ok, name: '林晓雨' });
    expect(r.front?.name).toMatchObject({ value: '林晓雨', needsReview: false });
  });
});
