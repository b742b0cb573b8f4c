import { describe, expect, it } from 'vitest';
import { maskCitizenId, parseCitizenId } from '../../../core/citizen-id/citizen-id.js';
import {
  DocumentNumberError,
  documentWarningText,
  isValidDocumentNumber,
  normalizeDocumentNumber,
  parseDocumentNumber,
  type DocumentNumber,
  type DocumentNumberReason,
} from '../../../core/citizen-id/document-number.js';
import { AuditDetail } from '../../../core/audit/audit-chain.js';
import { KioskCandidate } from '../../../core/contract/kiosk.js';
import { CitizenIdString } from '../../../core/contract/roster.js';
import { StationError } from '../../../core/errors/station-error.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { redactPersonalNumbers } from '../../../core/logging/logger.js';
import { seededRandom } from '../../../native/simulators/seeded-random.js';
import { LIN } from '../../support/sample-roster.js';

const today = new Date(2026, 10, 23);

/** Independent MOD 11-2 (test oracle): Σ value × 2^(18−i) mod 11 over all 18 positions ≡ 1 (mod 11). */
const WEIGHTS = Array.from({ length: 18 }, (_, k) => 2 ** (17 - k) % 11);
function mod112Ok(n18: string): boolean {
  let s = 0;
  for (let i = 0; i < 18; i++) s += (n18[i] === 'X' ? 10 : Number(n18[i])) * (WEIGHTS[i] ?? Number.NaN);
  return s % 11 === 1;
}
function withCheck(body17: string): string {
  for (const c of '0123456789X') if (mod112Ok(body17 + c)) return body17 + c;
  throw new Error('no check character');
}

function ok(input: string): DocumentNumber {
  const parsed = parseDocumentNumber(input, { today });
  if (!parsed.ok) throw new Error(`expected ok, got ${parsed.error.kind} ${parsed.error.reason}`);
  return parsed.value;
}
function refused(input: string): DocumentNumberError {
  const parsed = parseDocumentNumber(input, { today });
  if (parsed.ok) throw new Error(`expected a refusal, got ${parsed.value.kind}`);
  return parsed.error;
}

/** 2023 layout: 9, province of the accepting office (11 Beijing), ISO numeric nationality (840 USA), birth, sequence. */
const F2023 = withCheck('91184019950612003');
/** A 2017 number: USA, accepting office 1100, born 88-07-15, then two digits. */
const F2017 = 'USA110088071537';

describe('parseDocumentNumber: resident numbers', () => {
  it('decodes a resident number exactly as parseCitizenId does', () => {
    expect(ok(LIN)).toEqual({
      kind: 'resident',
      normalized: LIN,
      birthDate: '2002-03-14',
      sex: 'female',
      provinceCode: '41',
      last6: '140223',
      warnings: [],
    });
    expect(ok('11010519491231002x')).toMatchObject({ kind: 'resident', normalized: '11010519491231002X' });
  });

  it("passes the resident refusals through with parseCitizenId's reason and message", () => {
    for (const input of ['', '4101052002031402', '410105020314022', '410105200202300223', '410105200203140224', '41010520020314022A']) {
      const mine = refused(input);
      const theirs = parseCitizenId(input, { today });
      if (theirs.ok) throw new Error('parseCitizenId accepted');
      expect(mine).toBeInstanceOf(DocumentNumberError);
      expect(mine).toBeInstanceOf(StationError);
      expect(mine.code).toBe('CITIZEN_ID_INVALID');
      expect([mine.kind, mine.reason, mine.userMessage]).toEqual(['resident', theirs.error.reason, theirs.error.userMessage]);
    }
  });
});

