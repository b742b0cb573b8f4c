import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCitizenId } from '../../../../../core/citizen-id/citizen-id.js';
import { parseDocumentNumber } from '../../../../../core/citizen-id/document-number.js';
import { checkCard } from '../../../../../core/idcard/card-checks.js';
import { decodeTextBlock } from '../../../../../native/idcard-reader/text-block.js';
import {
  encodeAppendedAddress,
  encodeTextBlock,
  placeholderPhoto,
  syntheticCard,
  syntheticCards,
  toCardImage,
  WLT_SIGNATURE,
  type SimulatedCard,
  type SimulatedCardText,
} from '../../../../../native/idcard-reader/simulator/card-image.js';
import { fromHex, toHex } from '../../../../../native/idcard-reader/sam-protocol.js';
import { LIN, sampleEntry, sampleRoster, ZHANG } from '../../../../support/sample-roster.js';

/** An independent reading of the spec §6 tables: one field by byte range, trailing U+0020 removed. */
const field = (block: Uint8Array, offset: number, bytes: number): string =>
  new TextDecoder('utf-16le').decode(block.subarray(offset, offset + bytes)).replace(/ +$/u, '');
const hexAt = (block: Uint8Array, offset: number, bytes: number): string =>
  toHex(block.subarray(offset, offset + bytes));
const ucs2Hex = (text: string): string => toHex(new Uint8Array(Buffer.from(text, 'utf16le')));

describe('encodeTextBlock: resident card (spec §6.1)', () => {
  const card = syntheticCard(sampleEntry(LIN));
  const block = encodeTextBlock(card);

  it('is 256 bytes with the marker U+0020 at 248 and the number at 122', () => {
    expect(block.length).toBe(256);
    expect(hexAt(block, 248, 2)).toBe('2000');
    expect(hexAt(block, 122, 36)).toBe(ucs2Hex(LIN));
    expect(hexAt(block, 122, 2)).toBe('3400'); // '4'
  });

  it('puts every field at its offset and pads with U+0020, not NUL', () => {
    expect(field(block, 0, 30)).toBe('林晓雨');
    expect(hexAt(block, 0, 30)).toBe(ucs2Hex('林晓雨') + '2000'.repeat(12));
    expect(field(block, 30, 2)).toBe('2');
    expect(field(block, 32, 4)).toBe('01');
    expect(field(block, 36, 16)).toBe('20020314');
    expect(field(block, 52, 70)).toBe(card.address);
    expect(field(block, 122, 36)).toBe(LIN);
    expect(field(block, 158, 30)).toBe(card.issuingAuthority);
    expect(field(block, 188, 16)).toBe('20220315');
    expect(field(block, 204, 16)).toBe('20320315');
    expect(hexAt(block, 220, 36)).toBe('2000'.repeat(18));
  });

  it("writes 长期 as 7F 95 1F 67 followed by six spaces", () => {
    const longTerm = encodeTextBlock({ ...card, validTo: '长期' });
    expect(hexAt(longTerm, 204, 16)).toBe(`7F951F67${'2000'.repeat(6)}`);
    expect(field(longTerm, 204, 16)).toBe('长期');
  });

  it('keeps interior spaces and leaves absent fields as spaces', () => {
    const partial: SimulatedCardText = { ...card, address: '样例 路 1号', issuingAuthority: '' };
    const out = encodeTextBlock(partial);
    expect(field(out, 52, 70)).toBe('样例 路 1号');
    expect(hexAt(out, 158, 30)).toBe('2000'.repeat(15));
  });

  it('refuses text that does not fit or is outside UCS-2, naming the field only', () => {
    expect(() => encodeTextBlock({ ...card, name: '测'.repeat(16) })).toThrow(/name: 16 characters/);
    expect(() => encodeTextBlock({ ...card, address: '地'.repeat(36) })).toThrow(RangeError);
    expect(() => encodeTextBlock({ ...card, name: '林𠀀' })).toThrow(/name: character outside UCS-2/);
    expect(() => encodeTextBlock({ ...card, name: '林𠀀' })).not.toThrow(/林/);
  });
});

