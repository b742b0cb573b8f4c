/**
 * The pure parts of the two-recogniser pipeline, without models: CTC decoding, the nation snap, GB/T 2260
 * prefix correction and the acceptance rule for the citizen number.
 */
import { describe, expect, it } from 'vitest';
import { computeCheckCharacter } from '../../../core/citizen-id/citizen-id.js';
import { nationsByCode } from '../../../core/idcard/nations.js';
import { classMask, ctcGreedyDecode, parseDictionary } from '../../../renderer/ocr/ctc.js';
import type { RecognizeResult } from '../../../renderer/ocr/engine.js';
import { snapNation } from '../../../renderer/ocr/nation-snap.js';
import { decideNumber } from '../../../renderer/ocr/number-accept.js';
import { joinLines, lineSpans, REC_HEIGHT, toRecInput } from '../../../renderer/ocr/paddle-engine.js';
import { addressBand, FRONT_LINES, lineCentres, verticalOffset } from '../../../renderer/ocr/align.js';
import { correctAddressPrefix, correctAuthority } from '../../../renderer/ocr/region-prefix.js';
import { regionIndex } from '../../../renderer/ocr/regions.js';

/** Steps × classes probabilities with `picks[t]` holding probability p at step t. */
function probs(classes: number, picks: readonly (readonly [number, number])[]): Float32Array {
  const out = new Float32Array(picks.length * classes);
  picks.forEach(([k, p], t) => {
    const rest = (1 - p) / (classes - 1);
    for (let c = 0; c < classes; c++) out[t * classes + c] = c === k ? p : rest;
  });
  return out;
}

describe('CTC greedy decoding', () => {
  const dict = parseDictionary('a\nb\n１\n1\n年\n');
  // ['', 'a', 'b', '１', '1', '年', ' ']

  it('puts the blank first and the space last, and ignores a trailing newline', () => {
    expect(dict).toEqual(['', 'a', 'b', '１', '1', '年', ' ']);
  });

  it('collapses repeats, splits them at a blank, drops blanks and keeps each character’s best probability', () => {
    const r = ctcGreedyDecode(probs(7, [[1, 0.6], [1, 0.9], [0, 0.99], [1, 0.8], [2, 0.7]]), 5, 7, dict);
    expect(r.text).toBe('aab');
    expect(r.chars.map((c) => c.confidence)).toEqual([expect.closeTo(0.9, 5), expect.closeTo(0.8, 5), expect.closeTo(0.7, 5)]);
    expect(r.confidence).toBeCloseTo(0.8, 5);
  });

  it('gives full-width digits as ASCII, and a whitelist admits them', () => {
    const mask = classMask(dict, '1');
    expect(Array.from(mask ?? [])).toEqual([1, 0, 0, 1, 1, 0, 0]);
    expect(ctcGreedyDecode(probs(7, [[3, 0.9]]), 1, 7, dict, { mask }).text).toBe('1');
  });

  it('under a whitelist, a step clearly won by a masked-out character is a gap, not a faint legal one', () => {
    const mask = classMask(dict, '1');
    // 年 at 0.97 leaves 0.005 for everything else: not a digit.
    const r = ctcGreedyDecode(probs(7, [[4, 0.9], [5, 0.97], [4, 0.9]]), 3, 7, dict, { mask });
    expect(r.text).toBe('11');
  });

  it('normalises raw scores with softmax when asked', () => {
    const logits = new Float32Array([0, 5, 0, 0, 0, 0, 0]);
    const r = ctcGreedyDecode(logits, 1, 7, dict, { softmax: true });
    expect(r.text).toBe('a');
    expect(r.confidence).toBeCloseTo(Math.exp(5) / (Math.exp(5) + 6), 5);
  });

  it('refuses output shorter than steps × classes', () => {
    expect(() => ctcGreedyDecode(new Float32Array(5), 2, 7, dict)).toThrow(RangeError);
  });
});