describe('parseDocumentNumber: foreign permanent resident card, 2023 layout', () => {
  it('decodes province, nationality, birth date and the MOD 11-2 check character', () => {
    expect(ok(F2023)).toEqual({
      kind: 'foreign-2023',
      normalized: F2023,
      birthDate: '1995-06-12',
      provinceCode: '11',
      nationalityCode: '840',
      last6: F2023.slice(12),
      warnings: [],
    });
  });

  it('accepts the numbers published by two open-source validators (hutool, credentialkit)', () => {
    // hutool IdcardUtilTest: 32 Jiangsu, 682 Saudi Arabia; credentialkit: 11 Beijing, 398 Kazakhstan.
    expect(ok('932682198501010017')).toMatchObject({ kind: 'foreign-2023', provinceCode: '32', nationalityCode: '682', birthDate: '1985-01-01' });
    expect(ok('911398199012310021')).toMatchObject({ kind: 'foreign-2023', provinceCode: '11', nationalityCode: '398', birthDate: '1990-12-31' });
  });

  it('is not refused by the resident parser either (same check, unknown province 9x only warns)', () => {
    const resident = parseCitizenId(F2023, { today });
    expect(resident.ok && resident.value.warnings).toEqual(['unknown-province']);
  });

  it('refuses a wrong check character, a date that does not exist or is in the future, and letters', () => {
    const body = F2023.slice(0, 17);
    const wrong = body + (F2023.endsWith('1') ? '2' : '1');
    expect([refused(wrong).kind, refused(wrong).reason, refused(wrong).userMessage]).toEqual([
      'foreign-2023',
      'check-digit',
      zhCN.documentNumber.foreign2023.checkDigit,
    ]);
    const feb30 = withCheck('91184019950230003');
    expect(refused(feb30)).toMatchObject({ kind: 'foreign-2023', reason: 'birth-date', userMessage: expect.stringContaining('19950230') });
    const future = withCheck('91184020270101003');
    expect(refused(future)).toMatchObject({ kind: 'foreign-2023', reason: 'future-birth-date' });
    expect(refused(`${body.slice(0, 16)}AB`)).toMatchObject({ kind: 'foreign-2023', reason: 'format' });
  });

  it('catches every single-digit substitution (what MOD 11-2 guarantees)', () => {
    for (let i = 1; i < 18; i++) {
      for (const d of '0123456789') {
        if (d === F2023[i]) continue;
        const typo = F2023.slice(0, i) + d + F2023.slice(i + 1);
        expect(isValidDocumentNumber(typo), typo).toBe(false);
      }
    }
  });

  it('warns about an unknown province at positions 2–3, in words that say so', () => {
    const odd = ok(withCheck('99984019950612003'));
    expect(odd.warnings).toEqual(['unknown-province']);
    expect(documentWarningText(odd.kind, 'unknown-province')).toBe(zhCN.documentNumber.foreign2023.provinceWarning);
    expect(documentWarningText('resident', 'unknown-province')).toBe(zhCN.citizenId.provinceWarning);
    expect(ok(withCheck('91184018890612003')).warnings).toEqual(['born-before-1900']);
  });
});

