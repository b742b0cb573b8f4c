/**
 * Citizen number repair after OCR. The check character (GB 11643, ISO 7064 MOD 11-2) catches every single wrong
 * character, so a misread can often be undone; a repair is accepted only when exactly one candidate survives,
 * never by picking among several.
 */
import { parseCitizenId, type CitizenId } from '../../core/citizen-id/citizen-id.js';
import type { RecognizedChar } from './engine.js';

/** Look-alike classes; a read character may stand for any member that is legal at its position. */
const CONFUSION_CLASSES: readonly string[] = ['0OoDQU', '1Il|i!', '8B', '5Ss', '2Zz', 'X×xK', '6b', '9gq', '4A', '7T'];

const classOf = new Map<string, string>();
for (const cls of CONFUSION_CLASSES) for (const ch of cls) classOf.set(ch, cls);

/** Characters allowed in the recogniser's whitelist so that look-alikes show up instead of being forced. */
export const CITIZEN_NUMBER_WHITELIST = '0123456789X';

export type NumberRepair =
  /** Read as is; check character valid. */
  | 'none'
  /** Look-alike letters mapped to the only digits that make the number valid. */
  | 'confusion'
  /**
   * One low-confidence digit replaced, or one extra (missing) character dropped (inserted): the only such change
   * that makes the number valid and fits the card.
   */
  | 'substitution';

export interface NumberResult {
  /** The number to prefill: repaired when a unique repair exists, otherwise the cleaned reading. */
  value: string;
  /** Set when `value` passes GB 11643. */
  parsed: CitizenId | undefined;
  repair: NumberRepair;
  /** More than one repair would make it valid, so none was applied. */
  ambiguous: boolean;
}

export interface NumberHints {
  /** Per-character confidences of the reading, aligned with the cleaned text when lengths agree. */
  chars?: readonly RecognizedChar[] | undefined;
  /** Birth date read from the card's 出生 line, `YYYYMMDD`, to rule out repairs that contradict it. */
  birthDate?: string | undefined;
  /** Sex read from the card's 性别 field. */
  sex?: 'male' | 'female' | undefined;
  /** Reference date for "birth date not in the future". */
  today?: Date | undefined;
  /** A digit is a substitution suspect below this confidence (0–1). */
  suspectBelow?: number | undefined;
}

