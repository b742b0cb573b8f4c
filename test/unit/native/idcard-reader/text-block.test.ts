import { describe, expect, it } from 'vitest';
import { IdCardData } from '../../../../core/contract/id-card.js';
import { CardReaderError } from '../../../../core/errors/station-error.js';
import { zhCN } from '../../../../core/i18n/zh-CN.js';
import { cardSex, nationName } from '../../../../native/idcard-reader/code-tables.js';
import { decodeTextBlock, decodeUcs2Field } from '../../../../native/idcard-reader/text-block.js';
import { buildBlock, citizenNumber, residentBlock, syntheticResident, ucs2le } from './text-block-builder.js';

function badPayload(run: () => unknown): CardReaderError {
  try {
    run();
  } catch (thrown) {
    expect(thrown).toBeInstanceOf(CardReaderError);
    const error = thrown as CardReaderError;
    expect(error.reason).toBe('bad-payload');
    expect(error.userMessage).toBe(zhCN.cardReader.badPayload);
    return error;
  }
  throw new Error('expected a bad-payload CardReaderError');
}

describe('code tables', () => {
  it('names every GB/T 3304 code 01–56 plus 97 and 98, and nothing else', () => {
    const assigned = [...Array.from({ length: 56 }, (_, i) => String(i + 1).padStart(2, '0')), '97', '98'];
    for (const code of assigned) expect(nationName(code), code).toBeTruthy();
    expect(new Set(assigned.map((c) => nationName(c))).size).toBe(58);
    for (const code of ['00', '57', '58', '59', '96', '99', '1', '001', ' 1', '']) expect(nationName(code), code).toBeUndefined();
  });

  it('uses the card-face short names and the correct spelling of 46', () => {
    expect(nationName('01')).toBe('汉');
    expect(nationName('02')).toBe('蒙古');
    expect(nationName('46')).toBe('德昂');
    expect(nationName('56')).toBe('基诺');
    expect(nationName('97')).toBe('其他');
    expect(nationName('98')).toBe('外国血统中国籍人士');
  });

  it('maps GB/T 2261.1 sex codes and nothing else to a sex', () => {
    expect(cardSex('1')).toBe('male');
    expect(cardSex('2')).toBe('female');
    expect(cardSex('0')).toBe('unknown');
    expect(cardSex('9')).toBe('not-stated');
    for (const code of ['3', '', ' ', '男', '12', 'M']) expect(cardSex(code), code).toBe('unknown');
  });
});

describe('resident card (marker U+0020)', () => {
  it('decodes every field of a synthetic card', () => {
    const card = decodeTextBlock(residentBlock());
    expect(card).toEqual({
      source: 'chip',
      cardType: 'resident',
      name: syntheticResident.name,
      sex: 'female',
      sexCode: '2',
      nationCode: '01',
      nation: '汉',
      birthDate: syntheticResident.birthDate,
      address: syntheticResident.address,
      idNumber: syntheticResident.idNumber,
      issuingAuthority: syntheticResident.issuingAuthority,
      validFrom: '20200101',
      validTo: '20300101',
    });
    expect(IdCardData.parse(card)).toEqual(card);
  });

  it('keeps 长期 as the validTo of a long-term card', () => {
    const block = residentBlock({ validFrom: '20150601', validTo: '长期' });
    expect([...block.subarray(204, 208)]).toEqual([0x7f, 0x95, 0x1f, 0x67]);
    const card = decodeTextBlock(block);
    expect(card.validTo).toBe('长期');
    expect(card.validTo).toBe(zhCN.cardReader.longTerm);
  });

  it('names nation 46 德昂 and keeps unassigned codes without a name', () => {
    expect(decodeTextBlock(residentBlock({ nationCode: '46' }))).toMatchObject({ nationCode: '46', nation: '德昂' });
    for (const code of ['57', '58', '00', '9', 'A1']) {
      const card = decodeTextBlock(residentBlock({ nationCode: code }));
      expect(card.nationCode).toBe(code);
      expect(card).not.toHaveProperty('nation');
    }
    const none = decodeTextBlock(residentBlock({ nationCode: '' }));
    expect(none).not.toHaveProperty('nationCode');
    expect(none).not.toHaveProperty('nation');
  });

  it('maps the sex codes 0, 1, 2, 9, others and a blank', () => {
    const cases: [string, string][] = [
      ['1', 'male'],
      ['2', 'female'],
      ['0', 'unknown'],
      ['9', 'not-stated'],
      ['3', 'unknown'],
      ['', 'unknown'],
    ];
    for (const [code, sex] of cases) {
      const card = decodeTextBlock(residentBlock({ sexCode: code }));
      expect(card.sexCode).toBe(code);
      expect(card.sex).toBe(sex);
    }
  });

  it('trims trailing U+0020 and NUL only, keeping leading and interior spaces', () => {
    const block = residentBlock({ name: '阿依 古丽', address: ' 新疆 乌鲁木齐' });
    // NUL padding after the authority, and spaces then NULs at the end of the address.
    block.fill(0, 158 + ucs2le(syntheticResident.issuingAuthority).length, 188);
    block.fill(0, 52 + 70 - 6, 52 + 70);
    const card = decodeTextBlock(block);
    expect(card.name).toBe('阿依 古丽');
    expect(card.address).toBe(' 新疆 乌鲁木齐');
    expect(card.issuingAuthority).toBe(syntheticResident.issuingAuthority);
    expect(card.idNumber).toBe(syntheticResident.idNumber);
  });

  it('omits optional fields that are all padding', () => {
    const card = decodeTextBlock(residentBlock({ address: '', issuingAuthority: '' }));
    expect(card).not.toHaveProperty('address');
    expect(card).not.toHaveProperty('issuingAuthority');
    expect(IdCardData.safeParse(card).success).toBe(true);
  });

  it('accepts a valid surrogate pair (a CJK extension B character)', () => {
    expect(decodeTextBlock(residentBlock({ name: '王𠀀' })).name).toBe('王𠀀');
  });

  it('fills fields exactly to their size without losing the last character', () => {
    const name = '一二三四五六七八九十甲乙丙丁戊'; // 15 characters = 30 bytes
    const address = '地'.repeat(35);
    const card = decodeTextBlock(residentBlock({ name, address }));
    expect(card.name).toBe(name);
    expect(card.address).toBe(address);
  });
});

