/**
 * OCR benchmark: per-field exact-match rates, number safety and time per card, for the routed pipeline
 * (PP-OCRv4 + tesseract, what the app runs) and, in the same run on the same cards, today's tesseract-only
 * pipeline, on the fixture cards and on generated cards of every tier.
 *
 *   npx tsx scripts/bench-ocr.ts [--count 300] [--seed 1] [--tiers mild,strong,glare,moire,thumb,desk]
 *                                [--old-count N] [--fixtures DIR] [--json out.json] [--plain]
 *
 * --count: identities (each front + back), spread evenly over the tiers. --old-count: how many of them the
 * tesseract-only pipeline also reads (default all). --plain: cards in the generator's original fixed look
 * instead of varied faces, positions and textures.
 *
 * Prints no card content (names, numbers): only rates, counts and timings. --explain FILE writes the misses of
 * the routed pipeline on generated cards (synthetic people, never the fixtures) to FILE, for tuning.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { recognizeBack, recognizeFront, type IdCardOcrOptions } from '../renderer/ocr/pipeline.js';
import { regionIndex } from '../renderer/ocr/regions.js';
import type { BackResult, FrontResult } from '../renderer/ocr/schema.js';
import { CardGenerator, TIERS, type Tier } from '../test/support/ocr/generator.js';
import { createNodeEngine, createNodePaddleEngine, decodeImageFile, nationTable } from '../test/support/ocr/node-adapter.js';
import type { SyntheticIdentity } from '../test/support/ocr/synthetic-identity.js';
import { sharedFixturesDir } from '../test/support/shared-fixtures.js';

const FIELDS = ['idNumber', 'name', 'sex', 'nation', 'birthDate', 'address', 'issuingAuthority', 'validFrom', 'validTo'] as const;
type FieldKey = (typeof FIELDS)[number];
type Fields = Partial<Record<FieldKey, string>>;
interface Read {
  values: Fields;
  flagged: Partial<Record<FieldKey, boolean>>;
  engines: Partial<Record<FieldKey, string>>;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

class Tally {
  readonly hits = new Map<FieldKey, number>();
  readonly totals = new Map<FieldKey, number>();
  readonly times: number[] = [];
  /** Numbers: read wrong and not highlighted (the one outcome that must never happen), and highlighted. */
  wrongUnflagged = 0;
  numberFlagged = 0;
  readonly engines = new Map<string, number>();
  add(truth: Fields, got: Read): void {
    for (const [k, v] of Object.entries(truth) as [FieldKey, string][]) {
      this.totals.set(k, (this.totals.get(k) ?? 0) + 1);
      const ok = got.values[k] === v;
      if (ok) this.hits.set(k, (this.hits.get(k) ?? 0) + 1);
      if (k === 'idNumber') {
        if (got.flagged[k]) this.numberFlagged++;
        else if (!ok) this.wrongUnflagged++;
      }
      const engine = got.engines[k];
      if (engine) this.engines.set(`${k}:${engine}`, (this.engines.get(`${k}:${engine}`) ?? 0) + 1);
    }
  }
  rate(k: FieldKey): number | undefined {
    const n = this.totals.get(k);
    return n ? (this.hits.get(k) ?? 0) / n : undefined;
  }
  cards(): number {
    return this.totals.get('idNumber') ?? 0;
  }
  timing(): { mean: number; p50: number; p95: number; max: number } {
    const s = [...this.times].sort((a, b) => a - b);
    const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
    return { mean: s.reduce((a, b) => a + b, 0) / Math.max(1, s.length), p50: at(0.5), p95: at(0.95), max: s[s.length - 1] ?? 0 };
  }
  summary(): Record<string, unknown> {
    return {
      cards: this.cards(),
      rates: Object.fromEntries(FIELDS.map((k) => [k, this.rate(k)])),
      numberFlagged: this.numberFlagged,
      wrongUnflagged: this.wrongUnflagged,
      msPerCard: this.timing(),
      engines: Object.fromEntries(this.engines),
    };
  }
}

const sexOf = (t: string) => (t === '男' ? 'male' : t === '女' ? 'female' : t);

function truthFromIdentity(id: SyntheticIdentity, side: 'front' | 'back'): Fields {
  return side === 'front'
    ? { name: id.name, sex: id.sex, nation: id.nation, birthDate: id.birthDate, address: id.address, idNumber: id.idNumber }
    : { issuingAuthority: id.issuingAuthority, validFrom: id.validFrom, validTo: id.validTo };
}

