/**
 * Lookup through the keyed index: `npx tsx scripts/bench/lookup-bench.ts [--rows 200000] [--lookups 2000]`.
 * In real Chromium IndexedDB (the project's headless Chromium, as in the e2e tests), a synthetic roster is
 * imported twice, into the plaintext roster table of schema ≤ 4 and through the sealed path of schema 5
 * (HMAC index hashes + AES-GCM rows, RosterRepository), and looked up by citizen number both ways, same
 * targets, alternately. Prints per-lookup median / p95, their ratios (goal: keyed within 1.5× of
 * plaintext), lookups by the last six characters, and the import time of each.
 */
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import type { KeyedLookupParams, KeyedLookupResult, KeyedLookupSeries } from './keyed-lookup-page.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const value = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
};
const ROWS = arg('rows', 200_000);
const LOOKUPS = arg('lookups', 2000);
const GOAL = 1.5;

/** Nearest-rank percentile. */
function percentile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}
const ms = (v: number) => `${v.toFixed(3)} ms`;
const secs = (v: number) => `${(v / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const bundle = await build({
    entryPoints: [path.join(ROOT, 'scripts/bench/keyed-lookup-page.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]!.contents;
  const page = Buffer.from('<!doctype html><meta charset="utf-8"><title>keyed lookup bench</title><script src="/bench.js"></script>');
  // IndexedDB and WebCrypto need a real (secure) origin: a page on 127.0.0.1.
  const web = http.createServer((request, response) => {
    const body = request.url === '/bench.js' ? script : request.url === '/' ? page : undefined;
    if (!body) return void response.writeHead(404).end();
    response
      .writeHead(200, {
        'content-type': request.url === '/' ? 'text/html; charset=utf-8' : 'text/javascript',
        // Cross-origin isolation gives performance.now() 5 µs resolution instead of 100 µs.
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
      })
      .end(body);
  });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const tab = await browser.newPage();
    await tab.goto(`http://127.0.0.1:${(web.address() as { port: number }).port}/`);
    const params: KeyedLookupParams = { rows: ROWS, lookups: LOOKUPS, last6Lookups: Math.min(500, LOOKUPS), seed: 2026 };
    const result = await tab.evaluate(
      (p) => (globalThis as unknown as { runKeyedLookupBench: (p: KeyedLookupParams) => Promise<KeyedLookupResult> }).runKeyedLookupBench(p),
      params,
    );
    for (const [label, series] of [['plaintext', result.plain], ['keyed', result.keyed]] as Array<[string, KeyedLookupSeries]>) {
      if (series.found !== LOOKUPS) throw new Error(`${label}: found ${series.found} of ${LOOKUPS}`);
    }
    const p50 = (s: KeyedLookupSeries) => percentile(s.samples, 0.5);
    const p95 = (s: KeyedLookupSeries) => percentile(s.samples, 0.95);
    const rows: Array<[string, string, string]> = [
      ['roster import, plaintext table', secs(result.plain.importMs), `${ROWS.toLocaleString('en-US')} rows, 10,000 per transaction`],
      ['roster import, keyed + sealed', secs(result.keyed.importMs), `3 HMACs + 1 AES-GCM per row, then the same writes; ${(result.keyed.importMs / result.plain.importMs).toFixed(2)}× plaintext`],
      ['lookup by citizen no., plaintext  p50 / p95', `${ms(p50(result.plain))} / ${ms(p95(result.plain))}`, `${LOOKUPS} random hits: get by the number`],
      ['lookup by citizen no., keyed      p50 / p95', `${ms(p50(result.keyed))} / ${ms(p95(result.keyed))}`, 'HMAC, get by the hash, AES-GCM open, schema check'],
      ['keyed / plaintext                 p50 / p95', `${(p50(result.keyed) / p50(result.plain)).toFixed(2)}× / ${(p95(result.keyed) / p95(result.plain)).toFixed(2)}×`, `goal: within ${GOAL}×`],
      ['lookup by last six, plaintext     p50 / p95', `${ms(percentile(result.plain.last6Samples, 0.5))} / ${ms(percentile(result.plain.last6Samples, 0.95))}`, `${result.plain.last6Samples.length} lookups`],
      ['lookup by last six, keyed         p50 / p95', `${ms(percentile(result.keyed.last6Samples, 0.5))} / ${ms(percentile(result.keyed.last6Samples, 0.95))}`, 'HMAC of the six, index get, open each match'],
      ['browser', `Chromium ${browser.version()}`, 'headless, real IndexedDB (LevelDB on disk), WebCrypto'],
    ];
    const w = [Math.max(...rows.map((r) => r[0].length)), Math.max(...rows.map((r) => r[1].length))];
    console.log('Keyed index lookup (schema 5) against the plaintext index (schema ≤ 4)');
    for (const [what, figure, note] of rows) console.log(`${what.padEnd(w[0]!)}  ${figure.padStart(w[1]!)}  ${note}`);
  } finally {
    await browser.close();
    web.close();
  }
}

await main();