describe('encodeTextBlock: other document types (spec §6.2–6.4)', () => {
  it("HMT residence permit 'J': permit number, travel permit at 220, issue count at 238, no nation code", () => {
    const card = syntheticCards.hmt();
    const block = encodeTextBlock(card);
    expect(hexAt(block, 248, 2)).toBe('4A00');
    expect(field(block, 0, 30)).toBe(card.name);
    expect(field(block, 30, 2)).toBe('2');
    expect(hexAt(block, 32, 4)).toBe('20002000');
    expect(field(block, 36, 16)).toBe('19990512');
    expect(field(block, 52, 70)).toBe(card.address);
    expect(field(block, 122, 36)).toBe(card.idNumber);
    expect(field(block, 158, 30)).toBe(card.issuingAuthority);
    expect(field(block, 188, 16)).toBe('20240110');
    expect(field(block, 204, 16)).toBe('20290110');
    expect(field(block, 220, 18)).toBe('H12345678');
    expect(field(block, 238, 4)).toBe('01');
    expect(hexAt(block, 242, 6)).toBe('2000'.repeat(3));
    expect(hexAt(block, 250, 6)).toBe('2000'.repeat(3));
  });

  it('the foreigner fixtures, read back from their chip text, carry numbers valid in their own layout', () => {
    for (const fixture of [syntheticCards.foreign2017(), syntheticCards.foreign2023()]) {
      const read = decodeTextBlock(encodeTextBlock(fixture));
      const parsed = parseDocumentNumber(read.idNumber);
      expect(parsed.ok && parsed.value.kind).toBe(read.cardType);
      expect(checkCard(read, { today: new Date(2026, 10, 23) })).toEqual([]);
    }
  });

  it('a roster candidate with a foreign number gets the card of its layout, consistent with the number', () => {
    const f2017 = syntheticCard({ name: '史密斯', citizenId: 'USA110005031237', sex: 'male' });
    expect(f2017).toMatchObject({ cardType: 'foreign-2017', name: '史密斯', idNumber: 'USA110005031237', birthDate: '20050312', sexCode: '1', authorityCode: '1100' });
    const f2023 = syntheticCard({ name: '穆勒', citizenId: syntheticCards.foreign2023().idNumber, sex: 'female' });
    expect(f2023).toMatchObject({ cardType: 'foreign-2023', name: '穆勒', birthDate: '19900304', sexCode: '2' });
    for (const made of [f2017, f2023]) {
      expect(checkCard(decodeTextBlock(encodeTextBlock(made)), { today: new Date(2026, 10, 23) })).toEqual([]);
    }
  });

  it("foreigner 2017 'I': English name at 0, 15-char number at 122, birth date at 220", () => {
    const card = syntheticCards.foreign2017();
    const block = encodeTextBlock(card);
    expect(hexAt(block, 248, 2)).toBe('4900');
    expect(field(block, 0, 120)).toBe('SAMPLE, JOHN TEST');
    expect(field(block, 120, 2)).toBe('1');
    expect(field(block, 122, 30)).toBe('USA110088071537');
    expect(field(block, 152, 6)).toBe('USA');
    expect(hexAt(block, 158, 30)).toBe('2000'.repeat(15)); // blank Chinese name
    expect(field(block, 188, 16)).toBe('20170601');
    expect(field(block, 204, 16)).toBe('20270601');
    expect(field(block, 220, 16)).toBe('19880715');
    expect(field(block, 236, 4)).toBe('01');
    expect(field(block, 240, 8)).toBe('1100');
  });

  it("foreigner 2023 'Y': resident-aligned, English name split at 52 and 220, nationality at 242", () => {
    const card = syntheticCards.foreign2023();
    const block = encodeTextBlock(card);
    const english = card.englishName ?? '';
    expect(english.length).toBeGreaterThan(35);
    expect(hexAt(block, 248, 2)).toBe('5900');
    expect(field(block, 0, 30)).toBe('穆勒');
    expect(field(block, 30, 2)).toBe('2');
    expect(field(block, 32, 4)).toBe('00');
    expect(field(block, 36, 16)).toBe('19900304');
    expect(field(block, 52, 70)).toBe(english.slice(0, 35));
    expect(field(block, 122, 36)).toBe(card.idNumber);
    expect(hexAt(block, 158, 30)).toBe('2000'.repeat(15));
    expect(field(block, 188, 16)).toBe('20240301');
    expect(field(block, 204, 16)).toBe('20340301');
    expect(field(block, 220, 22)).toBe(english.slice(35));
    expect(field(block, 52, 70) + field(block, 220, 22)).toBe(english);
    expect(field(block, 242, 6)).toBe('DEU');
    expect(() => encodeTextBlock({ ...card, englishName: 'A'.repeat(47) })).toThrow(/englishName: 47 characters, the card has room for 46/);
  });
});

