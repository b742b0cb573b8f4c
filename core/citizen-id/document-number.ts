/**
 * Identity document numbers a candidate may hold: the resident citizen number (公民身份号码, GB 11643) and the
 * foreign permanent resident ID card number (外国人永久居留身份证) in its 2017 and 2023 layouts. Normalisation,
 * validation and decoding for all three; the resident rules are citizen-id.ts's, unchanged.
 *
 * Layouts (positions 1-based; spec shared/specs/resident-id-number.md §5, idcard-reader-protocol.md §6.3/6.4):
 *
 * - resident: 18 characters, GB 11643 (6-digit region, YYYYMMDD, sequence, MOD 11-2 check character).
 *   The first digit is a province-level code, 1–8.
 * - foreign-2023 (issued from 2023-12-01): 18 characters, `9` (the foreigner marker, never a province's first
 *   digit), 2–3 the province-level code of the accepting office (受理地), 4–6 the ISO 3166-1 numeric nationality
 *   code, 7–14 YYYYMMDD, 15–17 sequence, 18 the same ISO 7064 MOD 11-2 check character as GB 11643. Sources: the
 *   National Immigration Administration's 新版永居证机读信息规则 as republished by reader vendors (first digit 9,
 *   MOD 11-2 "与公民身份号码校验方式相同"), hutool's IdcardUtil (province at 2–3), and independent validators.
 * - foreign-2017: 15 characters, 1–3 the nationality (ISO 3166-1 alpha-3, upper-case letters), 4–7 the code of
 *   the accepting office (受理地, 4 digits), 8–13 the birth date YYMMDD, 14–15 sequence and check. Two public
 *   descriptions agree on the birth date at 8–13. Only one open-source validator computes a check digit for
 *   position 15 (ICAO 9303 weights 7-3-1 over positions 1–14, letters A=10 … Z=35, mod 10), and no official or
 *   second source confirms it; refusing a real card on an unconfirmed rule would turn a candidate away, so only
 *   the structure is checked here (3 letters + 12 digits, a real birth date). A typo then fails the roster lookup
 *   instead of the check, which staff see as 未找到报名信息.
 *
 * Pure TypeScript, no Node or DOM APIs. Personal data: the number never goes into `Error.message`/`detail`.
 */
import { StationError } from '../errors/station-error.js';
import { zhCN } from '../i18n/zh-CN.js';
import {
  computeCheckCharacter,
  isRealDate,
  normalizeCitizenId,
  parseCitizenId,
  referenceDay,
  type CitizenIdParseOptions,
  type CitizenIdReason,
  type CitizenIdWarning,
  MAINLAND_PROVINCE_CODES,
} from './citizen-id.js';

export const documentKinds = ['resident', 'foreign-2017', 'foreign-2023'] as const;
export type DocumentKind = (typeof documentKinds)[number];

/** The resident reasons, and the 2017 layout's own; the 2023 layout reuses format, birth-date and check-digit. */
export type DocumentNumberReason = CitizenIdReason | 'foreign-2017-length' | 'foreign-2017-format';

export type DocumentNumberWarning = CitizenIdWarning;

interface DocumentNumberBase {
  /** Upper-case, no spaces or hyphens, ASCII digits. */
  normalized: string;
  /** `YYYY-MM-DD`. */
  birthDate: string;
  /** The last six characters (the short search); digits, or five digits and `X`. */
  last6: string;
  /** Advisory findings; the number is still valid. */
  warnings: DocumentNumberWarning[];
}

export type DocumentNumber =
  | (DocumentNumberBase & {
      kind: 'resident';
      /** From position 17: odd = male, even = female. */
      sex: 'male' | 'female';
      /** Positions 1–2. */
      provinceCode: string;
    })
  | (DocumentNumberBase & {
      kind: 'foreign-2017';
      /** Positions 1–3: ISO 3166-1 alpha-3. */
      nationality: string;
      /** Positions 4–7: the accepting office (受理地). */
      authorityCode: string;
    })
  | (DocumentNumberBase & {
      kind: 'foreign-2023';
      /** Positions 2–3: province-level code of the accepting office (受理地). */
      provinceCode: string;
      /** Positions 4–6: ISO 3166-1 numeric. */
      nationalityCode: string;
    });

/**
 * A document number was rejected. `kind` is the layout the input was judged by (from its first characters),
 * `reason` is for code, `userMessage` (Chinese) for the operator; `detail` never holds the number.
 */
export class DocumentNumberError extends StationError {
  override readonly reason: DocumentNumberReason;
  readonly kind: DocumentKind;

  constructor(kind: DocumentKind, reason: DocumentNumberReason, userMessage: string) {
    super('CITIZEN_ID_INVALID', userMessage, `document number rejected: ${kind} ${reason}`);
    this.kind = kind;
    this.reason = reason;
  }
}

export type DocumentNumberParseResult = { ok: true; value: DocumentNumber } | { ok: false; error: DocumentNumberError };

// ---------------------------------------------------------------------------------------------------------------
// Normalisation

/** Full-width Latin letters U+FF21–FF3A and U+FF41–FF5A. */
const FULLWIDTH_LETTERS = /[\uFF21-\uFF3A\uFF41-\uFF5A]/gu;

/**
 * normalizeCitizenId (trim, no spaces or hyphens, full-width digits, `x` → `X`) plus upper-case ASCII letters
 * (full-width ones mapped first), so a 2017 number typed `usa 1100 9012 3105` is `USA110090123105`. Only ASCII
 * letters change case: other characters keep their length and then fail the format check.
 */
