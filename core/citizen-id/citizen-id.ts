/**
 * Citizen identity number (公民身份号码, GB 11643-1999): normalisation, validation, decoding, masking.
 *
 * Spec: shared/specs/resident-id-number.md. Pure TypeScript, no Node or DOM APIs — used by the renderer
 * and by the host process alike.
 *
 * Personal data: the number itself never goes into `Error.message`/`detail`; only the rejection reason does.
 */
import { StationError } from '../errors/station-error.js';
import { zhCN } from '../i18n/zh-CN.js';

export type CitizenIdReason =
  | 'empty'
  | 'legacy-15'
  | 'length'
  | 'format'
  | 'birth-date'
  | 'future-birth-date'
  | 'check-digit';

export type CitizenIdWarning = 'unknown-province' | 'born-before-1900';

export interface CitizenId {
  /** Normalised 18-character number (`X` upper-case). */
  number: string;
  /** Birth date from positions 7–14, formatted `YYYY-MM-DD`. */
  birthDate: string;
  /** From position 17: odd = male, even = female. */
  sex: 'male' | 'female';
  /** Positions 1–2 (province-level code). */
  provinceCode: string;
  /** Positions 13–18. */
  last6: string;
  /** Advisory findings; the number is still valid. */
  warnings: CitizenIdWarning[];
}

export type CitizenIdParseResult = { ok: true; value: CitizenId } | { ok: false; error: CitizenIdError };

export interface CitizenIdParseOptions {
  /** Reference date for the "birth date not in the future" rule; default: now. Its local calendar date is used. */
  today?: Date | undefined;
}

/** Values passed to the catalogue text for reasons whose message is parameterised. */
interface CitizenIdErrorContext {
  /** Number of characters after normalisation (reason 'length'). */
  length?: number;
  /** Birth date digits `YYYYMMDD` (reasons 'birth-date' and 'future-birth-date'). */
  birthDate?: string;
}

function userMessageFor(reason: CitizenIdReason, context: CitizenIdErrorContext): string {
  const t = zhCN.citizenId;
  switch (reason) {
    case 'empty':
      return t.empty;
    case 'legacy-15':
      return t.legacy15;
    case 'length':
      return t.length(context.length ?? 0);
    case 'format':
      return t.format;
    case 'birth-date':
      return t.birthDate(context.birthDate ?? '');
    case 'future-birth-date':
      return t.futureBirthDate(context.birthDate ?? '');
    case 'check-digit':
      return t.checkDigit;
  }
}

/**
 * A citizen number was rejected. `reason` is for code, `userMessage` (Chinese) for the operator.
 * `detail` names the reason only — never the number.
 */
export class CitizenIdError extends StationError {
  override readonly reason: CitizenIdReason;

  constructor(reason: CitizenIdReason, context: CitizenIdErrorContext = {}) {
    super('CITIZEN_ID_INVALID', userMessageFor(reason, context), `citizen id rejected: ${reason}`);
    this.reason = reason;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Normalisation

/** Whitespace (incl. U+3000 ideographic space, NBSP) and zero-width characters. */
const SPACES = /[\s\u200B-\u200D\u2060]/gu;
/** ASCII hyphen-minus, Unicode hyphens and dashes, minus sign, full-width and small hyphen-minus. */
const HYPHENS = /[-\u2010-\u2015\u2212\uFE63\uFF0D]/gu;
/** Full-width digits U+FF10–U+FF19. */
const FULLWIDTH_DIGITS = /[\uFF10-\uFF19]/gu;

/**
 * Trim, drop inner spaces and hyphens, map full-width digits and full-width X/x to ASCII, upper-case `x`.
 * Anything else is left as is (and will then fail the format check).
 */
export function normalizeCitizenId(input: string): string {
  return input
    .trim()
    .replace(SPACES, '')
    .replace(HYPHENS, '')
    .replace(FULLWIDTH_DIGITS, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 0x30))
    .replace(/[xX\uFF38\uFF58]/gu, 'X');
}

// ---------------------------------------------------------------------------------------------------------------
// Check character (ISO 7064 MOD 11-2)

/** W(i) = 2^(i−1) mod 11 for positions 1–17 (left to right). */
const WEIGHTS: readonly number[] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** r = S mod 11 → check character. */
const CHECK_CHARS = '10X98765432';

/**
 * ISO 7064 MOD 11-2 check character for a 17-digit body: `'0'`–`'9'` or `'X'`.
 * Throws CitizenIdError('format') if `body17` is not exactly 17 ASCII digits.
 */
export function computeCheckCharacter(body17: string): string {
  if (!/^[0-9]{17}$/.test(body17)) throw new CitizenIdError('format');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (body17.charCodeAt(i) - 48) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS.charAt(sum % 11);
}

/**
 * Upgrade a first-generation 15-digit number to 18 digits (spec §4): insert `19` before the two-digit year and
 * append the check character. The input is normalised first; throws CitizenIdError('format') unless it is then
 * exactly 15 ASCII digits. The birth date is not validated here — run the result through parseCitizenId.
 */
export function upgradeLegacy15(n15: string): string {
  const n = normalizeCitizenId(n15);
  if (!/^[0-9]{15}$/.test(n)) throw new CitizenIdError('format');
  const body17 = `${n.slice(0, 6)}19${n.slice(6)}`;
  return body17 + computeCheckCharacter(body17);
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing

/** Mainland province-level codes (spec §1): 11–15, 21–23, 31–37, 41–46, 50–54, 61–65. */
export const MAINLAND_PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
]);