/** Round trip through the spec tables for all four layouts: every field written comes back unchanged. */
describe('round trip by spec offsets', () => {
  const decoders: Record<SimulatedCard['cardType'], (b: Uint8Array) => Partial<SimulatedCardText>> = {
    resident: (b) => ({
      name: field(b, 0, 30),
      sexCode: field(b, 30, 2),
      nationCode: field(b, 32, 4),
      birthDate: field(b, 36, 16),
      address: field(b, 52, 70),
      idNumber: field(b, 122, 36),
      issuingAuthority: field(b, 158, 30),
      validFrom: field(b, 188, 16),
      validTo: field(b, 204, 16),
    }),
    'hmt-residence': (b) => ({
      name: field(b, 0, 30),
      sexCode: field(b, 30, 2),
      birthDate: field(b, 36, 16),
      address: field(b, 52, 70),
      idNumber: field(b, 122, 36),
      issuingAuthority: field(b, 158, 30),
      validFrom: field(b, 188, 16),
      validTo: field(b, 204, 16),
      travelPermitNumber: field(b, 220, 18),
      issueCount: field(b, 238, 4),
    }),
    'foreign-2017': (b) => ({
      englishName: field(b, 0, 120),
      sexCode: field(b, 120, 2),
      idNumber: field(b, 122, 30),
      nationality: field(b, 152, 6),
      name: field(b, 158, 30),
      validFrom: field(b, 188, 16),
      validTo: field(b, 204, 16),
      birthDate: field(b, 220, 16),
      cardVersion: field(b, 236, 4),
      authorityCode: field(b, 240, 8),
    }),
    'foreign-2023': (b) => ({
      name: field(b, 0, 30),
      sexCode: field(b, 30, 2),
      renewalCount: field(b, 32, 4),
      birthDate: field(b, 36, 16),
      englishName: field(b, 52, 70) + field(b, 220, 22),
      idNumber: field(b, 122, 36),
      validFrom: field(b, 188, 16),
      validTo: field(b, 204, 16),
      nationality: field(b, 242, 6),
    }),
  };
  const markers = { resident: ' ', 'hmt-residence': 'J', 'foreign-2017': 'I', 'foreign-2023': 'Y' } as const;
  const cards: SimulatedCard[] = [
    syntheticCard(sampleEntry(ZHANG)),
    { ...syntheticCard(sampleEntry(LIN)), validTo: '长期' },
    syntheticCards.hmt(),
    syntheticCards.foreign2017(),
    syntheticCards.foreign2023(),
  ];

  for (const card of cards) {
    it(`${card.cardType} ${card.validTo}`, () => {
      const block = encodeTextBlock(card);
      const decoded = decoders[card.cardType](block);
      for (const [key, value] of Object.entries(decoded)) {
        expect(value, key).toBe(card[key as keyof SimulatedCardText] ?? '');
      }
      expect(field(block, 248, 2) || ' ').toBe(markers[card.cardType]);
    });
  }
});

