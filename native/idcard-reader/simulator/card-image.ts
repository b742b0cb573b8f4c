/**
 * Card fixtures for the virtual SAM: the inverse of the text-block layouts of spec §6, plus synthetic cards.
 * Everything here is fictional; the published test vectors must never be copied into fixtures.
 */
import { computeCheckCharacter } from '../../../core/citizen-id/citizen-id.js';
import { parseDocumentNumber } from '../../../core/citizen-id/document-number.js';
import type { IdCardData, IdCardType } from '../../../core/contract/id-card.js';
import type { RosterEntry } from '../../../core/contract/roster.js';
import { seedFromString, seededBytes } from '../../simulators/seeded-random.js';
import {
  MARKER_OFFSET,
  TEXT_BLOCK_SIZE,
  textLayouts,
  type OptionalTextField,
  type Range,
  type RequiredTextField,
  type TextField,
} from '../text-layouts.js';

export { MARKER_OFFSET, TEXT_BLOCK_SIZE };

export const PHOTO_SIZE = 1024;
export const APPENDED_ADDRESS_SIZE = 70;
export const MAX_APPENDED_ADDRESSES = 4;
export const FINGERPRINT_SIZES = [0, 512, 1024] as const;
export type FingerprintSize = (typeof FINGERPRINT_SIZES)[number];

/** Every public WLT sample starts like this (spec §7); drivers must not rely on it, the simulator may use it. */
export const WLT_SIGNATURE = Uint8Array.of(0x57, 0x4c, 0x66, 0x00, 0x7e, 0x00, 0x32, 0x00, 0x00, 0xff, 0x85);

/** Document types the simulator can encode; 'unknown' cards are built as a raw CardImage instead. */
export type SimulatedCardType = Exclude<IdCardType, 'unknown'>;


/**
 * The text of a card, named as in IdCardData so a decoded card can be compared field by field.
 * Values are stored unpadded; an absent or empty field is written as spaces ("absent" on the card).
 * Fields that the card type's layout has no room for are ignored.
 */
export type SimulatedCardText = { cardType: SimulatedCardType } & Pick<IdCardData, RequiredTextField> &
  Partial<Pick<IdCardData, OptionalTextField>>;

export type SimulatedCard = SimulatedCardText & {
  /** The 1024-byte WLT photo, opaque to the simulator. */
  photo: Uint8Array;
  /** 0, 512 or 1024 bytes of fingerprint templates. */
  fingerprint: Uint8Array;
  /** 0–4 appended addresses (住址变更), oldest first; `30 03` returns the last one. */
  appendedAddresses: readonly string[];
};

/**
 * The raw chip files as the SAM hands them out. Built from a SimulatedCard by toCardImage, or by hand for
 * cards the encoder refuses on purpose (unknown markers, odd sizes) when testing decoders.
 */
export interface CardImage {
  textBlock: Uint8Array;
  photo: Uint8Array;
  fingerprint: Uint8Array;
  /** 70 bytes each, oldest first. */
  appendedAddresses: readonly Uint8Array[];
}

// ---------------------------------------------------------------------------------------------------------------
// UCS-2 encoding

const SPACE = 0x20;

/**
 * Writes `value` as UCS-2LE into `chars` characters at `offset`, right-padded with U+0020.
 * Throws RangeError naming the field (never the value: card text is personal data).
 */
function writeField(block: Uint8Array, offset: number, chars: number, value: string, field: string): void {
  if (value.length > chars) throw new RangeError(`${field}: ${value.length} characters, the card has room for ${chars}`);
  for (let i = 0; i < chars; i += 1) {
    const unit = i < value.length ? value.charCodeAt(i) : SPACE;
    // UCS-2 has no surrogate pairs: characters outside the BMP cannot be stored on the card.
    if (unit >= 0xd800 && unit <= 0xdfff) throw new RangeError(`${field}: character outside UCS-2 (BMP)`);
    block[offset + i * 2] = unit & 0xff;
    block[offset + i * 2 + 1] = unit >> 8;
  }
}

function spaces(bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i += 2) out[i] = SPACE;
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Text block (layouts in ../text-layouts.ts, shared with the decoder)