/** Every province-level code a resident number may carry: the mainland's and HK/MO/TW 81–83. */
const PROVINCE_CODES: ReadonlySet<string> = new Set([...MAINLAND_PROVINCE_CODES, '81', '82', '83']);

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** `YYYYMMDD` (ASCII digits) is a real Gregorian date; year 0000 does not exist. */
export function isRealDate(yyyymmdd: string): boolean {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** The local calendar date of `today` as the number YYYYMMDD; an invalid/absent Date means "now". */
export function referenceDay(today: Date | undefined): number {
  const ms = today instanceof Date ? today.getTime() : Number.NaN;
  const ref = Number.isNaN(ms) || today === undefined ? new Date() : today;
  return ref.getFullYear() * 10000 + (ref.getMonth() + 1) * 100 + ref.getDate();
}

/**
 * Validate and decode a citizen number typed, scanned or read from a card. Never throws.
 *
 * Order of checks: empty → 15 digits ('legacy-15': first-generation cards are not valid at confirmation) →
 * length ≠ 18 → format `^\d{17}[\dX]$` → real calendar birth date → birth date not after `today` →
 * check character. Unknown province code and birth year < 1900 are warnings only.
 */
export function parseCitizenId(input: string, options?: CitizenIdParseOptions): CitizenIdParseResult {
  const fail = (reason: CitizenIdReason, context?: CitizenIdErrorContext): CitizenIdParseResult => ({
    ok: false,
    error: new CitizenIdError(reason, context),
  });

  // Guard against non-string values arriving from untyped JavaScript.
  const n = typeof input === 'string' ? normalizeCitizenId(input) : '';
  if (n.length === 0) return fail('empty');
  if (/^[0-9]{15}$/.test(n)) return fail('legacy-15');

  // Count code points, not UTF-16 units, so the operator sees the number of characters they typed.
  const length = Array.from(n).length;
  if (length !== 18) return fail('length', { length });
  if (!/^[0-9]{17}[0-9X]$/.test(n)) return fail('format');

  const birth = n.slice(6, 14);
  if (!isRealDate(birth)) return fail('birth-date', { birthDate: birth });
  if (Number(birth) > referenceDay(options?.today)) return fail('future-birth-date', { birthDate: birth });

  if (computeCheckCharacter(n.slice(0, 17)) !== n.charAt(17)) return fail('check-digit');

  const provinceCode = n.slice(0, 2);
  const warnings: CitizenIdWarning[] = [];
  if (!PROVINCE_CODES.has(provinceCode)) warnings.push('unknown-province');
  if (Number(birth.slice(0, 4)) < 1900) warnings.push('born-before-1900');

  return {
    ok: true,
    value: {
      number: n,
      birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
      sex: (n.charCodeAt(16) - 48) % 2 === 1 ? 'male' : 'female',
      provinceCode,
      last6: n.slice(12),
      warnings,
    },
  };
}

/** True when `parseCitizenId(input)` succeeds (warnings allowed). */
export function isValidCitizenId(input: string): boolean {
  return parseCitizenId(input).ok;
}

/** A 2017 foreign permanent resident card number: nationality (3 letters), 受理地 code, YYMMDD, two more digits. */
const FOREIGN_2017_SHAPE = /^[A-Za-z]{3}[0-9]{12}$/;

/**
 * For public screens: keep the first 6 and last 4 characters, replace the rest with `*`
 * (`110105********002X`). The input is normalised first. Strings of 10 characters or fewer would reveal
 * everything that way and are masked completely.
 *
 * A 2017 foreign permanent resident number (`USA110090123105`) keeps what corresponds to a resident number's
 * region, its nationality and 受理地 code (7 characters), and the 2 characters after the birth date:
 * `USA1100******05`. The birth date stays hidden, as it does in a masked resident number.
 */
export function maskCitizenId(number: string): string {
  const normalized = normalizeCitizenId(number);
  if (FOREIGN_2017_SHAPE.test(normalized)) {
    const upper = normalized.toUpperCase();
    return `${upper.slice(0, 7)}******${upper.slice(13)}`;
  }
  const chars = Array.from(normalized);
  if (chars.length <= 10) return '*'.repeat(chars.length);
  return chars.slice(0, 6).join('') + '*'.repeat(chars.length - 10) + chars.slice(-4).join('');
}
