import type { IdCardData } from '../../core/contract/id-card.js';
import { CardReaderError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { cardSex, nationName } from './code-tables.js';
import {
  MARKER_OFFSET,
  TEXT_BLOCK_SIZE,
  layoutForMarker,
  requiredTextFields,
  textLayouts,
  unknownLayoutFields,
  type Range,
  type TextField,
} from './text-layouts.js';

/**
 * The 256-byte text block of a card (spec §6): one decoder for the four known layouts, picked by the marker
 * character at offset 248. Every field is decoded from its own byte range; the block is never decoded as a
 * whole and split on spaces, because English names contain spaces.
 */

/** What the text block alone can tell: the card without photo and fingerprint. */
export type IdCardText = Omit<IdCardData, 'photoWlt' | 'photo' | 'fingerprint'>;

export { TEXT_BLOCK_SIZE };


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

/** Decodes every field a layout defines: required ones always (possibly ''), optional ones when not blank. */
function decodeFields(b: Uint8Array, cardType: IdCardText['cardType'], fields: Partial<Record<TextField, readonly Range[]>>): IdCardText {
  const value = (name: TextField): string => {
    const ranges = fields[name];
    return ranges ? field(b, name, ...ranges) : '';
  };
  const sexCode = value('sexCode');
  const card: IdCardText = {
    source: 'chip',
    cardType,
    name: value('name'),
    sex: cardSex(sexCode),
    sexCode,
    birthDate: value('birthDate'),
    idNumber: value('idNumber'),
    validFrom: value('validFrom'),
    validTo: value('validTo'),
  };
  for (const name of Object.keys(fields) as TextField[]) {
    if ((requiredTextFields as readonly string[]).includes(name)) continue;
    const text = value(name);
    if (text) (card as Record<string, unknown>)[name] = text;
  }
  // Unknown nation codes (57, 58, garbage) keep the code and get no name: showing a guess would be worse.
  const nation = card.nationCode === undefined ? undefined : nationName(card.nationCode);
  if (nation !== undefined) card.nation = nation;
  return card;
}

/**
 * Decodes a 256-byte text block. Throws CardReaderError('bad-payload') — and nothing else — for a block of
 * the wrong size or a decoded field holding control characters or unpaired surrogates.
 * Values are as stored minus right padding: dates stay raw strings (validTo may be 长期), numbers are not
 * validated here (that is the citizen-id module's job, with its own messages).
 */
export function decodeTextBlock(block: Uint8Array): IdCardText {
  if (block.length !== TEXT_BLOCK_SIZE) throw badPayload(`text block of ${block.length} bytes`);
  const marker = String.fromCharCode(block[MARKER_OFFSET]! | (block[MARKER_OFFSET + 1]! << 8));
  const type = layoutForMarker(marker);
  return type ? decodeFields(block, type, textLayouts[type].fields) : decodeFields(block, 'unknown', unknownLayoutFields);
}