describe('Hong Kong / Macao / Taiwan residence permit (marker J)', () => {
  it('decodes the permit fields and has no nation', () => {
    const permit = citizenNumber('81000019900101123');
    const block = buildBlock(
      [
        [0, 30, '陈大文'],
        [30, 2, '1'],
        [32, 4, '  '],
        [36, 16, '19900101'],
        [52, 70, '广东省深圳市福田区测试路1号'],
        [122, 36, permit],
        [158, 30, '深圳市公安局'],
        [188, 16, '20190301'],
        [204, 16, '20240301'],
        [220, 18, 'H12345678'],
        [238, 4, '01'],
      ],
      'J',
    );
    const card = decodeTextBlock(block);
    expect(card).toEqual({
      source: 'chip',
      cardType: 'hmt-residence',
      name: '陈大文',
      sex: 'male',
      sexCode: '1',
      birthDate: '19900101',
      address: '广东省深圳市福田区测试路1号',
      idNumber: permit,
      issuingAuthority: '深圳市公安局',
      validFrom: '20190301',
      validTo: '20240301',
      travelPermitNumber: 'H12345678',
      issueCount: '01',
    });
    expect(IdCardData.parse(card)).toEqual(card);
  });
});

describe("foreigner's permanent residence card, 2017 (marker I)", () => {
  const englishName = 'SMITH JOHN MICHAEL ALEXANDER VAN DER BERG MARIA THERESA ANNE'; // 60 chars, fills the field

  it('decodes the English name with its interior spaces and the foreigner fields', () => {
    expect(englishName).toHaveLength(60);
    const block = buildBlock(
      [
        [0, 120, englishName],
        [120, 2, '1'],
        [122, 30, 'USA110079010101'],
        [152, 6, 'USA'],
        [158, 30, '史密斯'],
        [188, 16, '20170615'],
        [204, 16, '20270615'],
        [220, 16, '19790101'],
        [236, 4, '01'],
        [240, 8, '1100'],
      ],
      'I',
    );
    const card = decodeTextBlock(block);
    expect(card).toEqual({
      source: 'chip',
      cardType: 'foreign-2017',
      name: '史密斯',
      englishName,
      sex: 'male',
      sexCode: '1',
      birthDate: '19790101',
      idNumber: 'USA110079010101',
      validFrom: '20170615',
      validTo: '20270615',
      nationality: 'USA',
      cardVersion: '01',
      authorityCode: '1100',
    });
    expect(IdCardData.parse(card)).toEqual(card);
  });

  it('gives an empty Chinese name when the card has none', () => {
    const block = buildBlock(
      [
        [0, 120, 'DOE JANE'],
        [120, 2, '2'],
        [122, 30, 'CAN310085050501'],
        [152, 6, 'CAN'],
        [188, 16, '20180101'],
        [204, 16, '20280101'],
        [220, 16, '19850505'],
      ],
      'I',
    );
    const card = decodeTextBlock(block);
    expect(card.name).toBe('');
    expect(card.englishName).toBe('DOE JANE');
    expect(card.sex).toBe('female');
    expect(card).not.toHaveProperty('cardVersion');
    expect(IdCardData.safeParse(card).success).toBe(true);
  });
});