/** Strip what OCR adds around the number (spaces, punctuation) but keep look-alike letters for repair. */
export function cleanNumberText(raw: string): string {
  return raw.replace(/[\s\-_.,:;'"`~·•]/gu, '').replace(/[\uFF10-\uFF19]/gu, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 0x30));
}

function legalAt(position: number, ch: string): boolean {
  return position === 17 ? /^[0-9X]$/.test(ch) : /^[0-9]$/.test(ch);
}

function fitsHints(parsed: CitizenId, hints: NumberHints): boolean {
  if (hints.birthDate !== undefined && parsed.birthDate.replaceAll('-', '') !== hints.birthDate) return false;
  if (hints.sex !== undefined && parsed.sex !== hints.sex) return false;
  return true;
}

/**
 * Repair an OCR reading of a citizen number.
 *
 * 1. Every character may be any legal member of its look-alike class (O→0, B→8, ×→X …); if exactly one
 *    combination passes the check character, it is taken (`confusion`).
 * 2. Still invalid: each low-confidence digit is tried with all other digits. A repair must also agree with the
 *    birth date and sex read elsewhere on the card, and is taken only when it is the only one (`substitution`).
 */
export function repairCitizenNumber(raw: string, hints: NumberHints = {}): NumberResult {
  const text = cleanNumberText(raw);
  const chars = Array.from(text);
  const parseOpts = { today: hints.today };
  const direct = parseCitizenId(text, parseOpts);
  if (direct.ok) return { value: direct.value.number, parsed: direct.value, repair: 'none', ambiguous: false };
  if (chars.length !== 18) {
    const fixed = repairLength(text.toUpperCase(), hints);
    if (fixed) return fixed;
    return { value: text.toUpperCase(), parsed: undefined, repair: 'none', ambiguous: false };
  }

  // Stage 1: look-alike classes.
  const options = chars.map((ch, i) => {
    const cls = classOf.get(ch) ?? ch;
    const legal = Array.from(new Set(Array.from(cls).filter((c) => legalAt(i, c))));
    return legal.length > 0 ? legal : [ch];
  });
  const combos = options.reduce((n, o) => n * o.length, 1);
  const valid = new Map<string, CitizenId>();
  if (combos <= 4096) {
    const walk = (i: number, prefix: string) => {
      if (i === 18) {
        const p = parseCitizenId(prefix, parseOpts);
        if (p.ok) valid.set(p.value.number, p.value);
        return;
      }
      for (const c of options[i] ?? []) walk(i + 1, prefix + c);
    };
    walk(0, '');
  }
  const mapped = options.map((o, i) => (o.length === 1 ? (o[0] as string) : (chars[i] as string))).join('');
  if (valid.size === 1) {
    const [number, parsed] = [...valid.entries()][0] as [string, CitizenId];
    return { value: number, parsed, repair: number === text ? 'none' : 'confusion', ambiguous: false };
  }
  if (valid.size > 1) {
    // Prefer a unique candidate that agrees with the rest of the card; otherwise refuse to guess.
    const fitting = [...valid.values()].filter((p) => fitsHints(p, hints));
    if (fitting.length === 1) {
      const parsed = fitting[0] as CitizenId;
      return { value: parsed.number, parsed, repair: 'confusion', ambiguous: false };
    }
    return { value: mapped.toUpperCase(), parsed: undefined, repair: 'none', ambiguous: true };
  }

  // Stage 2: one digit wrong. Only digits the recogniser itself doubted are suspects.
  const base = Array.from(mapped.toUpperCase());
  if (!base.every((c, i) => legalAt(i, c))) return { value: base.join(''), parsed: undefined, repair: 'none', ambiguous: false };
  const confidences = hints.chars && hints.chars.length === 18 ? hints.chars.map((c) => c.confidence) : undefined;
  if (!confidences) return { value: base.join(''), parsed: undefined, repair: 'none', ambiguous: false };
  const suspectBelow = hints.suspectBelow ?? 0.8;
  const suspects = confidences.map((c, i) => ({ c, i })).filter(({ c }) => c < suspectBelow);
  const found = new Map<string, CitizenId>();
  for (const { i } of suspects) {
    const alternatives = i === 17 ? '0123456789X' : '0123456789';
    for (const alt of alternatives) {
      if (alt === base[i]) continue;
      const candidate = [...base];
      candidate[i] = alt;
      const p = parseCitizenId(candidate.join(''), parseOpts);
      if (p.ok && fitsHints(p.value, hints)) found.set(p.value.number, p.value);
    }
  }
  if (found.size === 1) {
    const parsed = [...found.values()][0] as CitizenId;
    return { value: parsed.number, parsed, repair: 'substitution', ambiguous: false };
  }
  return { value: base.join(''), parsed: undefined, repair: 'none', ambiguous: found.size > 1 };
}

/**
 * A character too many or too few: the recogniser split one wide digit in two (8 → 38) or merged two. Only with
 * the birth date read from the card's 出生 line, which pins eight of the digits, and only when exactly one
 * deletion (or insertion) gives a number that passes the check character and agrees with the card. Reported as
 * `substitution` (a correction the operator must confirm).
 */
function repairLength(text: string, hints: NumberHints): NumberResult | undefined {
  if (hints.birthDate === undefined || !/^[0-9X]+$/u.test(text)) return undefined;
  const chars = Array.from(text);
  const found = new Map<string, CitizenId>();
  const tryCandidate = (candidate: string) => {
    if (candidate.length !== 18 || found.has(candidate)) return;
    const p = parseCitizenId(candidate, { today: hints.today });
    if (p.ok && fitsHints(p.value, hints)) found.set(p.value.number, p.value);
  };
  if (chars.length === 19) {
    for (let i = 0; i < 19; i++) tryCandidate([...chars.slice(0, i), ...chars.slice(i + 1)].join(''));
  } else if (chars.length === 20) {
    for (let i = 0; i < 20; i++) {
      for (let j = i + 1; j < 20; j++) tryCandidate(chars.filter((_, k) => k !== i && k !== j).join(''));
    }
  } else if (chars.length === 17) {
    for (let i = 0; i <= 17; i++) {
      for (const c of i === 17 ? '0123456789X' : '0123456789') tryCandidate([...chars.slice(0, i), c, ...chars.slice(i)].join(''));
    }
  } else return undefined;
  if (found.size !== 1) return undefined;
  const parsed = [...found.values()][0] as CitizenId;
  return { value: parsed.number, parsed, repair: 'substitution', ambiguous: false };
}