describe('recognition input', () => {
  const line = (w: number, h: number, boxes: readonly [number, number, number, number][]) => {
    const data = new Uint8Array(w * h).fill(255);
    for (const [x0, y0, x1, y1] of boxes) for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[y * w + x] = 0;
    return { width: w, height: h, data };
  };

  it('scales the ink to the model height with a white margin, three equal channels in [-1, 1]', () => {
    const input = toRecInput(line(200, 60, [[20, 10, 120, 50]]), 0.5);
    expect(input).toBeDefined();
    if (!input) return;
    // 100×40 ink at 24 px text height → 60 px wide, plus 12 px margins.
    expect(input.width).toBe(84);
    const plane = REC_HEIGHT * input.width;
    expect(input.data.length).toBe(3 * plane);
    expect(input.data[0]).toBe(1);
    const mid = 24 * input.width + 40;
    expect(input.data[mid]).toBe(-1);
    expect(input.data[mid + plane]).toBe(-1);
    expect(input.data[mid + 2 * plane]).toBe(-1);
  });

  it('has nothing to read in a blank crop', () => {
    expect(toRecInput(line(50, 20, []))).toBeUndefined();
  });

  it('joins the lines of a block side by side, in order, dropping specks', () => {
    const block = line(300, 130, [
      [10, 10, 290, 40],
      [10, 60, 100, 90],
      [200, 112, 203, 115],
    ]);
    expect(lineSpans(block)).toEqual([
      { start: 10, end: 40 },
      { start: 60, end: 90 },
    ]);
    const joined = joinLines(block);
    expect(joined.height).toBe(30);
    expect(joined.width).toBe(280 + 18 + 90);
  });
});

describe('nation snap', () => {
  it('takes an exact name, with label remnants in front', () => {
    expect(snapNation('民铁苗', nationsByCode)).toMatchObject({ name: '苗', code: '06', exact: true, confidence: 1 });
    expect(snapNation('土家族', nationsByCode)).toMatchObject({ name: '土家', code: '15', exact: true });
  });

  it('snaps a misread to the closest of the 56 names with less confidence', () => {
    const snap = snapNation('明鲜', nationsByCode);
    expect(snap).toMatchObject({ name: '朝鲜', code: '10', exact: false });
    expect(snap?.confidence).toBeLessThan(0.6);
    expect(snapNation('维吾', nationsByCode)?.name).toBe('维吾尔');
  });

  it('never answers 其他 or 外国血统 (not printed on a resident card), nor anything for no Chinese at all', () => {
    expect(snapNation('其他', nationsByCode)?.code).not.toBe('97');
    expect(snapNation('x1', nationsByCode)).toBeUndefined();
  });
});

describe('GB/T 2260 prefixes', () => {
  const regions = regionIndex();

  it('corrects a misread province, city or county and leaves the rest as read', () => {
    expect(correctAddressPrefix('河南省郑卅市金水区文化路88号', regions).text).toBe('河南省郑州市金水区文化路88号');
    expect(correctAddressPrefix('行东省深圳市南山区民民街63号', regions).text).toBe('广东省深圳市南山区民民街63号');
    expect(correctAddressPrefix('四川省成都市武候区x', regions)).toMatchObject({ text: '四川省成都市武侯区x', code: '510107', edits: 1 });
  });

  it('leaves a right prefix alone and reports its region', () => {
    expect(correctAddressPrefix('北京市东城区景山前街4号紫禁城敬事房', regions)).toEqual({ text: '北京市东城区景山前街4号紫禁城敬事房', code: '110101', edits: 0 });
  });

  it('does not pick between two counties a misread is equally close to, unless the number says which', () => {
    // 青山区: one edit from both 南山区 and 坪山区 of 深圳.
    const read = '广东省深圳市青山区民民街63号';
    expect(correctAddressPrefix(read, regions).text).toBe(read);
    expect(correctAddressPrefix(read, regions, '440305').text).toBe('广东省深圳市南山区民民街63号');
  });

  it('invents nothing for text that is no region', () => {
    expect(correctAddressPrefix('景山前街4号', regions)).toEqual({ text: '景山前街4号', code: undefined, edits: 0 });
  });

  it('corrects an authority’s city, 公安局 and the county before 分局', () => {
    expect(correctAuthority('长沙市公安属岳管分局', regions).text).toBe('长沙市公安局岳麓分局');
    expect(correctAuthority('行家庄市公安局桥西分局', regions).text).toBe('石家庄市公安局桥西分局');
    expect(correctAuthority('北京市公安局朝阳分局', regions)).toMatchObject({ text: '北京市公安局朝阳分局', edits: 0 });
    expect(correctAuthority('成都市公安局武侯区分局', regions).text).toBe('成都市公安局武侯区分局');
  });
});