describe("foreigner's permanent residence card, 2023 (marker Y)", () => {
  it('joins the two halves of the English name, keeping a space that falls on the join', () => {
    // Character 35 (the last of the first half) is a space: trimming the halves separately would lose it.
    const first = 'MUELLER-LUEDENSCHEIDT ANNA KATHARI ';
    const second = 'NA SOPHIE';
    expect(first).toHaveLength(35);
    const block = buildBlock(
      [
        [0, 30, '穆安娜'],
        [30, 2, '2'],
        [32, 4, '01'],
        [36, 16, '19880808'],
        [52, 70, first],
        [122, 36, '931027688080800123'],
        [188, 16, '20230101'],
        [204, 16, '20330101'],
        [220, 22, second],
        [242, 6, 'DEU'],
        [250, 6, 'ABC'],
      ],
      'Y',
    );
    const card = decodeTextBlock(block);
    expect(card).toEqual({
      source: 'chip',
      cardType: 'foreign-2023',
      name: '穆安娜',
      englishName: `${first}${second}`,
      sex: 'female',
      sexCode: '2',
      birthDate: '19880808',
      idNumber: '931027688080800123',
      validFrom: '20230101',
      validTo: '20330101',
      renewalCount: '01',
      nationality: 'DEU',
    });
    expect(IdCardData.parse(card)).toEqual(card);
  });

  it('trims a short English name that ends in the first half', () => {
    const block = buildBlock([[52, 70, 'LEE MIN'], [30, 2, '1']], 'Y');
    expect(decodeTextBlock(block).englishName).toBe('LEE MIN');
  });
});

describe('unknown card type', () => {
  it('decodes only what every known layout shares and guesses nothing else', () => {
    for (const marker of ['Z', 'j', '\u0000', '长']) {
      const block = residentBlock();
      block.set(ucs2le(marker), 248);
      const card = decodeTextBlock(block);
      expect(card).toEqual({
        source: 'chip',
        cardType: 'unknown',
        name: '',
        sex: 'unknown',
        sexCode: '',
        birthDate: '',
        idNumber: syntheticResident.idNumber,
        validFrom: '20200101',
        validTo: '20300101',
      });
      expect(IdCardData.safeParse(card).success).toBe(true);
    }
  });

  it('ignores damage in fields it does not decode, but not in those it does', () => {
    const block = residentBlock();
    block.set(ucs2le('Q'), 248);
    block.set([0x01, 0x00], 0); // control character in the (undecoded) name
    expect(decodeTextBlock(block).cardType).toBe('unknown');
    block.set([0x00, 0xd8], 122); // lone high surrogate in the number
    badPayload(() => decodeTextBlock(block));
  });
});

describe('bad blocks', () => {
  it('rejects a block that is not exactly 256 bytes', () => {
    for (const size of [0, 1, 254, 255, 257, 512]) {
      const error = badPayload(() => decodeTextBlock(new Uint8Array(size)));
      expect(error.detail).toContain(String(size));
    }
  });

  it('rejects control characters inside a field', () => {
    for (const unit of [0x0001, 0x0009, 0x000a, 0x001f, 0x007f, 0x0085, 0x009f]) {
      const block = residentBlock();
      block.set([unit & 0xff, unit >> 8], 2); // second character of the name
      badPayload(() => decodeTextBlock(block));
    }
  });

  it('rejects an interior NUL (only trailing NULs are padding)', () => {
    const block = residentBlock({ address: '河南省郑州市' });
    block.set([0, 0], 52 + 4);
    badPayload(() => decodeTextBlock(block));
  });

  it('rejects unpaired surrogates, including a pair split across two fields', () => {
    const lone = (bytes: number[], at: number) => {
      const block = residentBlock();
      block.set(bytes, at);
      return block;
    };
    badPayload(() => decodeTextBlock(lone([0x3d, 0xd8], 0))); // high surrogate followed by a normal character
    badPayload(() => decodeTextBlock(lone([0x00, 0xdc], 2))); // low surrogate alone
    const split = residentBlock({ name: '一二三四五六七八九十甲乙丙丁' });
    split.set([0x40, 0xd8], 28); // last unit of the name: high surrogate
    split.set([0x00, 0xdc], 30); // first unit of the sex code: low surrogate
    badPayload(() => decodeTextBlock(split));
  });

  it('never puts the field value into the error detail', () => {
    const block = residentBlock();
    block.set([0x01, 0x00], 122 + 10);
    const error = badPayload(() => decodeTextBlock(block));
    expect(error.detail).toContain('idNumber');
    expect(error.detail).not.toContain(syntheticResident.idNumber.slice(0, 5));
  });

  it('rejects an odd-sized stand-alone field', () => {
    badPayload(() => decodeUcs2Field(new Uint8Array(3), 'x'));
    expect(decodeUcs2Field(ucs2le('A B  '), 'x')).toBe('A B');
  });
});
