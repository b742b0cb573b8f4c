import { parseCitizenId } from '../citizen-id/citizen-id.js';
import { parseDocumentNumber } from '../citizen-id/document-number.js';
import type { IdCardData } from '../contract/id-card.js';
import type { RosterEntry } from '../contract/roster.js';
import { zhCN } from '../i18n/zh-CN.js';

export type CardCheckCode =
  | 'id-invalid'
  | 'birth-mismatch'
  | 'sex-mismatch'
  | 'expired'
  | 'not-yet-valid'
  | 'name-mismatch';

/** A finding for staff. Nothing here overwrites data: the roster stays as registered, the card as read. */
export interface CardCheck {
  code: CardCheckCode;
  /** 'error' findings mean the card is not a valid identity document today. */
  severity: 'warning' | 'error';
  message: string;
}

/** Documents whose number follows GB 11643 (region, birth date, sequence, check character). */
const gb11643Types = new Set<IdCardData['cardType']>(['resident', 'hmt-residence']);
/** Foreign permanent resident cards: their number has its own layout per card version (document-number.ts). */
const foreignTypes = new Set<IdCardData['cardType']>(['foreign-2017', 'foreign-2023']);

function yyyymmdd(date: Date): string {
  return `${date.getFullYear()}${String(date.getMonth() + 1).padStart(2, '0')}${String(date.getDate()).padStart(2, '0')}`;
}

const display = (d: string) => (/^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}` : d);

/** Checks a card on its own: number, and whether the card's fields agree with it, and validity today. */
export function checkCard(card: IdCardData, options: { today: Date }): CardCheck[] {
  const checks: CardCheck[] = [];
  if (gb11643Types.has(card.cardType)) {
    const parsed = parseCitizenId(card.idNumber, { today: options.today });
    if (!parsed.ok) {
      checks.push({ code: 'id-invalid', severity: 'error', message: zhCN.cardReader.checks.checkDigit });
    } else {
      if (parsed.value.birthDate.replaceAll('-', '') !== card.birthDate) {
        checks.push({ code: 'birth-mismatch', severity: 'error', message: zhCN.cardReader.checks.birthMismatch });
      }
      if ((card.sex === 'male' || card.sex === 'female') && card.sex !== parsed.value.sex) {
        checks.push({ code: 'sex-mismatch', severity: 'error', message: zhCN.cardReader.checks.sexMismatch });
      }
    }
  }
  if (foreignTypes.has(card.cardType)) checks.push(...foreignNumberChecks(card, options.today));
  const today = yyyymmdd(options.today);
  if (/^\d{8}$/.test(card.validTo) && card.validTo < today) {
    checks.push({ code: 'expired', severity: 'error', message: zhCN.cardReader.checks.expired(display(card.validTo)) });
  }
  if (/^\d{8}$/.test(card.validFrom) && card.validFrom > today) {
    checks.push({ code: 'not-yet-valid', severity: 'error', message: zhCN.cardReader.checks.notYetValid(display(card.validFrom)) });
  }
  return checks;
}

/**
 * A foreign card's number must be valid in its card's own layout (a 2023 card with a 15-character number is a
 * misread), and its birth date must agree with the card's: all of YYYYMMDD on a 2023 card, YYMMDD on a 2017 one
 * (its number has no century). The number's sex digit is not compared: the layouts do not document one.
 */
function foreignNumberChecks(card: IdCardData, today: Date): CardCheck[] {
  const parsed = parseDocumentNumber(card.idNumber, { today });
  if (!parsed.ok || parsed.value.kind !== card.cardType) {
    return [{ code: 'id-invalid', severity: 'error', message: zhCN.cardReader.checks.checkDigit }];
  }
  const fromNumber = parsed.value.birthDate.replaceAll('-', '');
  const agrees = parsed.value.kind === 'foreign-2017' ? card.birthDate.slice(2) === fromNumber.slice(2) : card.birthDate === fromNumber;
  return agrees ? [] : [{ code: 'birth-mismatch', severity: 'error', message: zhCN.cardReader.checks.birthMismatch }];
}

const normaliseName = (name: string) => name.replace(/[\s·•.]/g, '').toUpperCase();

/** Compares the card with the registration found for its number. */
export function compareWithRoster(card: IdCardData, entry: RosterEntry): CardCheck[] {
  const cardName = card.name || card.englishName || '';
  if (normaliseName(cardName) === normaliseName(entry.name)) return [];
  return [{ code: 'name-mismatch', severity: 'warning', message: zhCN.cardReader.checks.nameMismatch(cardName, entry.name) }];
}