describe('synthetic cards', () => {
  it('builds every roster candidate: number, sex, birth date from the number, 10-year validity', () => {
    for (const entry of sampleRoster.entries) {
      const card = syntheticCard(entry);
      const id = parseCitizenId(card.idNumber);
      expect(id.ok).toBe(true);
      if (!id.ok) continue;
      expect(card.birthDate).toBe(id.value.birthDate.replaceAll('-', ''));
      expect(card.sexCode).toBe(entry.sex === 'male' ? '1' : '2');
      expect(Number(card.validTo.slice(0, 4)) - Number(card.validFrom.slice(0, 4))).toBe(10);
      expect(card.validTo.slice(4)).toBe(card.validFrom.slice(4));
      expect(() => toCardImage(card)).not.toThrow();
      expect(card.address).toMatch(/样例路\d+号$/u);
    }
  });

  it('is deterministic and carries a WLT-signature photo and 1024 fingerprint bytes by default', () => {
    const a = syntheticCard(sampleEntry(LIN));
    const b = syntheticCard(sampleEntry(LIN));
    expect(a).toEqual(b);
    expect(a.photo.length).toBe(1024);
    expect(toHex(a.photo.subarray(0, 11))).toBe('574C66007E00320000FF85');
    expect(a.photo.subarray(0, WLT_SIGNATURE.length)).toEqual(WLT_SIGNATURE);
    expect(a.fingerprint.length).toBe(1024);
    expect(syntheticCard(sampleEntry(ZHANG)).photo).not.toEqual(a.photo);
    expect(syntheticCard(sampleEntry(LIN), { fingerprintSize: 0 }).fingerprint.length).toBe(0);
    expect(placeholderPhoto('x')).toEqual(placeholderPhoto('x'));
  });

  it('HMT permit and 2023 foreigner numbers follow GB 11643 with valid check characters', () => {
    const hmt = parseCitizenId(syntheticCards.hmt().idNumber);
    expect(hmt.ok && ['81', '82', '83'].includes(hmt.value.provinceCode)).toBe(true);
    expect(syntheticCards.hmt().idNumber.slice(0, 6)).toMatch(/^8[123]0000$/);
    const foreign = parseCitizenId(syntheticCards.foreign2023().idNumber);
    expect(foreign.ok).toBe(true);
    expect(syntheticCards.foreign2023().idNumber).toMatch(/^9\d{17}$/);
    expect(syntheticCards.hmt()).not.toBe(syntheticCards.hmt());
  });
});

describe('toCardImage and appended addresses', () => {
  it('encodes appended addresses as 70-byte UCS-2LE records, space padded', () => {
    const record = encodeAppendedAddress('河南省郑州市金水区样例路9号');
    expect(record.length).toBe(70);
    expect(field(record, 0, 70)).toBe('河南省郑州市金水区样例路9号');
    expect(hexAt(record, 68, 2)).toBe('2000');
    expect(() => encodeAppendedAddress('地'.repeat(36))).toThrow(RangeError);
  });

  it('checks photo, fingerprint and address counts', () => {
    const card = syntheticCard(sampleEntry(LIN));
    expect(() => toCardImage({ ...card, photo: new Uint8Array(1000) })).toThrow(/photo/);
    expect(() => toCardImage({ ...card, fingerprint: new Uint8Array(100) })).toThrow(/fingerprint/);
    expect(() => toCardImage({ ...card, appendedAddresses: ['a', 'b', 'c', 'd', 'e'] })).toThrow(/appended/);
    expect(toCardImage({ ...card, fingerprint: new Uint8Array(512) }).fingerprint.length).toBe(512);
    expect(toCardImage({ ...card, appendedAddresses: ['a', 'b'] }).appendedAddresses).toHaveLength(2);
  });
});

const vectorsDir =
  process.env.IDCARD_VECTORS_DIR ?? fileURLToPath(new URL('../../../../../../shared/specs/vectors/', import.meta.url));

/** The published text block (test-only data, read at run time, never copied) is reproduced bit for bit. */
describe.skipIf(!existsSync(`${vectorsDir}/text-block-B.hex`))('against the published vector', () => {
  it('text-block-B', () => {
    const published = fromHex(readFileSync(`${vectorsDir}/text-block-B.hex`, 'utf8'));
    const vectors = JSON.parse(readFileSync(`${vectorsDir}/idcard-sam-vectors.json`, 'utf8')) as {
      vectors: { id: string; expect?: { text?: Record<string, string> } }[];
    };
    const text = vectors.vectors.find((v) => v.id === 'text-block-B')?.expect?.text ?? {};
    const card: SimulatedCardText = {
      cardType: 'resident',
      name: text.name ?? '',
      sexCode: text.sexCode ?? '',
      nationCode: text.nationCode ?? '',
      birthDate: text.birthDate ?? '',
      address: text.address ?? '',
      idNumber: text.idNumber ?? '',
      issuingAuthority: text.issuingAuthority ?? '',
      validFrom: text.validFrom ?? '',
      validTo: text.validTo ?? '',
    };
    expect(toHex(encodeTextBlock(card))).toBe(toHex(published));
  });
});