describe('citizen number acceptance', () => {
  const body = '11010519491231002';
  const valid = body + computeCheckCharacter(body);
  const read = (text: string, confidence = 0.95): RecognizeResult => ({ text, confidence, chars: Array.from(text, (c) => ({ text: c, confidence })) });
  const printed = { birthDate: '19491231', sex: 'female' as const };

  it('accepts a valid reading that agrees with the printed birth date and sex', () => {
    const d = decideNumber([{ engine: 'tesseract', read: read(valid) }], printed);
    expect(d).toMatchObject({ value: valid, accepted: true, engine: 'tesseract', reasons: [] });
  });

  it('says both engines read it when they agree', () => {
    expect(decideNumber([{ engine: 'tesseract', read: read(valid) }, { engine: 'paddle', read: read(valid) }], printed).engine).toBe('both');
  });

  it('highlights a valid number the printed sex or birth date contradicts, or that nothing printed confirms', () => {
    expect(decideNumber([{ engine: 'tesseract', read: read(valid) }], { ...printed, sex: 'male' })).toMatchObject({ accepted: false, reasons: ['sex-mismatch'] });
    expect(decideNumber([{ engine: 'tesseract', read: read(valid) }], { ...printed, birthDate: '19491230' })).toMatchObject({ accepted: false, reasons: ['birth-mismatch'] });
    expect(decideNumber([{ engine: 'tesseract', read: read(valid) }], {})).toMatchObject({ accepted: false, reasons: ['low-confidence'] });
  });

  it('accepts neither of two different valid numbers', () => {
    // Same birth date and sex, another sequence: both pass every check on their own.
    const body2 = '11010519491231004';
    const other = body2 + computeCheckCharacter(body2);
    const d = decideNumber([{ engine: 'tesseract', read: read(valid) }, { engine: 'paddle', read: read(other) }], printed);
    expect(d.accepted).toBe(false);
    expect(d.reasons).toContain('low-confidence');
  });

  it('maps look-alikes (still accepted) but never accepts a substituted digit', () => {
    expect(decideNumber([{ engine: 'tesseract', read: read(valid.replace('0', 'O')) }], printed)).toMatchObject({ value: valid, accepted: true, repair: 'confusion' });
    const wrongDigit = `${valid.slice(0, 2)}${valid[2] === '9' ? '8' : '9'}${valid.slice(3)}`;
    const d = decideNumber([{ engine: 'tesseract', read: { text: wrongDigit, confidence: 0.6, chars: Array.from(wrongDigit, (c, i) => ({ text: c, confidence: i === 2 ? 0.3 : 0.99 })) } }], printed);
    expect(d.accepted).toBe(false);
    expect(d.value).toBe(valid);
    expect(d.reasons).toEqual(['corrected']);
  });

  it('reports two agreeing readings of an invalid number as read, highlighted', () => {
    const invalid = '11204416541220243X';
    const d = decideNumber([{ engine: 'tesseract', read: read(invalid) }, { engine: 'paddle', read: read(invalid) }], { birthDate: '16541220', sex: 'male' });
    expect(d).toMatchObject({ value: invalid, accepted: false, engine: 'both', reasons: ['check-digit'] });
  });
});

describe('line alignment', () => {
  it('finds text lines in the value column and the layout offset from them', () => {
    const w = 200;
    const h = 100;
    const data = new Uint8Array(w * h).fill(240);
    // Two lines of "text" 4 rows high at 0.17 and 0.30 (expected 0.15 and 0.28: 2 % low).
    for (const c of [17, 30]) for (let y = c - 2; y < c + 2; y++) for (let x = 50; x < 110; x += 2) data[y * w + x] = 20;
    const found = lineCentres({ width: w, height: h, data }, FRONT_LINES.column);
    expect(found.map((c) => Math.round(c * 100))).toEqual([17, 30]);
    expect(verticalOffset(found, FRONT_LINES)).toBeCloseTo(0.02, 5);
    // One line is not evidence enough.
    expect(verticalOffset([0.17], FRONT_LINES)).toBe(0);
  });

  it('draws the address between the birth line and the number line that were found', () => {
    expect(addressBand([0.15, 0.28, 0.43, 0.56, 0.65, 0.88], 0.02)).toEqual([expect.closeTo(0.495, 5), expect.closeTo(0.765, 5)]);
    expect(addressBand([0.15, 0.28, 0.56], 0)).toBeUndefined();
  });
});