describe('parseDocumentNumber: foreign permanent resident card, 2017 layout', () => {
  it('decodes nationality, accepting office and the YYMMDD birth date at positions 8–13', () => {
    expect(ok(F2017)).toEqual({
      kind: 'foreign-2017',
      normalized: F2017,
      birthDate: '1988-07-15',
      nationality: 'USA',
      authorityCode: '1100',
      last6: '071537',
      warnings: [],
    });
    // The fixture of the card reader tests, and a number published by an open-source validator.
    expect(ok('USA110079010101').birthDate).toBe('1979-01-01');
    expect(ok('KAZ110090123105')).toMatchObject({ nationality: 'KAZ', authorityCode: '1100', birthDate: '1990-12-31' });
  });

  it('normalises lower case, spaces, hyphens and full-width characters', () => {
    for (const typed of ['usa110088071537', ' usa 1100 8807 1537 ', 'Usa-1100-880715-37', 'ＵＳＡ１１００８８０７１５３７', 'ｕｓａ110088071537']) {
      expect(normalizeDocumentNumber(typed)).toBe(F2017);
      expect(ok(typed).normalized).toBe(F2017);
    }
  });

  it('takes this century unless that is after today, and refuses dates that exist in neither', () => {
    expect(ok('USA110005031237').birthDate).toBe('2005-03-12');
    expect(ok('USA110030031237').birthDate).toBe('1930-03-12');
    expect(ok('USA110026112337').birthDate).toBe('2026-11-23'); // today
    expect(ok('USA110026112437').birthDate).toBe('1926-11-24'); // tomorrow is a century back
    expect(ok('USA110000022937').birthDate).toBe('2000-02-29');
    expect(refused('USA110001022937')).toMatchObject({ kind: 'foreign-2017', reason: 'birth-date', userMessage: expect.stringContaining('010229') });
    expect(refused('USA110088131537').reason).toBe('birth-date');
  });

  it('refuses other lengths and shapes with the layout named in the message', () => {
    expect(refused('USA11008807153')).toMatchObject({
      kind: 'foreign-2017',
      reason: 'foreign-2017-length',
      userMessage: zhCN.documentNumber.foreign2017.length(14),
    });
    expect(refused('USA1100880715370').reason).toBe('foreign-2017-length');
    for (const shape of ['US1100880715370', 'USAB10088071537', 'USA11008807153X', 'USA1100880715E7']) {
      expect(refused(shape)).toMatchObject({ kind: 'foreign-2017', reason: 'foreign-2017-format', userMessage: zhCN.documentNumber.foreign2017.format });
    }
  });

  it('never puts the number into the error message or detail', () => {
    const error = refused('USA110001022937');
    expect(error.message).not.toContain('USA1100');
    expect(error.detail).toBe('document number rejected: foreign-2017 birth-date');
  });
});

describe('CitizenIdString (roster entries, records, central API)', () => {
  it('accepts each document type in its normalised form', () => {
    for (const number of [LIN, '11010519491231002X', F2023, F2017, 'KAZ110090123105']) {
      expect(CitizenIdString.safeParse(number).success, number).toBe(true);
    }
  });

  it('refuses near misses', () => {
    const misses = [
      'usa110088071537', // not normalised
      'USA11008807153', // 14 characters
      'USA1100880715370', // 16
      'US11008807153700', // two letters
      'USA110001022937', // no such birth date
      'USA 110088071537',
      `${F2023.slice(0, 17)}${F2023.endsWith('1') ? '2' : '1'}`, // 2023 check character
      `${LIN.slice(0, 17)}4`, // resident check character
      '410105020314022', // first-generation 15 digits
      '11010519491231002x',
    ];
    for (const number of misses) expect(CitizenIdString.safeParse(number).success, number).toBe(false);
  });
});

describe('masking and redaction', () => {
  it('masks a 2017 number: nationality and accepting office kept, birth date hidden', () => {
    expect(maskCitizenId(F2017)).toBe('USA1100******37');
    expect(maskCitizenId(' usa 1100 8807 1537')).toBe('USA1100******37');
    expect(maskCitizenId(F2023)).toBe(`${F2023.slice(0, 6)}********${F2023.slice(-4)}`);
    expect(maskCitizenId(LIN)).toBe('410105********0223');
    // The kiosk's contract takes both masked forms.
    for (const masked of [maskCitizenId(F2017), maskCitizenId(F2023), maskCitizenId(LIN)]) {
      expect(KioskCandidate.shape.citizenIdMasked.safeParse(masked).success, masked).toBe(true);
    }
  });

  it('redacts 2017 numbers in log lines and refuses them in audit details', () => {
    const line = redactPersonalNumbers(JSON.stringify({ message: `lookup ${F2017} failed`, id: 'kaz110090123105' }));
    expect(line).not.toContain('880715');
    expect(line).not.toContain('901231');
    expect(line).toContain('USA1100******37');
    expect(line).toContain('KAZ1100******05');
    expect(redactPersonalNumbers('sha abcdef0123456789012345')).toBe('sha abcdef0123456789012345');
    expect(AuditDetail.safeParse(`reprint for ${F2017}`).success).toBe(false);
    expect(AuditDetail.safeParse('xlsx').success).toBe(true);
  });
});

