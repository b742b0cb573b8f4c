import type { IdCardData } from '../../core/contract/id-card.js';
import { CardReaderError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { cardSex, nationName } from './code-tables.js';

/**
 * The 256-byte text block of a card (spec §6): one decoder for the four known layouts, picked by the marker
 * character at offset 248. Every field is decoded from its own byte range; the block is never decoded as a
 * whole and split on spaces, because English names contain spaces.
 */

/** What the text block alone can tell: the card without photo and fingerprint. */
export type IdCardText = Omit<IdCardData, 'photoWlt' | 'photo' | 'fingerprint'>;

export const TEXT_BLOCK_SIZE = 256;
const MARKER_OFFSET = 248;

/** A byte range inside the block: [offset, size]. */
type Range = readonly [offset: number, size: number];

function badPayload(detail: string): CardReaderError {
  return new CardReaderError('bad-payload', detail, zhCN.cardReader.badPayload);
}

function isControl(unit: number): boolean {
  return unit < 0x20 || (unit >= 0x7f && unit <= 0x9f);
}

/**
 * Decodes one field (UCS-2LE, possibly spread over several ranges, as the 2023 foreigner card's English
 * name is) and removes the right-hand padding. Only U+0020 and NUL count as padding; leading and interior
 * spaces are data. A control character or a lone surrogate means the block is damaged or not text at all,
 * so the field is rejected instead of being shown with replacement characters.
 * `name` goes into the error detail; the value never does (it is personal data).
 */
function field(block: Uint8Array, name: string, ...ranges: Range[]): string {
  const units: number[] = [];
  for (const [offset, size] of ranges) {
    for (let i = offset; i < offset + size; i += 2) units.push(block[i]! | (block[i + 1]! << 8));
  }
  let end = units.length;
  while (end > 0 && (units[end - 1] === 0x20 || units[end - 1] === 0)) end -= 1;
  for (let i = 0; i < end; i += 1) {
    const unit = units[i]!;
    if (isControl(unit)) throw badPayload(`${name}: control character`);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = i + 1 < end ? units[i + 1]! : -1;
      if (next < 0xdc00 || next > 0xdfff) throw badPayload(`${name}: unpaired surrogate`);
      i += 1; // the low half of a valid pair
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      throw badPayload(`${name}: unpaired surrogate`);
    }
  }
  return String.fromCharCode(...units.slice(0, end));
}

/**
 * One stand-alone UCS-2LE field with the text block's rules (used for the 70-byte newest-address reply).
 * Throws CardReaderError('bad-payload') like decodeTextBlock.
 */
export function decodeUcs2Field(bytes: Uint8Array, name: string): string {
  if (bytes.length % 2 !== 0) throw badPayload(`${name}: odd byte count ${bytes.length}`);
  return field(bytes, name, [0, bytes.length]);
}

/** Fields every layout has, in the places that layout keeps them. */
interface Common {
  name: string;
  sexCode: string;
  birthDate: string;
  idNumber: string;
  validFrom: string;
  validTo: string;
}

function base(cardType: IdCardText['cardType'], c: Common): IdCardText {
  return {
    source: 'chip',
    cardType,
    name: c.name,
    sex: cardSex(c.sexCode),
    sexCode: c.sexCode,
    birthDate: c.birthDate,
    idNumber: c.idNumber,
    validFrom: c.validFrom,
    validTo: c.validTo,
  };
}

/** Resident identity card (marker U+0020, spec §6.1). */
function resident(b: Uint8Array): IdCardText {
  const card = base('resident', {
    name: field(b, 'name', [0, 30]),
    sexCode: field(b, 'sexCode', [30, 2]),
    birthDate: field(b, 'birthDate', [36, 16]),
    idNumber: field(b, 'idNumber', [122, 36]),
    validFrom: field(b, 'validFrom', [188, 16]),
    validTo: field(b, 'validTo', [204, 16]),
  });
  const nationCode = field(b, 'nationCode', [32, 4]);
  if (nationCode) {
    card.nationCode = nationCode;
    // Unknown codes (57, 58, garbage) keep the code and get no name: showing a guess would be worse.
    const nation = nationName(nationCode);
    if (nation !== undefined) card.nation = nation;
  }
  const address = field(b, 'address', [52, 70]);
  if (address) card.address = address;
  const authority = field(b, 'issuingAuthority', [158, 30]);
  if (authority) card.issuingAuthority = authority;
  return card;
}