function fieldsOf(r: FrontResult | BackResult): Read {
  const entries: [FieldKey, { value: string; needsReview: boolean; engine?: string | undefined }][] =
    'idNumber' in r
      ? [
          ['name', r.name],
          ['sex', r.sex],
          ['nation', r.nation],
          ['birthDate', r.birthDate],
          ['address', r.address],
          ['idNumber', r.idNumber],
        ]
      : [
          ['issuingAuthority', r.issuingAuthority],
          ['validFrom', r.validFrom],
          ['validTo', r.validTo],
        ];
  const out: Read = { values: {}, flagged: {}, engines: {} };
  for (const [k, f] of entries) {
    out.values[k] = f.value;
    out.flagged[k] = f.needsReview;
    out.engines[k] = f.engine ?? 'tesseract';
  }
  return out;
}

async function readSide(options: IdCardOcrOptions, image: Parameters<typeof recognizeFront>[0], side: 'front' | 'back'): Promise<Read> {
  return fieldsOf(side === 'front' ? await recognizeFront(image, options) : await recognizeBack(image, options));
}

const pct = (v: number | undefined) => (v === undefined ? '   -  ' : `${(v * 100).toFixed(1).padStart(5)}%`);
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

function table(title: string, rows: [string, Tally][]): void {
  console.log(`\n${title}`);
  const head = ['tier / pipeline'.padEnd(22), 'cards', ...FIELDS.map((f) => f.slice(0, 8).padStart(8)), 'flag#', 'wrong!', 'ms/card'];
  console.log(head.join(' '));
  for (const [label, t] of rows) {
    const time = t.timing();
    console.log(
      [label.padEnd(22), String(t.cards()).padStart(5), ...FIELDS.map((f) => pct(t.rate(f)).padStart(8)), String(t.numberFlagged).padStart(5), String(t.wrongUnflagged).padStart(6), `${time.mean.toFixed(0)} (p95 ${time.p95.toFixed(0)})`].join(' '),
    );
  }
}

