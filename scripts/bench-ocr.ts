/**
 * OCR benchmark: per-field exact-match rates and time per card, for the field pipeline and, in the same run,
 * for whole-image OCR (the baseline), on the fixture cards and on generated synthetic cards.
 *
 *   npx tsx scripts/bench-ocr.ts [--count 200] [--seed 1] [--perturb mild|strong|mixed] [--baseline-count N]
 *                                [--fixtures DIR] [--json out.json] [--lang-variant 4.0.0|4.0.0_best_int]
 *
 * --lang-variant picks the @tesseract.js-data folder; the default is OCR_LANG_VARIANT, what the build ships.
 *
 * Prints no card content (names, numbers): only rates and timings.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { OcrEngine } from '../renderer/ocr/engine.js';
import { toGray, type RgbaImage } from '../renderer/ocr/image.js';
import { recognizeBack, recognizeFront } from '../renderer/ocr/pipeline.js';
import { CardGenerator, type GeneratedCard } from '../test/support/ocr/generator.js';
import { createNodeEngine, decodeImageFile, nationTable, nodeLangPaths } from '../test/support/ocr/node-adapter.js';
import type { SyntheticIdentity } from '../test/support/ocr/synthetic-identity.js';
import { sharedFixturesDir } from '../test/support/shared-fixtures.js';

type FieldKey = 'name' | 'sex' | 'nation' | 'birthDate' | 'address' | 'idNumber' | 'issuingAuthority' | 'validFrom' | 'validTo';
type Fields = Partial<Record<FieldKey, string>>;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

class Tally {
  readonly hits = new Map<FieldKey, number>();
  readonly totals = new Map<FieldKey, number>();
  readonly times: number[] = [];
  add(truth: Fields, got: Fields): void {
    for (const [k, v] of Object.entries(truth) as [FieldKey, string][]) {
      this.totals.set(k, (this.totals.get(k) ?? 0) + 1);
      if (got[k] === v) this.hits.set(k, (this.hits.get(k) ?? 0) + 1);
    }
  }
  rates(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, n] of this.totals) out[k] = `${(((this.hits.get(k) ?? 0) / n) * 100).toFixed(1)}% (${this.hits.get(k) ?? 0}/${n})`;
    return out;
  }
  timing(): { mean: number; p50: number; p95: number; max: number } {
    const s = [...this.times].sort((a, b) => a - b);
    const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
    return { mean: s.reduce((a, b) => a + b, 0) / Math.max(1, s.length), p50: at(0.5), p95: at(0.95), max: s[s.length - 1] ?? 0 };
  }
}

const sexOf = (t: string) => (t === '男' ? 'male' : t === '女' ? 'female' : t);

function truthFromIdentity(id: SyntheticIdentity, side: 'front' | 'back'): Fields {
  return side === 'front'
    ? { name: id.name, sex: id.sex, nation: id.nation, birthDate: id.birthDate, address: id.address, idNumber: id.idNumber }
    : { issuingAuthority: id.issuingAuthority, validFrom: id.validFrom, validTo: id.validTo };
}

async function pipelineFields(engine: OcrEngine, image: RgbaImage, side: 'front' | 'back'): Promise<Fields> {
  const options = { engine, nations: nationTable() };
  if (side === 'front') {
    const r = await recognizeFront(image, options);
    return {
      name: r.name.value,
      sex: r.sex.value,
      nation: r.nation.value,
      birthDate: r.birthDate.value,
      address: r.address.value,
      idNumber: r.idNumber.value,
    };
  }
  const r = await recognizeBack(image, options);
  return { issuingAuthority: r.issuingAuthority.value, validFrom: r.validFrom.value, validTo: r.validTo.value };
}

/** Baseline: one recognition of the whole photo, fields picked out of the text by their labels. */
async function baselineFields(engine: OcrEngine, image: RgbaImage, side: 'front' | 'back'): Promise<Fields> {
  const r = await engine.recognize(toGray(image, 'luma'), { script: 'chinese', layout: 'page' });
  const text = r.text.replace(/[ \t]+/gu, '');
  const first = (re: RegExp) => re.exec(text)?.[1] ?? '';
  if (side === 'front') {
    const birth = /(\d{4})年(\d{1,2})月(\d{1,2})/u.exec(text);
    const address = first(/住址([\s\S]*?)(?:公民|$)/u).replace(/\s+/gu, '');
    return {
      name: first(/姓名(\S+)/u),
      sex: sexOf(first(/性别([男女])/u)),
      nation: first(/民族(\S+)/u),
      birthDate: birth ? `${birth[1] ?? ''}${(birth[2] ?? '').padStart(2, '0')}${(birth[3] ?? '').padStart(2, '0')}` : '',
      address,
      idNumber: first(/(\d{17}[\dXx])/u).toUpperCase(),
    };
  }
  const validity = /(\d{4})\.?(\d{2})\.?(\d{2})-(?:(\d{4})\.?(\d{2})\.?(\d{2})|(长期))/u.exec(text);
  return {
    issuingAuthority: first(/签发机关(\S+)/u),
    validFrom: validity ? `${validity[1] ?? ''}${validity[2] ?? ''}${validity[3] ?? ''}` : '',
    validTo: validity ? (validity[7] ?? `${validity[4] ?? ''}${validity[5] ?? ''}${validity[6] ?? ''}`) : '',
  };
}

