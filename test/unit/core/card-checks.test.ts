import { describe, expect, it } from 'vitest';
import { computeCheckCharacter } from '../../../core/citizen-id/citizen-id.js';
import type { IdCardData } from '../../../core/contract/id-card.js';
import { checkCard, compareWithRoster } from '../../../core/idcard/card-checks.js';
import { LIN, sampleEntry } from '../../support/sample-roster.js';

const today = new Date(2026, 10, 23);

/** A synthetic resident card for 林晓雨 (sample roster), consistent with her number. */
function card(overrides: Partial<IdCardData> = {}): IdCardData {
  return {
    source: 'chip',
    cardType: 'resident',
    name: '林晓雨',
    sex: 'female',
    sexCode: '2',
    nationCode: '01',
    nation: '汉',
    birthDate: '20020314',
    address: '河南省郑州市金水区示例路1号',
    idNumber: LIN,
    issuingAuthority: '郑州市公安局金水分局',
    validFrom: '20200101',
    validTo: '20300101',
    ...overrides,
  };
}

describe('checkCard', () => {
  it('finds nothing wrong with a consistent, valid card (and a long-term one)', () => {
    expect(checkCard(card(), { today })).toEqual([]);
    expect(checkCard(card({ validTo: '长期' }), { today })).toEqual([]);
  });

  it('flags a number that fails GB 11643, e.g. a misread check character', () => {
    const body = LIN.slice(0, 17);
    const wrong = body + (computeCheckCharacter(body) === '1' ? '2' : '1');
    expect(checkCard(card({ idNumber: wrong }), { today }).map((c) => c.code)).toEqual(['id-invalid']);
  });

  it('flags birth date and sex that disagree with the number', () => {
    const checks = checkCard(card({ birthDate: '20020315', sex: 'male', sexCode: '1' }), { today });
    expect(checks.map((c) => [c.code, c.severity])).toEqual([
      ['birth-mismatch', 'error'],
      ['sex-mismatch', 'error'],
    ]);
    expect(checks[0]!.message).toBe('证件上的出生日期与号码不一致，请人工核对证件。');
  });

  it('flags expired and not-yet-valid cards with the dates', () => {
    expect(checkCard(card({ validTo: '20261122' }), { today })).toEqual([
      { code: 'expired', severity: 'error', message: '证件已过期（有效期至 2026-11-22），不能作为有效身份证件。' },
    ]);
    expect(checkCard(card({ validTo: '20261123' }), { today })).toEqual([]);
    expect(checkCard(card({ validFrom: '20261124' }), { today }).map((c) => c.code)).toEqual(['not-yet-valid']);
  });

  it("checks a 2017 foreigner card's number by its own layout: YYMMDD at positions 8–13 against the card", () => {
    const foreign = (overrides: Partial<IdCardData>) => card({ cardType: 'foreign-2017', name: '', englishName: 'SMITH, JOHN', birthDate: '19790501', ...overrides });
    expect(checkCard(foreign({ idNumber: 'USA110079050101' }), { today })).toEqual([]);
    expect(checkCard(foreign({ idNumber: 'USA110079050201' }), { today }).map((c) => c.code)).toEqual(['birth-mismatch']);
    // Not a 2017 number at all (a misread), or one whose date does not exist.
    expect(checkCard(foreign({ idNumber: 'USA11007905010' }), { today }).map((c) => c.code)).toEqual(['id-invalid']);
    expect(checkCard(foreign({ idNumber: 'USA110079023001' }), { today }).map((c) => c.code)).toEqual(['id-invalid']);
  });

  it("checks a 2023 foreigner card's number: MOD 11-2, the full birth date, and that it is a 2023 number", () => {
    const body = '91184019790501003';
    const number = body + computeCheckCharacter(body);
    const foreign = (overrides: Partial<IdCardData>) => card({ cardType: 'foreign-2023', birthDate: '19790501', ...overrides });
    expect(checkCard(foreign({ idNumber: number }), { today })).toEqual([]);
    expect(checkCard(foreign({ idNumber: number, birthDate: '19790502' }), { today }).map((c) => c.code)).toEqual(['birth-mismatch']);
    const wrong = body + (computeCheckCharacter(body) === '1' ? '2' : '1');
    expect(checkCard(foreign({ idNumber: wrong }), { today }).map((c) => c.code)).toEqual(['id-invalid']);
    // A 2017 number on a card whose chip says 2023 is not the card's number.
    expect(checkCard(foreign({ idNumber: 'USA110079050101' }), { today }).map((c) => c.code)).toEqual(['id-invalid']);
  });
});

describe('compareWithRoster', () => {
  it('warns (never overwrites) when the card name differs from the registration', () => {
    expect(compareWithRoster(card(), sampleEntry(LIN))).toEqual([]);
    expect(compareWithRoster(card({ name: '林 晓雨' }), sampleEntry(LIN))).toEqual([]);
    expect(compareWithRoster(card({ name: '林小雨' }), sampleEntry(LIN))).toEqual([
      { code: 'name-mismatch', severity: 'warning', message: '证件姓名“林小雨”与报名姓名“林晓雨”不一致，请核实。' },
    ]);
  });
});