function memory(): { rss: number; heapUsed: number; external: number; arrayBuffers: number } {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers };
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
  const count = Number(arg('count', '300'));
  const seed = Number(arg('seed', '1'));
  const tiers = arg('tiers', TIERS.join(',')).split(',') as Tier[];
  for (const t of tiers) if (!(TIERS as readonly string[]).includes(t)) throw new Error(`unknown tier ${t}`);
  const oldCount = Number(arg('old-count', String(count)));
  const fixtures = arg('fixtures', path.join(sharedFixturesDir, 'idcards'));
  const jsonOut = arg('json', '');
  const varied = !process.argv.includes('--plain');
  const explainFile = arg('explain', '');
  const misses: string[] = [];

  const mem0 = memory();
  const tesseract = createNodeEngine();
  let t = performance.now();
  await tesseract.warmUp();
  const tesseractLoad = performance.now() - t;
  const mem1 = memory();
  const paddle = await createNodePaddleEngine();
  t = performance.now();
  await paddle.warmUp();
  const paddleLoad = performance.now() - t;
  const mem2 = memory();
  // First call: the session's first run allocates its arenas and compiles kernels.
  const probe = { width: 120, height: 40, data: new Uint8Array(120 * 40).fill(255).map((v, i) => (i % 120 > 20 && i % 120 < 100 && i > 1200 && i < 3600 ? 0 : v)) };
  t = performance.now();
  await paddle.recognize(probe, { script: 'chinese', layout: 'line' });
  const firstCall = performance.now() - t;
  t = performance.now();
  await paddle.recognize(probe, { script: 'chinese', layout: 'line' });
  const secondCall = performance.now() - t;
  const mem3 = memory();
  const regionsStart = performance.now();
  const regions = regionIndex();
  const regionsMs = performance.now() - regionsStart;
  console.log(`tesseract warm-up (chi_sim + eng): ${tesseractLoad.toFixed(0)} ms, +${mb(mem1.rss - mem0.rss)} RSS`);
  console.log(`PP-OCRv4 rec session: ${paddleLoad.toFixed(0)} ms, +${mb(mem2.rss - mem1.rss)} RSS; first call ${firstCall.toFixed(0)} ms, second ${secondCall.toFixed(0)} ms; after first call +${mb(mem3.rss - mem1.rss)} RSS over tesseract`);
  console.log(`GB/T 2260 index: ${regionsMs.toFixed(0)} ms; RSS now ${mb(mem3.rss)} (heap ${mb(mem3.heapUsed)}, array buffers ${mb(mem3.arrayBuffers)})`);
  console.log('(timings on a shared 2-core machine: noisy; compare the two pipelines within this run)');

  const nations = nationTable();
  const routed: IdCardOcrOptions = { engine: tesseract, paddle, regions, nations };
  const today: IdCardOcrOptions = { engine: tesseract, nations };
  const report: Record<string, unknown> = {
    load: { tesseractMs: tesseractLoad, paddleSessionMs: paddleLoad, paddleFirstCallMs: firstCall, rssAfterLoad: mem3.rss, paddleRssDelta: mem3.rss - mem1.rss },
  };

  // Fixture cards: every field must read right (they were not drawn by this project's generator).
  const truthFile = path.join(fixtures, 'truth.json');
  if (existsSync(truthFile)) {
    const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as Record<string, TruthEntry | string>;
    const fx: Record<string, unknown> = {};
    console.log('\n== fixture cards (front): fields read wrong ==');
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
      for (const [label, options] of [
        ['routed', routed],
        ['today', today],
      ] as const) {
        const s = performance.now();
        const got = await readSide(options, image, 'front');
        const ms = performance.now() - s;
        const wrong = Object.keys(expected).filter((k) => got.values[k as FieldKey] !== expected[k as FieldKey]);
        console.log(`${file} ${label}: ${wrong.length === 0 ? 'all fields right' : `wrong: ${wrong.join(', ')}`} (${ms.toFixed(0)} ms)`);
        fx[`${file}:${label}`] = { wrong, ms };
      }
    }
    report['fixtures'] = fx;
  }

  // Generated cards, seeded: `count` identities spread over the tiers, each front and back.
  const generator = new CardGenerator({ seed: seed * 100, varied });
  const all = { routed: new Tally(), today: new Tally() };
  const perTier = new Map<Tier, { routed: Tally; today: Tally }>();
  let done = 0;
  let genMs = 0;
  const started = performance.now();
  try {
    for (const [ti, tier] of tiers.entries()) {
      const n = Math.floor(count / tiers.length) + (ti < count % tiers.length ? 1 : 0);
      const tally = { routed: new Tally(), today: new Tally() };
      perTier.set(tier, tally);
      for (let i = 0; i < n; i += 5) {
        const g0 = performance.now();
        const cards = await generator.generate(Math.min(5, n - i), tier);
        genMs += performance.now() - g0;
        for (let j = 0; j < cards.length; j += 2) {
          const pair = cards.slice(j, j + 2);
          const withToday = done < oldCount;
          for (const [label, options] of [
            ['routed', routed],
            ['today', today],
          ] as const) {
            if (label === 'today' && !withToday) continue;
            let cardMs = 0;
            for (const card of pair) {
              const expected = truthFromIdentity(card.identity, card.side);
              const s = performance.now();
              const got = await readSide(options, card.image, card.side);
              cardMs += performance.now() - s;
              all[label].add(expected, got);
              tally[label].add(expected, got);
              if (explainFile && label === 'routed') {
                for (const [k, v] of Object.entries(expected) as [FieldKey, string][]) {
                  if (got.values[k] !== v) misses.push(`${tier}\t${k}\t${v}\t${got.values[k] ?? ''}\t${got.flagged[k] ? 'flagged' : 'unflagged'}\t${got.engines[k] ?? ''}`);
                }
              }
            }
            all[label].times.push(cardMs);
            tally[label].times.push(cardMs);
          }
          done++;
        }
        process.stderr.write(`\r${done}/${count} cards`);
      }
    }
  } finally {
    await generator.close();
  }
  process.stderr.write('\n');
  const mem4 = memory();
  console.log(`\n== generated cards: ${done} identities × (front + back), seed ${seed}, ${varied ? 'varied' : 'plain'} look, tiers ${tiers.join(' ')} ==`);
  console.log(`(generation ${(genMs / 1000).toFixed(0)} s of ${((performance.now() - started) / 1000).toFixed(0)} s, not counted; RSS at the end ${mb(mem4.rss)})`);
  console.log('rates are exact matches; flag# = numbers highlighted; wrong! = numbers wrong AND not highlighted (must be 0)');
  const rows: [string, Tally][] = [];
  for (const [tier, tally] of perTier) {
    rows.push([`${tier} routed`, tally.routed]);
    if (tally.today.cards() > 0) rows.push([`${tier} today`, tally.today]);
  }
  rows.push(['ALL routed', all.routed]);
  if (all.today.cards() > 0) rows.push(['ALL today', all.today]);
  table('per tier (routed = PP-OCRv4 + tesseract, today = tesseract only)', rows);
  console.log(`\nwrong-and-unhighlighted number rate (routed): ${((all.routed.wrongUnflagged / Math.max(1, all.routed.cards())) * 100).toFixed(2)}% (${all.routed.wrongUnflagged}/${all.routed.cards()})`);
  console.log('which engine read each field (routed):', Object.fromEntries([...all.routed.engines].sort()));
  report['generated'] = {
    cards: done,
    seed,
    varied,
    tiers: Object.fromEntries([...perTier].map(([tier, tally]) => [tier, { routed: tally.routed.summary(), today: tally.today.summary() }])),
    all: { routed: all.routed.summary(), today: all.today.summary() },
  };
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(report, null, 2));
  if (explainFile) writeFileSync(explainFile, `${misses.join('\n')}\n`);
  await paddle.terminate();
  await tesseract.terminate();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : 'bench failed');
  process.exitCode = 1;
});