/** The 256-byte text block of spec §6 for `card` (UCS-2LE, space padded, type marker at 248). */
export function encodeTextBlock(card: SimulatedCardText): Uint8Array {
  const layout = textLayouts[card.cardType];
  const block = spaces(TEXT_BLOCK_SIZE);
  for (const [name, ranges] of Object.entries(layout.fields) as [TextField, readonly Range[]][]) {
    const value = card[name] ?? '';
    const room = ranges.reduce((sum, [, size]) => sum + size / 2, 0);
    if (value.length > room) throw new RangeError(`${name}: ${value.length} characters, the card has room for ${room}`);
    // A value spanning several ranges continues from one into the next (the 2023 card's English name).
    let from = 0;
    for (const [offset, size] of ranges) {
      writeField(block, offset, size / 2, value.slice(from, from + size / 2), name);
      from += size / 2;
    }
  }
  writeField(block, MARKER_OFFSET, 1, layout.marker, 'marker');
  return block;
}

/** One 70-byte appended address record (spec §5.3), same encoding as the text block. */
export function encodeAppendedAddress(address: string): Uint8Array {
  const record = spaces(APPENDED_ADDRESS_SIZE);
  writeField(record, 0, APPENDED_ADDRESS_SIZE / 2, address, 'appendedAddress');
  return record;
}

