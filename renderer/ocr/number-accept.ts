/**
 * Which reading of the citizen number to prefill, and whether it may go in without a highlight. A wrong number
 * finds the wrong candidate, so a reading is accepted only when its check character holds (as read, or with
 * look-alike letters mapped) and it agrees with the birth date and the sex printed elsewhere on the card; two
 * recognisers that read different valid numbers accept neither. Everything else is prefilled as well as it can
 * be and highlighted, as before.
 */
import type { CitizenId } from '../../core/citizen-id/citizen-id.js';
import { cleanNumberText, repairCitizenNumber, type NumberRepair } from './citizen-number.js';
import type { RecognizeResult } from './engine.js';
import type { OcrEngineName, ReviewReason } from './schema.js';

export interface NumberReading {
  engine: 'tesseract' | 'paddle';
  read: RecognizeResult;
}

export interface NumberEvidence {
  /** The 出生 line as printed and read, `YYYYMMDD` (not derived from the number). */
  birthDate?: string | undefined;
  /** The 性别 box as read. */
  sex?: 'male' | 'female' | undefined;
  today?: Date | undefined;
}

export interface NumberDecision {
  value: string;
  parsed: CitizenId | undefined;
  repair: NumberRepair;
  /** Prefilled without a highlight. */
  accepted: boolean;
  engine: OcrEngineName;
  confidence: number;
  reasons: ReviewReason[];
}

interface Scored {
  reading: NumberReading;
  value: string;
  parsed: CitizenId | undefined;
  repair: NumberRepair;
  /** Valid (no digit substituted) and in agreement with the printed birth date and sex. */
  agrees: boolean;
}

function engineOf(readings: readonly Scored[], value: string): OcrEngineName {
  const engines = new Set(readings.filter((s) => s.value === value).map((s) => s.reading.engine));
  return engines.size > 1 ? 'both' : (engines.values().next().value ?? 'tesseract');
}

export function decideNumber(readings: readonly NumberReading[], evidence: NumberEvidence): NumberDecision {
  const scored: Scored[] = readings.map((reading) => {
    const r = repairCitizenNumber(reading.read.text, { chars: reading.read.chars, birthDate: evidence.birthDate, sex: evidence.sex, today: evidence.today });
    const agrees =
      r.parsed !== undefined &&
      r.repair !== 'substitution' &&
      evidence.birthDate !== undefined &&
      r.parsed.birthDate.replaceAll('-', '') === evidence.birthDate &&
      evidence.sex !== undefined &&
      r.parsed.sex === evidence.sex;
    return { reading, value: r.value, parsed: r.parsed, repair: r.repair, agrees };
  });
  const validValues = new Set(scored.filter((s) => s.parsed && s.repair !== 'substitution').map((s) => s.value));
  const agreeing = scored.filter((s) => s.agrees);
  const agreeingValues = new Set(agreeing.map((s) => s.value));
  const first = agreeing[0];
  if (first && agreeingValues.size === 1 && validValues.size === 1) {
    return { value: first.value, parsed: first.parsed, repair: first.repair, accepted: true, engine: engineOf(scored, first.value), confidence: 0.99, reasons: [] };
  }
  if (agreeingValues.size > 1 || validValues.size > 1) {
    // Two valid numbers for one card: at least one recogniser is wrong in two places; the operator decides.
    const pick = agreeing[0] ?? scored.find((s) => s.parsed && s.repair !== 'substitution') ?? scored[0];
    return {
      value: pick?.value ?? '',
      parsed: pick?.parsed,
      repair: pick?.repair ?? 'none',
      accepted: false,
      engine: pick ? pick.reading.engine : 'tesseract',
      confidence: 0.5,
      reasons: ['low-confidence'],
    };
  }
  // One valid number that the printed birth date or sex contradicts, or that they cannot confirm (unread).
  const valid = scored.find((s) => s.parsed && s.repair !== 'substitution');
  if (valid?.parsed) {
    const reasons: ReviewReason[] = [];
    if (evidence.birthDate !== undefined && valid.parsed.birthDate.replaceAll('-', '') !== evidence.birthDate) reasons.push('birth-mismatch');
    if (evidence.sex !== undefined && valid.parsed.sex !== evidence.sex) reasons.push('sex-mismatch');
    if (reasons.length === 0) reasons.push('low-confidence');
    return { value: valid.value, parsed: valid.parsed, repair: valid.repair, accepted: false, engine: engineOf(scored, valid.value), confidence: 0.55, reasons };
  }
  // Two readings that agree on 18 characters: what the card says, valid or not (specimens and typos exist).
  const seen = new Map<string, Scored>();
  for (const s of scored) {
    const text = cleanNumberText(s.reading.read.text).toUpperCase();
    if (text.length !== 18) continue;
    const earlier = seen.get(text);
    if (earlier) {
      const engine: OcrEngineName = earlier.reading.engine === s.reading.engine ? s.reading.engine : 'both';
      return { value: text, parsed: undefined, repair: 'none', accepted: false, engine, confidence: 0.5, reasons: ['check-digit'] };
    }
    seen.set(text, s);
  }
  const substituted = scored.find((s) => s.parsed && s.repair === 'substitution');
  if (substituted) {
    return { value: substituted.value, parsed: substituted.parsed, repair: 'substitution', accepted: false, engine: substituted.reading.engine, confidence: 0.5, reasons: ['corrected'] };
  }
  // Nothing holds: the reading of 18 characters if there is one, flagged.
  const fallback = scored.find((s) => s.value.length === 18) ?? scored[0];
  return {
    value: fallback?.value ?? '',
    parsed: undefined,
    repair: 'none',
    accepted: false,
    engine: fallback?.reading.engine ?? 'tesseract',
    confidence: Math.min(0.5, fallback?.reading.read.confidence ?? 0),
    reasons: ['check-digit'],
  };
}
