import { describe, expect, it } from 'vitest';
import { matchNation, parseBirthLine, parseSex, parseValidity } from '../../../renderer/ocr/fields.js';

const nations = new Map([
  ['01', '汉'],
  ['02', '蒙古'],
  ['05', '维吾尔'],
  ['08', '壮'],
]);

describe('OCR field parsers', () => {
  it('reads birth lines with and without the 年月日 marks', () => {
    expect(parseBirthLine('1995年6月6日')).toBe('19950606');
    expect(parseBirthLine('1995   6   6')).toBe('19950606');
    expect(parseBirthLine('16541220')).toBe('16541220');
    // 1995 + "16": 1-6 is the only real split.
    expect(parseBirthLine('1995 16')).toBe('19950106');
    // 7 digits: 1995 1 12 and 1995 11 2 are both real dates; only the number can decide.
    expect(parseBirthLine('1995112')).toBeUndefined();
    expect(parseBirthLine('1995112', '19951102')).toBe('19951102');
    expect(parseBirthLine('1995年2月30日')).toBeUndefined();
  });

  it('reads sex only when unambiguous', () => {
    expect(parseSex('男')).toBe('male');
    expect(parseSex('女 民族 汉')).toBe('female');
    expect(parseSex('')).toBeUndefined();
    expect(parseSex('男女')).toBeUndefined();
  });

  it('matches nations against the code table, snapping one-off readings', () => {
    expect(matchNation('汉', nations)).toEqual({ name: '汉', code: '01', exact: true });
    expect(matchNation('维吾朩', nations)).toEqual({ name: '维吾尔', code: '05', exact: false });
    expect(matchNation('火星', nations)).toBeUndefined();
    // Remnants of the 民族 label before the value; a lone look-alike of several one-character names stays open.
    expect(matchNation('2冯二汉', nations)).toMatchObject({ name: '汉', code: '01' });
    expect(matchNation('员族蒙古', nations)).toMatchObject({ name: '蒙古' });
    expect(matchNation('冯', nations)).toBeUndefined();
  });

  it('checks the validity period for a plausible span', () => {
    expect(parseValidity('2015.06.06-2035.06.06')).toEqual({ value: { from: '20150606', to: '20350606' }, consistent: true });
    expect(parseValidity('2015.06.06-长期')).toEqual({ value: { from: '20150606', to: '长期' }, consistent: true });
    expect(parseValidity('2015.06.06-2035.06.08')?.consistent).toBe(false);
    expect(parseValidity('2015.06.06-2035')).toBeUndefined();
  });
});
