import { describe, expect, it } from 'vitest';
import { computeCheckCharacter, parseCitizenId } from '../../../core/citizen-id/citizen-id.js';
import { repairCitizenNumber } from '../../../renderer/ocr/citizen-number.js';

const VALID = '11010519491231002X';
const today = new Date(2025, 0, 1);
const sure = (n: number) => Array.from({ length: n }, () => ({ text: '', confidence: 0.99 }));

describe('repairCitizenNumber', () => {
  it('keeps a valid reading as it is', () => {
    const r = repairCitizenNumber(VALID, { today });
    expect(r).toMatchObject({ value: VALID, repair: 'none', ambiguous: false });
    expect(r.parsed?.birthDate).toBe('1949-12-31');
  });

  it('maps look-alike letters when exactly one combination is valid', () => {
    const r = repairCitizenNumber('11O1O5I949I23IOO2×', { today });
    expect(r).toMatchObject({ value: VALID, repair: 'confusion', ambiguous: false });
    expect(r.parsed).toBeDefined();
  });

  it('maps B→8, S→5, Z→2 and strips spaces', () => {
    const body = '44030519950606256';
    const number = body + computeCheckCharacter(body);
    const garbled = number.replace('5', 'S').replace(/2/, 'Z');
    const r = repairCitizenNumber(` ${garbled.slice(0, 6)} ${garbled.slice(6)} `, { today });
    expect(r.value).toBe(number);
    expect(r.repair).toBe('confusion');
  });

  it('does not touch a wrong digit the recogniser was sure about', () => {
    const wrong = `1101051949123100${'3'}X`;
    expect(parseCitizenId(wrong, { today }).ok).toBe(false);
    const r = repairCitizenNumber(wrong, { today, chars: sure(18) });
    expect(r).toMatchObject({ value: wrong, parsed: undefined, repair: 'none' });
  });

  it('replaces the single doubted digit when one replacement is valid and fits the card', () => {
    const wrong = '1101051949123100' + '3X';
    const chars = sure(18);
    chars[16] = { text: '3', confidence: 0.4 };
    const r = repairCitizenNumber(wrong, { today, chars, birthDate: '19491231', sex: 'female' });
    expect(r).toMatchObject({ value: VALID, repair: 'substitution', ambiguous: false });
  });

  it('rejects a repair that contradicts the sex printed on the card', () => {
    const wrong = '1101051949123100' + '3X';
    const chars = sure(18);
    chars[16] = { text: '3', confidence: 0.4 };
    // The only valid digit at position 17 is even (female): the card says male, so nothing is accepted.
    const candidate = repairCitizenNumber(wrong, { today, chars });
    const impliedSex = candidate.parsed?.sex;
    const other = impliedSex === 'male' ? 'female' : 'male';
    const r = repairCitizenNumber(wrong, { today, chars, sex: other });
    expect(r.parsed).toBeUndefined();
    expect(r.value).toBe(wrong);
  });

  it('refuses to choose when two doubted digits each give a valid number', () => {
    // Find a corruption of a valid number where both doubted positions have a valid replacement.
    let found: { wrong: string; i: number; j: number } | undefined;
    const body = '32010219880417123';
    const number = body + computeCheckCharacter(body);
    search: for (const i of [14, 15]) {
      for (let d = 0; d <= 9; d++) {
        const wrong = number.slice(0, i) + String(d) + number.slice(i + 1);
        if (wrong === number) continue;
        for (const j of [0, 1, 2, 3, 4, 5]) {
          let valid = 0;
          for (let e = 0; e <= 9; e++) {
            const cand = wrong.slice(0, j) + String(e) + wrong.slice(j + 1);
            if (cand !== wrong && parseCitizenId(cand, { today }).ok) valid++;
          }
          if (valid === 1) {
            found = { wrong, i, j };
            break search;
          }
        }
      }
    }
    expect(found).toBeDefined();
    const { wrong, i, j } = found as { wrong: string; i: number; j: number };
    const chars = sure(18);
    chars[i] = { text: wrong[i] ?? '', confidence: 0.3 };
    chars[j] = { text: wrong[j] ?? '', confidence: 0.3 };
    const r = repairCitizenNumber(wrong, { today, chars });
    expect(r.ambiguous).toBe(true);
    expect(r.parsed).toBeUndefined();
    expect(r.value).toBe(wrong);
  });

  it('leaves readings of the wrong length alone', () => {
    const r = repairCitizenNumber('1101051949123100', { today });
    expect(r).toMatchObject({ value: '1101051949123100', parsed: undefined, repair: 'none' });
  });

  it('drops one extra character when exactly one deletion passes and agrees with the printed birth date', () => {
    // 2 read as 23 (a wide glyph split in two).
    const extra = `${VALID.slice(0, 17)}3${VALID.slice(17)}`;
    const r = repairCitizenNumber(extra, { today, birthDate: VALID.slice(6, 14) });
    expect(r).toMatchObject({ value: VALID, repair: 'substitution', ambiguous: false });
  });

  it('inserts one missing character only when a single insertion fits', () => {
    const missing = VALID.slice(0, 16) + VALID.slice(17);
    const r = repairCitizenNumber(missing, { today, birthDate: VALID.slice(6, 14), sex: 'female' });
    if (r.parsed) expect(r.value).toBe(VALID);
    else expect(r.value).toBe(missing);
  });

  it('never changes the length without the birth date from the card', () => {
    const extra = `${VALID.slice(0, 15)}3${VALID.slice(15)}`;
    const r = repairCitizenNumber(extra, { today });
    expect(r).toMatchObject({ value: extra, parsed: undefined, repair: 'none' });
  });
});
