import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import {
  CitizenIdError,
  computeCheckCharacter,
  isValidCitizenId,
  maskCitizenId,
  normalizeCitizenId,
  parseCitizenId,
  upgradeLegacy15,
  type CitizenId,
  type CitizenIdReason,
} from '../../../core/citizen-id/citizen-id.js';
import { StationError } from '../../../core/errors/station-error.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { seededRandom as mulberry32 } from '../../../native/simulators/seeded-random.js';

// ---------------------------------------------------------------------------------------------------------------
// Helpers

function expectOk(input: string, today?: Date): CitizenId {
  const r = parseCitizenId(input, { today });
  if (!r.ok) throw new Error(`expected ok, got reason ${r.error.reason}`);
  return r.value;
}

function expectError(input: string, today?: Date): CitizenIdError {
  const r = parseCitizenId(input, { today });
  if (r.ok) throw new Error(`expected an error, got ok`);
  return r.error;
}


/**
 * Independent reference implementation (test oracle): weights computed as 2^(i−1) mod 11, validity as
 * "Σ value × W(i) over all 18 positions ≡ 1 (mod 11)", date validity by a UTC Date round trip.
 * Input must already be normalised. Returns the expected reason, or null for a valid number.
 */
const ORACLE_WEIGHTS: number[] = Array.from({ length: 18 }, (_, k) => 2 ** (17 - k) % 11);
function oracleReason(n: string, todayYmd: number): CitizenIdReason | null {
  if (n === '') return 'empty';
  if (/^[0-9]{15}$/.test(n)) return 'legacy-15';
  if ([...n].length !== 18) return 'length';
  if (!/^[0-9]{17}[0-9X]$/.test(n)) return 'format';
  const y = Number(n.slice(6, 10));
  const m = Number(n.slice(10, 12));
  const d = Number(n.slice(12, 14));
  const dt = new Date(0);
  dt.setUTCFullYear(y, m - 1, d);
  if (y === 0 || dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) {
    return 'birth-date';
  }
  if (Number(n.slice(6, 14)) > todayYmd) return 'future-birth-date';
  return oracleChecksumOk(n) ? null : 'check-digit';
}
function oracleChecksumOk(n18: string): boolean {
  let s = 0;
  for (let i = 0; i < 18; i++) {
    const c = n18.charAt(i);
    s += (c === 'X' ? 10 : Number(c)) * (ORACLE_WEIGHTS[i] ?? Number.NaN);
  }
  return s % 11 === 1;
}
function oracleCheck(body17: string): string {
  for (const c of '0123456789X') if (oracleChecksumOk(body17 + c)) return c;
  throw new Error('no check character');
}

const REASONS: readonly CitizenIdReason[] = [
  'empty',
  'legacy-15',
  'length',
  'format',
  'birth-date',
  'future-birth-date',
  'check-digit',
];
const PROVINCES = [
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '81', '82', '83',
];

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** A random valid number (oracle-built), birth dates 1920–2019. */
function randomValid(rand: () => number): string {
  const prov = PROVINCES[Math.floor(rand() * PROVINCES.length)] ?? '11';
  const y = 1920 + Math.floor(rand() * 100);
  const m = 1 + Math.floor(rand() * 12);
  const dim = new Date(Date.UTC(2001, m, 0)).getUTCDate() + (m === 2 && y % 4 === 0 ? 1 : 0);
  const d = 1 + Math.floor(rand() * dim);
  const body = prov + pad(Math.floor(rand() * 10000), 4) + pad(y, 4) + pad(m, 2) + pad(d, 2) + pad(Math.floor(rand() * 1000), 3);
  return body + oracleCheck(body);
}

// ---------------------------------------------------------------------------------------------------------------
// Shared test vectors

interface Vector {
  input?: string;
  input15?: string;
  expectCheckDigit?: string;
  expectValid?: boolean;
  expectBirthDate?: string;
  expectSex?: 'male' | 'female';
  expectRegionCode?: string;
  expectUpgraded18?: string;
  source?: string;
}
const KNOWN_VECTOR_KEYS = new Set([
  'input',
  'input15',
  'expectCheckDigit',
  'expectValid',
  'expectBirthDate',
  'expectSex',
  'expectRegionCode',
  'expectUpgraded18',
  'source',
]);