export function normalizeDocumentNumber(input: string): string {
  const ascii = input.replace(FULLWIDTH_LETTERS, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  return normalizeCitizenId(ascii).replace(/[a-z]/g, (c) => c.toUpperCase());
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing


const FOREIGN_2017 = /^[A-Z]{3}[0-9]{12}$/;
const FOREIGN_2023 = /^9[0-9]{16}[0-9X]$/;

const isoDate = (yyyymmdd: string) => `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;

/** The layout a normalised number is judged by: a letter first is the 2017 card, 18 characters from 9 the 2023 card. */
function kindOf(n: string): DocumentKind {
  if (/^[A-Z]/.test(n)) return 'foreign-2017';
  if (n.startsWith('9') && Array.from(n).length === 18) return 'foreign-2023';
  return 'resident';
}

/**
 * The full birth date of a 2017 number's YYMMDD: this century unless that is after today, else the last one.
 * Candidates for an exam are not a hundred years old; a card's chip carries the full date for a cross-check.
 */
function birthDate2017(yymmdd: string, today: number): string | undefined {
  for (const century of ['20', '19']) {
    const full = century + yymmdd;
    if (isRealDate(full) && Number(full) <= today) return full;
  }
  return undefined;
}

function parseForeign2017(n: string, today: number): DocumentNumberParseResult {
  const t = zhCN.documentNumber.foreign2017;
  const fail = (reason: DocumentNumberReason, message: string): DocumentNumberParseResult => ({
    ok: false,
    error: new DocumentNumberError('foreign-2017', reason, message),
  });
  const length = Array.from(n).length;
  if (length !== 15) return fail('foreign-2017-length', t.length(length));
  if (!FOREIGN_2017.test(n)) return fail('foreign-2017-format', t.format);
  const yymmdd = n.slice(7, 13);
  const birth = birthDate2017(yymmdd, today);
  if (birth === undefined) return fail('birth-date', t.birthDate(yymmdd));
  return {
    ok: true,
    value: {
      kind: 'foreign-2017',
      normalized: n,
      birthDate: isoDate(birth),
      last6: n.slice(9),
      nationality: n.slice(0, 3),
      authorityCode: n.slice(3, 7),
      warnings: [],
    },
  };
}

function parseForeign2023(n: string, today: number): DocumentNumberParseResult {
  const t = zhCN.documentNumber.foreign2023;
  const fail = (reason: DocumentNumberReason, message: string): DocumentNumberParseResult => ({
    ok: false,
    error: new DocumentNumberError('foreign-2023', reason, message),
  });
  if (!FOREIGN_2023.test(n)) return fail('format', t.format);
  const birth = n.slice(6, 14);
  if (!isRealDate(birth)) return fail('birth-date', t.birthDate(birth));
  if (Number(birth) > today) return fail('future-birth-date', t.futureBirthDate(birth));
  if (computeCheckCharacter(n.slice(0, 17)) !== n.charAt(17)) return fail('check-digit', t.checkDigit);
  const provinceCode = n.slice(1, 3);
  const warnings: DocumentNumberWarning[] = [];
  // A 2023 card is issued by a mainland office (positions 2–3).
  if (!MAINLAND_PROVINCE_CODES.has(provinceCode)) warnings.push('unknown-province');
  if (Number(birth.slice(0, 4)) < 1900) warnings.push('born-before-1900');
  return {
    ok: true,
    value: {
      kind: 'foreign-2023',
      normalized: n,
      birthDate: isoDate(birth),
      last6: n.slice(12),
      provinceCode,
      nationalityCode: n.slice(3, 6),
      warnings,
    },
  };
}

/**
 * Validate and decode a document number typed, scanned, imported or read from a card. Never throws.
 *
 * The layout comes from the first characters: a letter → 2017 foreign card; `9` and 18 characters → 2023 foreign
 * card; anything else → resident number, checked by parseCitizenId exactly as before (its messages included).
 */
export function parseDocumentNumber(input: string, options?: CitizenIdParseOptions): DocumentNumberParseResult {
  // Guard against non-string values arriving from untyped JavaScript.
  const n = typeof input === 'string' ? normalizeDocumentNumber(input) : '';
  const today = referenceDay(options?.today);
  switch (kindOf(n)) {
    case 'foreign-2017':
      return parseForeign2017(n, today);
    case 'foreign-2023':
      return parseForeign2023(n, today);
    case 'resident': {
      const parsed = parseCitizenId(n, options);
      if (!parsed.ok) return { ok: false, error: new DocumentNumberError('resident', parsed.error.reason, parsed.error.userMessage) };
      const { number, birthDate, sex, provinceCode, last6, warnings } = parsed.value;
      return { ok: true, value: { kind: 'resident', normalized: number, birthDate, sex, provinceCode, last6, warnings } };
    }
  }
}

/** True when `parseDocumentNumber(input)` succeeds (warnings allowed). */
export function isValidDocumentNumber(input: string): boolean {
  return parseDocumentNumber(input).ok;
}

/** The operator's text for a warning; the province code sits at positions 2–3 of a 2023 foreign number. */
export function documentWarningText(kind: DocumentKind, warning: DocumentNumberWarning): string {
  if (warning === 'born-before-1900') return zhCN.citizenId.oldBirthWarning;
  return kind === 'foreign-2023' ? zhCN.documentNumber.foreign2023.provinceWarning : zhCN.citizenId.provinceWarning;
}