/** Hong Kong / Macao / Taiwan residents' residence permit (marker 'J', spec §6.2): no nation code. */
function hmtResidence(b: Uint8Array): IdCardText {
  const card = base('hmt-residence', {
    name: field(b, 'name', [0, 30]),
    sexCode: field(b, 'sexCode', [30, 2]),
    birthDate: field(b, 'birthDate', [36, 16]),
    idNumber: field(b, 'idNumber', [122, 36]),
    validFrom: field(b, 'validFrom', [188, 16]),
    validTo: field(b, 'validTo', [204, 16]),
  });
  const address = field(b, 'address', [52, 70]);
  if (address) card.address = address;
  const authority = field(b, 'issuingAuthority', [158, 30]);
  if (authority) card.issuingAuthority = authority;
  const travelPermit = field(b, 'travelPermitNumber', [220, 18]);
  if (travelPermit) card.travelPermitNumber = travelPermit;
  const issueCount = field(b, 'issueCount', [238, 4]);
  if (issueCount) card.issueCount = issueCount;
  return card;
}

/** Foreigner's permanent residence ID card, 2017 layout (marker 'I', spec §6.3): English name first. */
function foreign2017(b: Uint8Array): IdCardText {
  const card = base('foreign-2017', {
    // The Chinese name is blank on many of these cards; the schema then wants ''.
    name: field(b, 'name', [158, 30]),
    sexCode: field(b, 'sexCode', [120, 2]),
    birthDate: field(b, 'birthDate', [220, 16]),
    idNumber: field(b, 'idNumber', [122, 30]),
    validFrom: field(b, 'validFrom', [188, 16]),
    validTo: field(b, 'validTo', [204, 16]),
  });
  const englishName = field(b, 'englishName', [0, 120]);
  if (englishName) card.englishName = englishName;
  const nationality = field(b, 'nationality', [152, 6]);
  if (nationality) card.nationality = nationality;
  const version = field(b, 'cardVersion', [236, 4]);
  if (version) card.cardVersion = version;
  const authorityCode = field(b, 'authorityCode', [240, 8]);
  if (authorityCode) card.authorityCode = authorityCode;
  return card;
}

/** Foreigner's permanent residence ID card, 2023 layout (marker 'Y', spec §6.4): aligned with the resident card. */
function foreign2023(b: Uint8Array): IdCardText {
  const card = base('foreign-2023', {
    name: field(b, 'name', [0, 30]),
    sexCode: field(b, 'sexCode', [30, 2]),
    birthDate: field(b, 'birthDate', [36, 16]),
    idNumber: field(b, 'idNumber', [122, 36]),
    validFrom: field(b, 'validFrom', [188, 16]),
    validTo: field(b, 'validTo', [204, 16]),
  });
  // Characters 1–35 and 36–46 are one name: join the raw halves before trimming, or a space at position 35
  // (a word boundary) would vanish.
  const englishName = field(b, 'englishName', [52, 70], [220, 22]);
  if (englishName) card.englishName = englishName;
  const renewalCount = field(b, 'renewalCount', [32, 4]);
  if (renewalCount) card.renewalCount = renewalCount;
  const nationality = field(b, 'nationality', [242, 6]);
  if (nationality) card.nationality = nationality;
  // Offset 250 (link to the previous card number) has no known encoding; not decoded.
  return card;
}

/**
 * Unknown marker: no layout is known, so nothing is guessed (spec §6.4). Only what sits in the same place in
 * all four known layouts is decoded: the number starting at 122 and the validity dates at 188/204. Name, sex
 * and birth date move between layouts and stay empty.
 */
function unknown(b: Uint8Array): IdCardText {
  return base('unknown', {
    name: '',
    sexCode: '',
    birthDate: '',
    idNumber: field(b, 'idNumber', [122, 36]),
    validFrom: field(b, 'validFrom', [188, 16]),
    validTo: field(b, 'validTo', [204, 16]),
  });
}

/**
 * Decodes a 256-byte text block. Throws CardReaderError('bad-payload') — and nothing else — for a block of
 * the wrong size or a decoded field holding control characters or unpaired surrogates.
 * Values are as stored minus right padding: dates stay raw strings (validTo may be 长期), numbers are not
 * validated here (that is the citizen-id module's job, with its own messages).
 */
export function decodeTextBlock(block: Uint8Array): IdCardText {
  if (block.length !== TEXT_BLOCK_SIZE) throw badPayload(`text block of ${block.length} bytes`);
  const marker = block[MARKER_OFFSET]! | (block[MARKER_OFFSET + 1]! << 8);
  switch (marker) {
    case 0x20:
      return resident(block);
    case 0x4a: // 'J'
      return hmtResidence(block);
    case 0x49: // 'I'
      return foreign2017(block);
    case 0x59: // 'Y'
      return foreign2023(block);
    default:
      return unknown(block);
  }
}
