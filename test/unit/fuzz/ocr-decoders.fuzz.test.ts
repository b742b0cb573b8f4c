/**
 * Fuzz of the OCR decoders that take recogniser output: whatever the model or the crop produce, they return
 * well-formed values and keep their promises (the region correction rewrites a prefix only, the number is
 * accepted only when it holds, the nation is one of the 56 names).
 */
import { describe, expect, it } from 'vitest';
import { isValidCitizenId } from '../../../core/citizen-id/citizen-id.js';
import { nationsByCode } from '../../../core/idcard/nations.js';
import { seededRandom } from '../../../native/simulators/seeded-random.js';
import { classMask, ctcGreedyDecode, parseDictionary } from '../../../renderer/ocr/ctc.js';
import { snapNation } from '../../../renderer/ocr/nation-snap.js';
import { decideNumber } from '../../../renderer/ocr/number-accept.js';
import { joinLines, squeezeGaps, toRecInput } from '../../../renderer/ocr/paddle-engine.js';
import { correctAddressPrefix, correctAuthority } from '../../../renderer/ocr/region-prefix.js';
import { regionIndex } from '../../../renderer/ocr/regions.js';

const random = seededRandom(0x0c7);
const int = (n: number) => Math.floor(random() * n);
const ALPHABET = Array.from('北京市朝阳区河南省郑州金水路号公安局分局长期年月日男女汉回满苗0123456789XO.-· \n族蒙古维吾尔');
const text = (max: number) => Array.from({ length: int(max) }, () => (random() < 0.1 ? String.fromCharCode(int(0xffff)) : ALPHABET[int(ALPHABET.length)])).join('');

describe('OCR decoder fuzz', () => {
  it('CTC decoding of random output stays inside the dictionary and the whitelist', () => {
    const dict = parseDictionary(`${ALPHABET.filter((c) => c !== '\n').join('\n')}\n`);
    for (let round = 0; round < 300; round++) {
      const steps = int(40);
      const classes = dict.length;
      const logits = Float32Array.from({ length: steps * classes }, () => (random() < 0.02 ? Number.NaN : random() * (random() < 0.5 ? 1 : 30) - 5));
      const whitelist = random() < 0.5 ? '0123456789X' : undefined;
      const r = ctcGreedyDecode(logits, steps, classes, dict, { mask: classMask(dict, whitelist), softmax: random() < 0.5 });
      expect(Array.from(r.text).length).toBeLessThanOrEqual(steps);
      expect(r.confidence).toBeGreaterThanOrEqual(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
      if (whitelist) expect(r.text).toMatch(/^[0-9X]*$/u);
      for (const c of r.chars) expect(c.confidence).toBeGreaterThanOrEqual(0);
    }
  });

  it('line images of any shape become model input of the model height or nothing', () => {
    for (let round = 0; round < 200; round++) {
      const w = 1 + int(300);
      const h = 1 + int(80);
      const data = Uint8Array.from({ length: w * h }, () => (random() < 0.1 ? int(256) : 255));
      const img = { width: w, height: h, data };
      const joined = joinLines(img);
      expect(joined.width * joined.height).toBe(joined.data.length);
      const squeezed = squeezeGaps(img, 1 + int(10));
      expect(squeezed.width).toBeLessThanOrEqual(w);
      const input = toRecInput(joined);
      if (input) {
        expect(input.data.length).toBe(3 * 48 * input.width);
        expect(input.data.every((v) => v >= -1 && v <= 1)).toBe(true);
      }
    }
  });

  it('the nation is one of the 56 names or nothing', () => {
    const names = new Set([...nationsByCode].filter(([c]) => Number(c) <= 56).map(([, n]) => n));
    for (let round = 0; round < 500; round++) {
      const snap = snapNation(text(8), nationsByCode);
      if (snap) {
        expect(names.has(snap.name)).toBe(true);
        expect(snap.confidence).toBeGreaterThanOrEqual(0);
        expect(snap.confidence).toBeLessThanOrEqual(1);
      }
    }
  });

  it('region correction rewrites at most the prefix it matched and never lengthens the rest', () => {
    const regions = regionIndex();
    for (let round = 0; round < 300; round++) {
      const read = (random() < 0.5 ? '河南省郑州市金水区' : '') + text(25);
      const fixed = correctAddressPrefix(read, regions, random() < 0.3 ? '410105' : undefined);
      if (fixed.code === undefined) expect(fixed.text).toBe(read);
      else {
        // Region names (at most 22 characters, standing for at most two characters more or fewer of the
        // reading), then the reading's own tail, untouched.
        const chars = Array.from(read);
        const out = Array.from(fixed.text);
        const splits = chars.map((_, i) => i).concat(chars.length);
        expect(
          splits.some((i) => {
            const prefix = out.length - (chars.length - i);
            return prefix >= 0 && prefix <= 22 && Math.abs(prefix - i) <= 2 && out.slice(prefix).join('') === chars.slice(i).join('');
          }),
        ).toBe(true);
      }
      const authority = correctAuthority((random() < 0.5 ? '郑州市公安局' : '') + text(8), regions);
      expect(Array.from(authority.text).length).toBeLessThanOrEqual(40);
    }
  });

  it('an accepted number is always valid and agrees with the printed birth date and sex', () => {
    for (let round = 0; round < 400; round++) {
      const body = `4101051990${String(1 + int(12)).padStart(2, '0')}${String(1 + int(28)).padStart(2, '0')}${String(int(1000)).padStart(3, '0')}`;
      const noisy = Array.from(body + (random() < 0.5 ? 'X' : String(int(10))), (c) => (random() < 0.1 ? ALPHABET[int(ALPHABET.length)] : c)).join('');
      const reads = Array.from({ length: 1 + int(3) }, () => ({
        engine: random() < 0.5 ? ('tesseract' as const) : ('paddle' as const),
        read: { text: random() < 0.8 ? noisy : text(20), confidence: random(), chars: Array.from(noisy, (c) => ({ text: c, confidence: random() })) },
      }));
      const evidence = { birthDate: random() < 0.8 ? body.slice(6, 14) : undefined, sex: random() < 0.5 ? ('male' as const) : ('female' as const) };
      const d = decideNumber(reads, evidence);
      if (d.accepted) {
        expect(isValidCitizenId(d.value)).toBe(true);
        expect(d.parsed?.birthDate.replaceAll('-', '')).toBe(evidence.birthDate);
        expect(d.parsed?.sex).toBe(evidence.sex);
        expect(d.reasons).toEqual([]);
      } else expect(d.reasons.length).toBeGreaterThan(0);
    }
  });
});