describe('deterministic fuzz', () => {
  const reasons: ReadonlySet<DocumentNumberReason> = new Set([
    'empty',
    'legacy-15',
    'length',
    'format',
    'birth-date',
    'future-birth-date',
    'check-digit',
    'foreign-2017-length',
    'foreign-2017-format',
  ]);
  const alphabet = ['0', '1', '2', '9', '5', 'X', 'x', 'A', 'z', 'U', 'S', ' ', '-', '１', 'Ａ', 'ｘ', '\u3000', 'é', 'ß', '中', '😀', '\u0000'];

  function randomInput(rand: () => number): string {
    const kind = rand();
    const pick = () => alphabet[Math.floor(rand() * alphabet.length)] ?? '0';
    const digits = (n: number) => Array.from({ length: n }, () => String(Math.floor(rand() * 10))).join('');
    if (kind < 0.3) return Array.from({ length: Math.floor(rand() * 24) }, pick).join('');
    // Near-valid shapes reach the deeper branches: mostly plausible dates, half of them with the right check.
    const date = rand() < 0.8 ? `${19 + Math.floor(rand() * 2)}${digits(1)}${digits(1)}${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}${String(1 + Math.floor(rand() * 31)).padStart(2, '0')}` : digits(8);
    const checked = (body17: string) => (rand() < 0.5 ? withCheck(body17) : body17 + (rand() < 0.1 ? 'x' : digits(1)));
    if (kind < 0.55) return `${'UKA'.slice(0, 1 + Math.floor(rand() * 3))}${digits(4)}${date.slice(2)}${digits(1 + Math.floor(rand() * 3))}`;
    if (kind < 0.8) return checked(`9${digits(5)}${date}${digits(3)}`);
    return checked(`${digits(6)}${date}${digits(3)}`);
  }

  it('never throws: every input is a valid number of its kind or a typed, explained refusal', () => {
    const rand = seededRandom(0x5eed_f0e1);
    const seen = new Set<string>();
    for (let k = 0; k < 20_000; k++) {
      const input = randomInput(rand);
      const parsed = parseDocumentNumber(input, { today });
      if (parsed.ok) {
        seen.add(parsed.value.kind);
        expect(CitizenIdString.safeParse(parsed.value.normalized).success, input).toBe(true);
        expect(parsed.value.last6).toBe(parsed.value.normalized.slice(-6));
        expect(parsed.value.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      } else {
        seen.add(`${parsed.error.kind}:${parsed.error.reason}`);
        expect(parsed.error).toBeInstanceOf(DocumentNumberError);
        expect(reasons.has(parsed.error.reason)).toBe(true);
        expect(parsed.error.userMessage).toMatch(/[\u4e00-\u9fff]/u);
      }
    }
    // The fuzz reached every layout's acceptance and its main refusals.
    for (const branch of [
      'resident',
      'foreign-2017',
      'foreign-2023',
      'foreign-2017:foreign-2017-length',
      'foreign-2017:foreign-2017-format',
      'foreign-2017:birth-date',
      'foreign-2023:check-digit',
      'foreign-2023:birth-date',
      'resident:check-digit',
      'resident:format',
    ]) {
      expect(seen.has(branch), branch).toBe(true);
    }
  });

  it('never throws for values untyped JavaScript may pass', () => {
    for (const value of [undefined, null, 42, {}, []]) {
      const parsed = parseDocumentNumber(value as unknown as string);
      expect(parsed.ok).toBe(false);
      expect(!parsed.ok && parsed.error.reason).toBe('empty');
    }
  });
});