const vectorFile = JSON.parse(
  readFileSync(new URL('../../../../shared/specs/vectors/resident-id-vectors.json', import.meta.url), 'utf8'),
) as { schema: string; vectors: Vector[] };

describe('shared vectors (resident-id-vectors.json)', () => {
  it('has the expected schema and every field of every vector is understood by these tests', () => {
    expect(vectorFile.schema).toBe('resident-id-vectors/v1');
    expect(vectorFile.vectors.length).toBeGreaterThanOrEqual(4);
    for (const v of vectorFile.vectors) {
      for (const key of Object.keys(v)) expect(KNOWN_VECTOR_KEYS.has(key), `unknown vector field ${key}`).toBe(true);
      expect(v.input !== undefined || v.input15 !== undefined).toBe(true);
    }
  });

  const eighteen = vectorFile.vectors.filter((v) => v.input !== undefined);
  const fifteen = vectorFile.vectors.filter((v) => v.input15 !== undefined);

  it('contains the three 18-character numbers and the 15→18 upgrade', () => {
    expect(eighteen.map((v) => v.input)).toEqual(['11010519491231002X', '130323198601010041', '430411198501010037']);
    expect(fifteen.map((v) => v.input15)).toEqual(['110105491231002']);
  });

  it.each(eighteen.map((v) => [v.input ?? '', v] as const))('decodes %s as expected', (input, v) => {
    const r = parseCitizenId(input);
    expect(r.ok).toBe(v.expectValid ?? true);
    expect(isValidCitizenId(input)).toBe(v.expectValid ?? true);
    const n = normalizeCitizenId(input);
    if (v.expectCheckDigit !== undefined) {
      expect(computeCheckCharacter(n.slice(0, 17))).toBe(v.expectCheckDigit);
      expect(oracleCheck(n.slice(0, 17))).toBe(v.expectCheckDigit);
    }
    if (!r.ok) {
      expect(r.error).toBeInstanceOf(CitizenIdError);
      return;
    }
    const value = r.value;
    expect(value.number).toBe(n);
    if (v.expectCheckDigit !== undefined) expect(value.number.charAt(17)).toBe(v.expectCheckDigit);
    if (v.expectBirthDate !== undefined) {
      const b = v.expectBirthDate;
      expect(value.birthDate).toBe(`${b.slice(0, 4)}-${b.slice(4, 6)}-${b.slice(6, 8)}`);
    }
    if (v.expectSex !== undefined) expect(value.sex).toBe(v.expectSex);
    if (v.expectRegionCode !== undefined) {
      expect(value.number.slice(0, 6)).toBe(v.expectRegionCode);
      expect(value.provinceCode).toBe(v.expectRegionCode.slice(0, 2));
    }
    expect(value.last6).toBe(n.slice(12));
    expect(value.warnings).toEqual([]);
  });

  it.each(fifteen.map((v) => [v.input15 ?? '', v] as const))('upgrades legacy %s', (input15, v) => {
    expect(upgradeLegacy15(input15)).toBe(v.expectUpgraded18);
    // At confirmation a 15-digit number is refused; the upgraded one is valid.
    expect(expectError(input15).reason).toBe('legacy-15');
    expect(parseCitizenId(upgradeLegacy15(input15)).ok).toBe(true);
  });

  it('decodes the three card numbers to the exact values', () => {
    expect(expectOk('11010519491231002X')).toEqual({
      number: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'female',
      provinceCode: '11',
      last6: '31002X',
      warnings: [],
    });
    expect(expectOk('130323198601010041')).toEqual({
      number: '130323198601010041',
      birthDate: '1986-01-01',
      sex: 'female',
      provinceCode: '13',
      last6: '010041',
      warnings: [],
    });
    expect(expectOk('430411198501010037')).toEqual({
      number: '430411198501010037',
      birthDate: '1985-01-01',
      sex: 'male',
      provinceCode: '43',
      last6: '010037',
      warnings: [],
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('computeCheckCharacter (ISO 7064 MOD 11-2)', () => {
  it('worked example 1 of the spec: 11010519491231002 → X (S = 167, r = 2)', () => {
    const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const products = [...'11010519491231002'].map((c, i) => Number(c) * (weights[i] ?? 0));
    expect(products).toEqual([7, 9, 0, 5, 0, 20, 2, 9, 24, 27, 7, 18, 30, 5, 0, 0, 4]);
    expect(products.reduce((a, b) => a + b, 0)).toBe(167);
    expect(computeCheckCharacter('11010519491231002')).toBe('X');
  });

  it('worked example 2 of the spec: 43041119850101003 → 7', () => {
    expect(computeCheckCharacter('43041119850101003')).toBe('7');
  });

  it('maps every remainder r to the table of the spec', () => {
    // Vary position 17 (weight 2) to hit all residues: found bodies for each r.
    const table: Record<number, string> = { 0: '1', 1: '0', 2: 'X', 3: '9', 4: '8', 5: '7', 6: '6', 7: '5', 8: '4', 9: '3', 10: '2' };
    const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const seen = new Set<number>();
    for (let k = 0; k < 200 && seen.size < 11; k++) {
      const body = `1101051990010${pad(k, 4)}`;
      const r = [...body].reduce((s, c, i) => s + Number(c) * (weights[i] ?? 0), 0) % 11;
      seen.add(r);
      expect(computeCheckCharacter(body)).toBe(table[r]);
    }
    expect(seen.size).toBe(11);
  });

  it('more concrete values', () => {
    expect(computeCheckCharacter('13032319860101004')).toBe('1');
    expect(computeCheckCharacter('11010520000229001')).toBe('3');
    expect(computeCheckCharacter('11010500000101001')).toBe('X');
    expect(computeCheckCharacter('00000000000000000')).toBe('1');
  });

  it('agrees with the independent oracle on 2,000 random bodies', () => {
    const rand = mulberry32(7);
    for (let k = 0; k < 2000; k++) {
      const body = Array.from({ length: 17 }, () => String(Math.floor(rand() * 10))).join('');
      expect(computeCheckCharacter(body)).toBe(oracleCheck(body));
    }
  });

  it('throws a CitizenIdError for anything but 17 ASCII digits', () => {
    for (const bad of ['', '1101051949123100', '110105194912310021', '1101051949123100X', '１１０１０５１９４９１２３１００２']) {
      expect(() => computeCheckCharacter(bad)).toThrow(CitizenIdError);
    }
  });
});

describe('upgradeLegacy15', () => {
  it('inserts 19 and appends the check character (spec §4)', () => {
    expect(upgradeLegacy15('110105491231002')).toBe('11010519491231002X');
    expect(upgradeLegacy15('430411850101003')).toBe('430411198501010037');
    expect(upgradeLegacy15('130323860101004')).toBe('130323198601010041');
  });

  it('normalises its input first', () => {
    expect(upgradeLegacy15(' 110105-491231-002 ')).toBe('11010519491231002X');
    expect(upgradeLegacy15('１１０１０５４９１２３１００２')).toBe('11010519491231002X');
  });

  it('throws a CitizenIdError for anything that is not 15 digits', () => {
    for (const bad of ['', '11010549123100', '1101054912310021', '11010549123100X', '11010519491231002X']) {
      expect(() => upgradeLegacy15(bad)).toThrow(CitizenIdError);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('normalizeCitizenId', () => {
  it.each([
    ['11010519491231002X', '11010519491231002X'],
    ['11010519491231002x', '11010519491231002X'],
    ['  11010519491231002x\t\n', '11010519491231002X'],
    ['110105 19491231 002X', '11010519491231002X'],
    ['110105-19491231-002X', '11010519491231002X'],
    ['110105\u300019491231\u3000002X', '11010519491231002X'],
    ['１１０１０５１９４９１２３１００２Ｘ', '11010519491231002X'],
    ['１１０１０５１９４９１２３１００２ｘ', '11010519491231002X'],
    ['１１０１０５－１９４９１２３１－００２ｘ', '11010519491231002X'],
    ['', ''],
    ['   ', ''],
    ['12a4', '12a4'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeCitizenId(input)).toBe(expected);
  });
});

describe('parseCitizenId — normalisation on input', () => {
  it.each([
    '11010519491231002x',
    '１１０１０５１９４９１２３１００２Ｘ',
    '１１０１０５１９４９１２３１００２ｘ',
    ' 110105 1949 1231 002x ',
    '110105-19491231-002X',
  ])('%j parses to 11010519491231002X', (input) => {
    const v = expectOk(input);
    expect(v.number).toBe('11010519491231002X');
    expect(v.birthDate).toBe('1949-12-31');
    expect(v.sex).toBe('female');
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('parseCitizenId — each error reason with its exact Chinese message', () => {
  const cases: [string, string, CitizenIdReason, string, Date?][] = [
    ['empty string', '', 'empty', '请输入身份证号。'],
    ['only spaces', ' \u3000 ', 'empty', '请输入身份证号。'],
    ['only hyphens', '--', 'empty', '请输入身份证号。'],
    ['15 digits', '110105491231002', 'legacy-15', '15位旧身份证号已停止使用，请使用第二代居民身份证。'],
    ['15 full-width digits', '１１０１０５４９１２３１００２', 'legacy-15', '15位旧身份证号已停止使用，请使用第二代居民身份证。'],
    ['17 characters', '11010519491231002', 'length', '身份证号应为18位，当前为17位，请核对。'],
    ['19 characters', '11010519491231002X1', 'length', '身份证号应为18位，当前为19位，请核对。'],
    ['5 characters', '12345', 'length', '身份证号应为18位，当前为5位，请核对。'],
    ['15 characters ending in X', '11010549123100X', 'length', '身份证号应为18位，当前为15位，请核对。'],
    ['16 digits', '1101054912310021', 'length', '身份证号应为18位，当前为16位，请核对。'],
    ['letter at the end', '11010519491231002A', 'format', '身份证号只能包含数字，最后一位可以是数字或X。'],
    ['X in the body', 'X1010519491231002X', 'format', '身份证号只能包含数字，最后一位可以是数字或X。'],
    ['CJK character', '11010519491231002号', 'format', '身份证号只能包含数字，最后一位可以是数字或X。'],
    ['19000229 (1900 is not a leap year)', '110105190002290017', 'birth-date', '身份证号中的出生日期 19000229 不存在，请核对第7–14位。'],
    ['month 13', '110105199013010018', 'birth-date', '身份证号中的出生日期 19901301 不存在，请核对第7–14位。'],
    ['day 00', '110105199001000015', 'birth-date', '身份证号中的出生日期 19900100 不存在，请核对第7–14位。'],
    ['31 February… 20000231', '110105200002310010', 'birth-date', '身份证号中的出生日期 20000231 不存在，请核对第7–14位。'],
    ['year 0000', '11010500000101001X', 'birth-date', '身份证号中的出生日期 00000101 不存在，请核对第7–14位。'],
    [
      'born the day after a fixed today',
      '110105202406160011',
      'future-birth-date',
      '身份证号中的出生日期 20240616 晚于今天，请核对第7–14位。',
      new Date(2024, 5, 15, 12, 0, 0),
    ],
    ['wrong check character', '110105194912310021', 'check-digit', '身份证号校验位不正确，请逐位核对号码（常见原因：输错或漏输一位）。'],
    ['X where a digit belongs', '13032319860101004X', 'check-digit', '身份证号校验位不正确，请逐位核对号码（常见原因：输错或漏输一位）。'],
  ];

  it.each(cases)('%s', (_label, input, reason, message, today) => {
    const r = parseCitizenId(input, { today });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const e = r.error;
    expect(e).toBeInstanceOf(CitizenIdError);
    expect(e).toBeInstanceOf(StationError);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('CitizenIdError');
    expect(e.code).toBe('CITIZEN_ID_INVALID');
    expect(e.reason).toBe(reason);
    expect(e.userMessage).toBe(message);
    // The developer-facing text names the reason and never the number.
    expect(e.detail).toBe(`citizen id rejected: ${reason}`);
    expect(e.message).toBe(`CITIZEN_ID_INVALID: citizen id rejected: ${reason}`);
    const n = normalizeCitizenId(input);
    if (n.length > 0) {
      expect(e.detail).not.toContain(n);
      expect(e.message).not.toContain(n);
    }
    expect(e.message).not.toMatch(/\d{6}/);
  });

  it('messages come from the zh-CN catalogue', () => {
    expect(expectError('').userMessage).toBe(zhCN.citizenId.empty);
    expect(expectError('110105491231002').userMessage).toBe(zhCN.citizenId.legacy15);
    expect(expectError('123').userMessage).toBe(zhCN.citizenId.length(3));
    expect(expectError('11010519491231002A').userMessage).toBe(zhCN.citizenId.format);
    expect(expectError('110105190002290017').userMessage).toBe(zhCN.citizenId.birthDate('19000229'));
    expect(expectError('110105202406160011', new Date(2024, 5, 15)).userMessage).toBe(
      zhCN.citizenId.futureBirthDate('20240616'),
    );
    expect(expectError('110105194912310021').userMessage).toBe(zhCN.citizenId.checkDigit);
  });

  it('counts characters (code points) for the length message', () => {
    expect(expectError('😀😀😀').userMessage).toBe('身份证号应为18位，当前为3位，请核对。');
  });

  it('checks in the documented order', () => {
    // 15 digits win over everything else that is wrong with them.
    expect(expectError('110105999999002').reason).toBe('legacy-15');
    // Length before format.
    expect(expectError('ABCDEFGHIJ').reason).toBe('length');
    // Format before birth date.
    expect(expectError('11010519001301001A').reason).toBe('format');
    // Birth date before check character (19000229 with a wrong check character).
    expect(expectError('110105190002290010').reason).toBe('birth-date');
    // Future birth date before check character.
    expect(expectError('110105209901010010', new Date(2025, 0, 1)).reason).toBe('future-birth-date');
  });
});

describe('parseCitizenId — birth dates', () => {
  it('19000229 is invalid, 20000229 is valid (leap years)', () => {
    expect(computeCheckCharacter('11010519000229001')).toBe('7');
    expect(expectError('110105190002290017').reason).toBe('birth-date');
    const v = expectOk('110105200002290013');
    expect(v.birthDate).toBe('2000-02-29');
    expect(v.sex).toBe('male');
  });

  it('other leap-year cases', () => {
    const ok = (body: string): string => body + computeCheckCharacter(body);
    expect(expectOk(ok('11010519960229002')).birthDate).toBe('1996-02-29');
    expect(expectError(ok('11010519970229002')).reason).toBe('birth-date');
    expect(expectError(ok('11010521000229002'), new Date(2200, 0, 1)).reason).toBe('birth-date');
    expect(expectOk(ok('11010524000229002'), new Date(2500, 0, 1)).birthDate).toBe('2400-02-29');
    expect(expectOk(ok('11010519900430002')).birthDate).toBe('1990-04-30');
    expect(expectError(ok('11010519900431002')).reason).toBe('birth-date');
    expect(expectOk(ok('11010519901231002')).birthDate).toBe('1990-12-31');
    expect(expectError(ok('11010519901232002')).reason).toBe('birth-date');
  });

  it('a birth date after a fixed today is rejected; today itself and earlier are accepted', () => {
    const today = new Date(2024, 5, 15, 23, 59, 59); // 15 June 2024, local calendar
    expect(computeCheckCharacter('11010520240615001')).toBe('6');
    expect(expectOk('110105202406150016', today).birthDate).toBe('2024-06-15');
    expect(expectOk('110105202406150016', new Date(2024, 5, 15, 0, 0, 0)).birthDate).toBe('2024-06-15');
    const e = expectError('110105202406160011', today);
    expect(e.reason).toBe('future-birth-date');
    expect(e.userMessage).toBe('身份证号中的出生日期 20240616 晚于今天，请核对第7–14位。');
    expect(expectError('110105202406150016', new Date(2024, 5, 14, 23, 59, 59)).reason).toBe('future-birth-date');
  });

  it('default today is now: a date far in the future is rejected, a past one accepted', () => {
    const body = '11010520991231001';
    expect(expectError(body + computeCheckCharacter(body)).reason).toBe('future-birth-date');
    expect(isValidCitizenId('11010519491231002X')).toBe(true);
  });

  it('an invalid Date for today falls back to now instead of throwing', () => {
    expect(parseCitizenId('11010519491231002X', { today: new Date(Number.NaN) }).ok).toBe(true);
  });
});

describe('parseCitizenId — warnings and decoded fields', () => {
  it('unknown province code → warning only', () => {
    expect(computeCheckCharacter('71010519900101001')).toBe('2');
    expect(expectOk('710105199001010012')).toEqual({
      number: '710105199001010012',
      birthDate: '1990-01-01',
      sex: 'male',
      provinceCode: '71',
      last6: '010012',
      warnings: ['unknown-province'],
    });
    expect(expectOk('999999199001010016').warnings).toEqual(['unknown-province']);
  });

  it('HK/MO/TW residence permit codes 81, 82, 83 are known', () => {
    expect(expectOk('810000199001010019')).toEqual({
      number: '810000199001010019',
      birthDate: '1990-01-01',
      sex: 'male',
      provinceCode: '81',
      last6: '010019',
      warnings: [],
    });
    for (const p of ['82', '83']) {
      const body = `${p}000019900101002`;
      const v = expectOk(body + computeCheckCharacter(body));
      expect(v.provinceCode).toBe(p);
      expect(v.sex).toBe('female');
      expect(v.warnings).toEqual([]);
    }
  });

  it('every province code of spec §1 is known, nothing else is', () => {
    for (let p = 0; p <= 99; p++) {
      const body = `${pad(p, 2)}010519900101001`;
      const v = expectOk(body + computeCheckCharacter(body));
      expect(v.warnings.includes('unknown-province')).toBe(!PROVINCES.includes(pad(p, 2)));
    }
  });

  it('birth year before 1900 → warning only', () => {
    expect(computeCheckCharacter('11010518990101001')).toBe('7');
    expect(expectOk('110105189901010017')).toEqual({
      number: '110105189901010017',
      birthDate: '1899-01-01',
      sex: 'male',
      provinceCode: '11',
      last6: '010017',
      warnings: ['born-before-1900'],
    });
    const body = '11010519000101001';
    expect(expectOk(body + computeCheckCharacter(body)).warnings).toEqual([]);
    const both = '70010518991231002';
    expect(expectOk(both + computeCheckCharacter(both)).warnings).toEqual(['unknown-province', 'born-before-1900']);
  });

  it('sex from position 17 (odd male, even female) for all ten digits', () => {
    for (let d = 0; d <= 9; d++) {
      const body = `4403061990030712${d}`;
      expect(expectOk(body + computeCheckCharacter(body)).sex).toBe(d % 2 === 1 ? 'male' : 'female');
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('error detection (MOD 11-2 catches every single substitution and adjacent transposition)', () => {
  const rand = mulberry32(20240615);
  const valid = [
    '11010519491231002X',
    '130323198601010041',
    '430411198501010037',
    '810000199001010019',
    ...Array.from({ length: 60 }, () => randomValid(rand)),
  ];
  const today = new Date(2025, 5, 30);

  it('the sample numbers are valid to begin with', () => {
    for (const n of valid) {
      expect(oracleReason(n, 20250630)).toBeNull();
      expect(parseCitizenId(n, { today }).ok).toBe(true);
    }
  });

  it('every single-character substitution is rejected', () => {
    let count = 0;
    for (const n of valid) {
      const check = n.charAt(17);
      for (let i = 0; i < 18; i++) {
        for (const c of '0123456789XA*') {
          if (c === n.charAt(i)) continue;
          const m = n.slice(0, i) + c + n.slice(i + 1);
          const r = parseCitizenId(m, { today });
          expect(r.ok, m).toBe(false);
          if (!r.ok) expect(r.error.reason).toBe(oracleReason(m, 20250630));
          // The algorithm itself: a changed body digit changes the check character; a changed check character
          // no longer matches.
          if (/^[0-9]{17}[0-9X]$/.test(m)) {
            if (i < 17) expect(computeCheckCharacter(m.slice(0, 17))).not.toBe(check);
            else expect(computeCheckCharacter(m.slice(0, 17))).not.toBe(c);
          }
          count++;
        }
      }
    }
    expect(count).toBe(valid.length * 18 * 12);
  });

  it('every adjacent transposition of distinct digits in the body is rejected', () => {
    let count = 0;
    for (const n of valid) {
      for (let i = 0; i < 16; i++) {
        const a = n.charAt(i);
        const b = n.charAt(i + 1);
        if (a === b) continue;
        const m = n.slice(0, i) + b + a + n.slice(i + 2);
        expect(computeCheckCharacter(m.slice(0, 17))).not.toBe(n.charAt(17));
        const r = parseCitizenId(m, { today });
        expect(r.ok, m).toBe(false);
        if (!r.ok) expect(r.error.reason).toBe(oracleReason(m, 20250630));
        count++;
      }
    }
    expect(count).toBeGreaterThan(valid.length * 8);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('deterministic fuzz', () => {
  it('parseCitizenId never throws and agrees with the oracle on 30,000 random and mutated strings', () => {
    const rand = mulberry32(0xc1712e1d);
    const today = new Date(2025, 5, 30);
    const todayYmd = 20250630;
    const int = (n: number): number => Math.floor(rand() * n);
    const alphabet = [
      ...'0123456789',
      ...'0123456789',
      'X', 'x', 'Ｘ', 'ｘ', ' ', '-', '\t', '\u3000', '－', '—', '\u200B',
      ...'０１２３４５６７８９',
      'A', 'z', '号', '身', '٣', '𝟘', '😀', '\uD800', '\uDC00', '\u0301', '\u0000', '\uFFFF', '.', '*', '/',
    ];
    const pick = (): string => alphabet[int(alphabet.length)] ?? '0';
    const randomCodePoint = (): string => {
      const r = rand();
      if (r < 0.05) return String.fromCharCode(0xd800 + int(0x800)); // lone surrogate
      if (r < 0.5) return String.fromCodePoint(int(0x80));
      if (r < 0.8) return String.fromCodePoint(int(0x10000));
      return String.fromCodePoint(int(0x110000));
    };

    const seeds = ['11010519491231002X', '130323198601010041', '430411198501010037', '110105491231002'];
    const generate = (k: number): string => {
      switch (k % 5) {
        case 0: // random from the mixed alphabet
          return Array.from({ length: int(24) }, pick).join('');
        case 1: // arbitrary Unicode
          return Array.from({ length: int(22) }, randomCodePoint).join('');
        case 2: // a valid number
          return randomValid(rand);
        default: {
          // mutations of valid numbers: substitute / insert / delete / swap, 1–3 times
          let s = rand() < 0.5 ? (seeds[int(seeds.length)] ?? '') : randomValid(rand);
          const edits = 1 + int(3);
          for (let e = 0; e < edits; e++) {
            const i = int(s.length + 1);
            const op = int(4);
            if (op === 0) s = s.slice(0, i) + pick() + s.slice(i + 1);
            else if (op === 1) s = s.slice(0, i) + (rand() < 0.8 ? pick() : randomCodePoint()) + s.slice(i);
            else if (op === 2) s = s.slice(0, i) + s.slice(i + 1);
            else if (i + 1 < s.length) s = s.slice(0, i) + s.charAt(i + 1) + s.charAt(i) + s.slice(i + 2);
          }
          return s;
        }
      }
    };

    const reasonsSeen = new Set<string>();
    let okCount = 0;
    const N = 30_000;
    for (let k = 0; k < N; k++) {
      const input = generate(k);
      let r: ReturnType<typeof parseCitizenId>;
      try {
        r = parseCitizenId(input, { today });
      } catch (thrown) {
        throw new Error(`parseCitizenId threw for fuzz case ${k} (${JSON.stringify(input)}): ${String(thrown)}`);
      }
      const n = normalizeCitizenId(input);
      const expected = oracleReason(n, todayYmd);
      if (r.ok) {
        okCount++;
        reasonsSeen.add('ok');
        if (expected !== null) throw new Error(`case ${k} ${JSON.stringify(input)}: ok, oracle says ${expected}`);
        const v = r.value;
        expect(v.number).toBe(n);
        expect(v.number).toMatch(/^[0-9]{17}[0-9X]$/);
        expect(v.birthDate).toBe(`${n.slice(6, 10)}-${n.slice(10, 12)}-${n.slice(12, 14)}`);
        expect(v.sex).toBe(Number(n.charAt(16)) % 2 === 1 ? 'male' : 'female');
        expect(v.provinceCode).toBe(n.slice(0, 2));
        expect(v.last6).toBe(n.slice(12));
      } else {
        const e = r.error;
        reasonsSeen.add(e.reason);
        if (!(e instanceof CitizenIdError) || !(e instanceof StationError)) {
          throw new Error(`case ${k}: error is not a CitizenIdError`);
        }
        if (e.reason !== expected) {
          throw new Error(`case ${k} ${JSON.stringify(input)}: reason ${e.reason}, oracle says ${String(expected)}`);
        }
        expect(e.code).toBe('CITIZEN_ID_INVALID');
        expect(REASONS).toContain(e.reason);
        expect(e.detail).toBe(`citizen id rejected: ${e.reason}`);
        expect(typeof e.userMessage).toBe('string');
        expect(e.userMessage.length).toBeGreaterThan(0);
        if (n.length >= 10) expect(e.userMessage).not.toContain(n);
      }
    }
    // The fuzz must actually reach every branch.
    expect([...reasonsSeen].sort()).toEqual([...REASONS, 'ok'].sort());
    expect(okCount).toBeGreaterThan(N / 10);
  });

  it('never throws for non-string values from untyped callers', () => {
    for (const bad of [undefined, null, 42, {}, []] as unknown as string[]) {
      const r = parseCitizenId(bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.reason).toBe('empty');
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('maskCitizenId', () => {
  it('keeps the first 6 and last 4 characters', () => {
    expect(maskCitizenId('11010519491231002X')).toBe('110105********002X');
    expect(maskCitizenId('430411198501010037')).toBe('430411********0037');
    expect(maskCitizenId('130323198601010041')).toBe('130323********0041');
  });

  it('normalises first', () => {
    expect(maskCitizenId(' 110105 19491231 002x ')).toBe('110105********002X');
    expect(maskCitizenId('１１０１０５１９４９１２３１００２ｘ')).toBe('110105********002X');
  });

  it('matches the kiosk contract pattern', () => {
    expect(maskCitizenId('11010519491231002X')).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
  });

  it('other lengths: never reveals more than 6 + 4 characters, short strings fully masked', () => {
    expect(maskCitizenId('110105491231002')).toBe('110105*****1002');
    expect(maskCitizenId('12345678901')).toBe('123456*8901');
    expect(maskCitizenId('1234567890')).toBe('**********');
    expect(maskCitizenId('123')).toBe('***');
    expect(maskCitizenId('')).toBe('');
  });
});

describe('isValidCitizenId', () => {
  it('true for valid numbers (warnings allowed), false otherwise', () => {
    expect(isValidCitizenId('11010519491231002X')).toBe(true);
    expect(isValidCitizenId('11010519491231002x')).toBe(true);
    expect(isValidCitizenId('710105199001010012')).toBe(true);
    expect(isValidCitizenId('110105194912310021')).toBe(false);
    expect(isValidCitizenId('110105491231002')).toBe(false);
    expect(isValidCitizenId('')).toBe(false);
  });
});
