/**
 * Turning recognised text into field values: dates, sex, nation, validity period, names and addresses. Pure
 * functions; the pipeline decides confidence and review flags.
 */
import { editDistance } from './nation-snap.js';

/** `YYYYMMDD` when it is a real Gregorian date. */
export function realDate8(y: number, m: number, d: number): string | undefined {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return undefined;
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1) return undefined;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  if (d > days) return undefined;
  return `${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
}

/**
 * The 出生 line: `1995年6月6日`, or digit groups when the (blue) 年月日 were removed by preprocessing. A date that
 * needs guessing (digits run together) is matched against `expected` (from the citizen number) only.
 */
export function parseBirthLine(text: string, expected?: string): string | undefined {
  const t = text.replace(/\s+/gu, ' ').trim();
  const withMarks = /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})/u.exec(t);
  if (withMarks) return realDate8(Number(withMarks[1]), Number(withMarks[2]), Number(withMarks[3]));
  const groups = t.match(/\d+/gu) ?? [];
  if (groups.length >= 3 && (groups[0] ?? '').length === 4) {
    const date = realDate8(Number(groups[0]), Number(groups[1]), Number(groups[2]));
    if (date) return date;
  }
  // Digits run together (the 年月日 were dropped): split where only one reading is a real date.
  const digits = t.replace(/\D/gu, '');
  if (digits.length >= 6 && digits.length <= 8) {
    const y = Number(digits.slice(0, 4));
    const rest = digits.slice(4);
    const splits = rest.length === 4 ? [2] : rest.length === 2 ? [1] : [1, 2];
    const dates = new Set<string>();
    for (const k of splits) {
      const d = realDate8(y, Number(rest.slice(0, k)), Number(rest.slice(k)));
      if (d && (expected === undefined || d === expected)) dates.add(d);
    }
    if (dates.size === 1) return [...dates][0];
  }
  // Otherwise only the expected date can be confirmed.
  if (expected !== undefined) {
    const y = expected.slice(0, 4);
    const m = String(Number(expected.slice(4, 6)));
    const d = String(Number(expected.slice(6, 8)));
    const forms = [y + m + d, y + expected.slice(4, 6) + expected.slice(6, 8), y + m + expected.slice(6, 8), y + expected.slice(4, 6) + d];
    if (forms.includes(digits)) return expected;
  }
  return undefined;
}

export function parseSex(text: string): 'male' | 'female' | undefined {
  const hasMale = text.includes('男');
  const hasFemale = text.includes('女');
  if (hasMale === hasFemale) return undefined;
  return hasMale ? 'male' : 'female';
}

export interface NationMatch {
  name: string;
  code: string;
  /** true when the reading was exactly a name in the table. */
  exact: boolean;
}

/**
 * Match the 民族 reading against the GB/T 3304 table (code → short name as printed). Readings one character away
 * from exactly one name snap to it; anything else is left unmatched.
 */
export function matchNation(text: string, table: ReadonlyMap<string, string>): NationMatch | undefined {
  const t = text.replace(/[^\u4E00-\u9FFF]/gu, '').replace(/族$/u, '');
  if (t.length === 0) return undefined;
  for (const [code, name] of table) if (name === t) return { name, code, exact: true };
  // Remnants of the blue 民族 label (or specks) read in front of the value: a name the reading ends with, after
  // at most three stray characters, longest name first.
  let suffix: NationMatch | undefined;
  for (const [code, name] of table) {
    if (t.endsWith(name) && t.length - name.length <= 3 && (!suffix || name.length > suffix.name.length)) suffix = { name, code, exact: true };
  }
  if (suffix) return suffix;
  const near: NationMatch[] = [];
  for (const [code, name] of table) {
    if (editDistance(t, name) <= (name.length >= 3 ? 1 : t.length === name.length ? 1 : 0)) near.push({ name, code, exact: false });
  }
  return near.length === 1 ? near[0] : undefined;
}

export interface Validity {
  /** `YYYYMMDD`. */
  from: string;
  /** `YYYYMMDD`, or 长期 for long-term cards. */
  to: string;
}

/**
 * The 有效期限 line: `2015.06.06-2035.06.06` or `2015.06.06-长期`. A validity period is 5, 10 or 20 years, with the
 * end on the same day and month as the start; both are checked so a misread digit is caught.
 */
export function parseValidity(text: string): { value: Validity; consistent: boolean } | undefined {
  const t = text.replace(/\s+/gu, '');
  const longTerm = /长期|长|期/u.test(t);
  const digits = t.replace(/[^0-9]/gu, '');
  if (longTerm && digits.length >= 8) {
    const from = realDate8(Number(digits.slice(0, 4)), Number(digits.slice(4, 6)), Number(digits.slice(6, 8)));
    if (!from) return undefined;
    return { value: { from, to: '长期' }, consistent: digits.length === 8 };
  }
  if (digits.length !== 16) return undefined;
  const from = realDate8(Number(digits.slice(0, 4)), Number(digits.slice(4, 6)), Number(digits.slice(6, 8)));
  const to = realDate8(Number(digits.slice(8, 12)), Number(digits.slice(12, 14)), Number(digits.slice(14, 16)));
  if (!from || !to) return undefined;
  const years = Number(to.slice(0, 4)) - Number(from.slice(0, 4));
  const consistent = [5, 10, 20].includes(years) && to.slice(4) === from.slice(4);
  return { value: { from, to }, consistent };
}

/** Names and addresses: Chinese text without the spaces the recogniser puts between glyphs. */
export function cleanChinese(text: string): string {
  return text
    .replace(/\s+/gu, '')
    .replace(/[|_~`'"“”‘’，,。.、:：;；!！?？()（）[\]【】<>《》]/gu, '')
    .trim();
}

/** A name is 2–20 CJK characters, optionally with the middle dot used in minority names. */
export function plausibleName(text: string): boolean {
  return /^[\u4E00-\u9FFF][\u4E00-\u9FFF·]{0,18}[\u4E00-\u9FFF]$/u.test(text);
}