/** Checks the binary parts of a card and encodes its text: what the SAM will serve. */
export function toCardImage(card: SimulatedCard): CardImage {
  if (card.photo.length !== PHOTO_SIZE) throw new RangeError(`photo must be ${PHOTO_SIZE} bytes`);
  if (!(FINGERPRINT_SIZES as readonly number[]).includes(card.fingerprint.length)) {
    throw new RangeError('fingerprint must be 0, 512 or 1024 bytes');
  }
  if (card.appendedAddresses.length > MAX_APPENDED_ADDRESSES) {
    throw new RangeError(`at most ${MAX_APPENDED_ADDRESSES} appended addresses`);
  }
  return {
    textBlock: encodeTextBlock(card),
    photo: card.photo,
    fingerprint: card.fingerprint,
    appendedAddresses: card.appendedAddresses.map(encodeAppendedAddress),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Synthetic binary parts

/** A stand-in WLT photo: the public signature prefix, then deterministic filler (not a decodable image). */
export function placeholderPhoto(seed: string): Uint8Array {
  const photo = seededBytes(seedFromString(`photo:${seed}`), PHOTO_SIZE);
  photo.set(WLT_SIGNATURE, 0);
  return photo;
}

/** Deterministic filler of a fingerprint block; the template format is not public, so nothing is modelled. */
export function placeholderFingerprint(seed: string, size: FingerprintSize): Uint8Array {
  return seededBytes(seedFromString(`fingerprint:${seed}`), size);
}

// ---------------------------------------------------------------------------------------------------------------
// Synthetic cards

/** Districts of the sample roster's region codes, so demo cards look plausible; all street names are invented. */
const districts: Readonly<Record<string, { city: string; district: string; bureau: string }>> = {
  '410102': { city: '郑州市', district: '中原区', bureau: '中原分局' },
  '410103': { city: '郑州市', district: '二七区', bureau: '二七分局' },
  '410105': { city: '郑州市', district: '金水区', bureau: '金水分局' },
  '410302': { city: '洛阳市', district: '老城区', bureau: '老城分局' },
  '410402': { city: '平顶山市', district: '新华区', bureau: '新华分局' },
  '410702': { city: '新乡市', district: '红旗区', bureau: '红旗分局' },
  '411102': { city: '漯河市', district: '源汇区', bureau: '源汇分局' },
  '411302': { city: '南阳市', district: '宛城区', bureau: '宛城分局' },
};
const fallbackDistrict = { city: '样例市', district: '样例区', bureau: '样例分局' };

/** Issue date of every synthetic resident card; with the 10-year term it is valid through the demo period. */
export const SYNTHETIC_ISSUE_DATE = '20220315';
const addTenYears = (yyyymmdd: string): string => `${Number(yyyymmdd.slice(0, 4)) + 10}${yyyymmdd.slice(4)}`;

export interface SyntheticCardOptions {
  /** Fingerprint block size; default 1024 (cards issued since 2013 usually carry two templates). */
  fingerprintSize?: FingerprintSize;
  appendedAddresses?: readonly string[];
  /** GB/T 3304 code; default '01'. */
  nationCode?: string;
}

/**
 * A resident card for a synthetic roster candidate: name, number and sex from the entry, birth date from the
 * number, an invented address in the number's district, validity 10 years from SYNTHETIC_ISSUE_DATE. A foreign
 * permanent resident number gets the fixture card of its layout with the entry's name, number, sex and birth date.
 */
export function syntheticCard(
  entry: Pick<RosterEntry, 'name' | 'citizenId' | 'sex'>,
  options: SyntheticCardOptions = {},
): SimulatedCard {
  const id = entry.citizenId;
  // A roster candidate with a foreign permanent resident number gets that card, not a resident card.
  const document = parseDocumentNumber(id);
  if (document.ok && document.value.kind !== 'resident') {
    const base = document.value.kind === 'foreign-2017' ? syntheticCards.foreign2017() : syntheticCards.foreign2023();
    return {
      ...base,
      name: entry.name,
      sexCode: entry.sex === 'male' ? '1' : '2',
      birthDate: document.value.birthDate.replaceAll('-', ''),
      idNumber: id,
      photo: placeholderPhoto(id),
      ...(document.value.kind === 'foreign-2017'
        ? { authorityCode: document.value.authorityCode, nationality: document.value.nationality }
        : {}),
    };
  }
  const place = districts[id.slice(0, 6)] ?? fallbackDistrict;
  const houseNumber = (Number(id.slice(14, 17)) % 199) + 1;
  return {
    cardType: 'resident',
    name: entry.name,
    sexCode: entry.sex === 'male' ? '1' : '2',
    nationCode: options.nationCode ?? '01',
    birthDate: id.slice(6, 14),
    address: `河南省${place.city}${place.district}样例路${houseNumber}号`,
    idNumber: id,
    issuingAuthority: `${place.city}公安局${place.bureau}`,
    validFrom: SYNTHETIC_ISSUE_DATE,
    validTo: addTenYears(SYNTHETIC_ISSUE_DATE),
    photo: placeholderPhoto(id),
    fingerprint: placeholderFingerprint(id, options.fingerprintSize ?? 1024),
    appendedAddresses: [...(options.appendedAddresses ?? [])],
  };
}

/** 17-digit body + its GB 11643 check character. */
const withCheck = (body17: string): string => body17 + computeCheckCharacter(body17);

/** Fictional non-resident documents, one per layout; each call returns a fresh object. */
export const syntheticCards = {
  /** Hong Kong resident's residence permit: region 810000, GB 11643 check character. */
  hmt(): SimulatedCard {
    const idNumber = withCheck('81000019990512002');
    return {
      cardType: 'hmt-residence',
      name: '陈嘉欣',
      sexCode: '2',
      birthDate: '19990512',
      address: '广东省深圳市福田区样例路8号',
      idNumber,
      issuingAuthority: '深圳市公安局福田分局',
      validFrom: '20240110',
      validTo: '20290110',
      travelPermitNumber: 'H12345678',
      issueCount: '01',
      photo: placeholderPhoto(idNumber),
      fingerprint: placeholderFingerprint(idNumber, 1024),
      appendedAddresses: [],
    };
  },
  /**
   * 2017 foreigner card: 15-character number, nationality + 受理地 code (the card's authority code) + YYMMDD of
   * the birth date + 2 digits (their check rule is not confirmed publicly, so none is computed).
   */
  foreign2017(): SimulatedCard {
    const idNumber = 'USA110088071537';
    return {
      cardType: 'foreign-2017',
      name: '',
      englishName: 'SAMPLE, JOHN TEST',
      sexCode: '1',
      birthDate: '19880715',
      idNumber,
      nationality: 'USA',
      validFrom: '20170601',
      validTo: '20270601',
      cardVersion: '01',
      authorityCode: '1100',
      photo: placeholderPhoto(idNumber),
      fingerprint: new Uint8Array(0),
      appendedAddresses: [],
    };
  },
  /** 2023 foreigner card: 18-digit number in GB 11643 structure (9 + province + country + birth + seq + check). */
  foreign2023(): SimulatedCard {
    const idNumber = withCheck('91127619900304024');
    return {
      cardType: 'foreign-2023',
      name: '穆勒',
      // 39 characters, so the name continues in the second English-name field at offset 220.
      englishName: 'MUELLER-SAMPLEMANN, ALEXANDRA KATHARINA',
      sexCode: '2',
      renewalCount: '00',
      birthDate: '19900304',
      idNumber,
      nationality: 'DEU',
      validFrom: '20240301',
      validTo: '20340301',
      photo: placeholderPhoto(idNumber),
      fingerprint: new Uint8Array(0),
      appendedAddresses: [],
    };
  },
};