interface TruthEntry {
  side: 'front' | 'back';
  name: string;
  sex: string;
  nation: string;
  birth: string;
  address: string;
  idNumber: string;
}

async function main(): Promise<void> {
  const count = Number(arg('count', '200'));
  const seed = Number(arg('seed', '1'));
  const perturb = arg('perturb', 'mixed');
  const baselineCount = Number(arg('baseline-count', String(count)));
  const fixtures = arg('fixtures', path.join(sharedFixturesDir, 'idcards'));
  const jsonOut = arg('json', '');

  // The plain-JS build module has no type declarations: import it by URL and read the one constant.
  const assets = (await import(new URL('./ocr-assets.mjs', import.meta.url).href)) as { OCR_LANG_VARIANT: string };
  const langVariant = arg('lang-variant', assets.OCR_LANG_VARIANT);
  if (langVariant !== '4.0.0' && langVariant !== '4.0.0_best_int') throw new Error(`unknown --lang-variant ${langVariant}`);
  const engine = createNodeEngine({ langPath: nodeLangPaths(langVariant) });
  console.log(`language data: ${langVariant}`);
  const warm = performance.now();
  await engine.warmUp();
  console.log(`engine warm-up (both models): ${(performance.now() - warm).toFixed(0)} ms`);
  const report: Record<string, unknown> = {};

  // Fixture cards (real-looking specimens).
  const truthFile = path.join(fixtures, 'truth.json');
  if (existsSync(truthFile)) {
    const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as Record<string, TruthEntry | string>;
    const pipe = new Tally();
    const base = new Tally();
    for (const [file, entry] of Object.entries(truth)) {
      if (typeof entry === 'string' || entry.side !== 'front') continue;
      const image = decodeImageFile(path.join(fixtures, file));
      const expected: Fields = {
        name: entry.name,
        sex: sexOf(entry.sex),
        nation: entry.nation,
        birthDate: entry.birth.replaceAll('-', ''),
        address: entry.address,
        idNumber: entry.idNumber,
      };
      let t = performance.now();
      pipe.add(expected, await pipelineFields(engine, image, 'front'));
      pipe.times.push(performance.now() - t);
      t = performance.now();
      base.add(expected, await baselineFields(engine, image, 'front'));
      base.times.push(performance.now() - t);
    }
    report['fixtures'] = { pipeline: { rates: pipe.rates(), ms: pipe.timing() }, baseline: { rates: base.rates(), ms: base.timing() } };
    console.log('\n== fixture cards (front) ==');
    console.log('pipeline', pipe.rates(), 'ms/card', fmt(pipe.timing()));
    console.log('baseline', base.rates(), 'ms/card', fmt(base.timing()));
  }

  // Generated cards: `count` identities, front and back each, perturbation per --perturb.
  const levels: ('mild' | 'strong')[] = perturb === 'mixed' ? ['mild', 'strong'] : [perturb === 'strong' ? 'strong' : 'mild'];
  const pipe = new Tally();
  const base = new Tally();
  const perTier = new Map<string, { pipe: Tally; base: Tally }>();
  const perCard: number[] = [];
  const failures: Record<string, number> = {};
  let done = 0;
  const genStart = performance.now();
  let genMs = 0;
  for (const [li, level] of levels.entries()) {
    const n = Math.ceil(count / levels.length) - (li === levels.length - 1 && count % levels.length ? 1 : 0);
    const generator = new CardGenerator({ seed: seed * 100 + li, perturb: level });
    const tier = { pipe: new Tally(), base: new Tally() };
    perTier.set(level, tier);
    try {
      for (let i = 0; i < n; i += 10) {
        const g0 = performance.now();
        const cards: GeneratedCard[] = await generator.generate(Math.min(10, n - i));
        genMs += performance.now() - g0;
        for (let j = 0; j < cards.length; j += 2) {
          let cardMs = 0;
          for (const card of cards.slice(j, j + 2)) {
            const expected = truthFromIdentity(card.identity, card.side);
            const t = performance.now();
            const got = await pipelineFields(engine, card.image, card.side);
            const ms = performance.now() - t;
            cardMs += ms;
            pipe.add(expected, got);
            tier.pipe.add(expected, got);
            for (const k of Object.keys(expected) as FieldKey[]) if (got[k] !== expected[k]) failures[`${level}.${k}`] = (failures[`${level}.${k}`] ?? 0) + 1;
            if (done < baselineCount) {
              const tb = performance.now();
              const baseGot = await baselineFields(engine, card.image, card.side);
              base.add(expected, baseGot);
              tier.base.add(expected, baseGot);
              base.times.push(performance.now() - tb);
              tier.base.times.push(performance.now() - tb);
            }
          }
          pipe.times.push(cardMs);
          tier.pipe.times.push(cardMs);
          perCard.push(cardMs);
          done++;
        }
        process.stderr.write(`\r${done}/${count} cards`);
      }
    } finally {
      await generator.close();
    }
  }
  process.stderr.write('\n');
  console.log(`\n== generated cards: ${done} identities × (front + back), perturbation ${perturb}, seed ${seed} ==`);
  console.log(`(generation took ${(genMs / 1000).toFixed(1)} s of ${((performance.now() - genStart) / 1000).toFixed(1)} s; not counted below)`);
  console.log('pipeline', pipe.rates());
  console.log('pipeline ms per card (front + back):', fmt(pipe.timing()));
  console.log(`baseline (whole-image OCR, ${Math.min(done, baselineCount)} cards)`, base.rates());
  console.log('baseline ms per side:', fmt(base.timing()));
  for (const [level, tier] of perTier) {
    console.log(`\n-- tier ${level}: ${tier.pipe.times.length} cards --`);
    console.log('pipeline', tier.pipe.rates());
    console.log('pipeline ms per card (front + back):', fmt(tier.pipe.timing()));
    console.log(`baseline (${tier.base.times.length / 2} cards)`, tier.base.rates());
  }
  console.log('pipeline misses by perturbation.field:', failures);
  report['generated'] = {
    cards: done,
    perturb,
    seed,
    pipeline: { rates: pipe.rates(), msPerCard: pipe.timing() },
    baseline: { cards: Math.min(done, baselineCount), rates: base.rates(), msPerSide: base.timing() },
    misses: failures,
    tiers: Object.fromEntries(
      [...perTier].map(([level, tier]) => [
        level,
        { pipeline: { rates: tier.pipe.rates(), msPerCard: tier.pipe.timing() }, baseline: { rates: tier.base.rates(), msPerSide: tier.base.timing() } },
      ]),
    ),
  };
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(report, null, 2));
  await engine.terminate();
}

function fmt(t: { mean: number; p50: number; p95: number; max: number }): string {
  return `mean ${t.mean.toFixed(0)} p50 ${t.p50.toFixed(0)} p95 ${t.p95.toFixed(0)} max ${t.max.toFixed(0)}`;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : 'bench failed');
  process.exitCode = 1;
});
