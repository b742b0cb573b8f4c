/**
 * ID card OCR in real Chromium, as the staff window runs it: the app's OCR worker (tesseract.js + PP-OCRv4 on
 * onnxruntime-web, WASM), its files served from one origin with the app's CSP, generated cards of every tier
 * (front + back per request). Prints the first card's time on a fresh worker (engines loading), the time per
 * card after it, the memory the worker adds to the page's processes, and the rates of the number and the name
 * (a check that Chromium reads what Node does; bench:ocr is the accuracy bench).
 *
 *   npm run bench:ocr:chromium [-- --count 12] [--seed 3] [--warm-ms 8000]
 *
 * Then, on a fresh page, the first card again after the worker's warm-up message (what the staff window sends when
 * the OCR panel is opened) and --warm-ms of waiting, as when staff take a few seconds to choose the files.
 *
 * Memory is the resident set of the bench browser's process tree (Linux /proc), before the worker starts, after
 * its first reply and after the last card. Prints no card content.
 */
import { readFile } from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import { stationResponseHeaders } from '../../core/security/csp.js';
import { chromiumArgs } from '../../playwright.config.js';
import { CardGenerator, TIERS } from '../../test/support/ocr/generator.js';
import { copyOcrAssets } from '../ocr-assets.mjs';
import type { OcrBenchOutcome, OcrBenchParams } from './ocr-page.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
};
const count = arg('count', 12);
const seed = arg('seed', 3);
const warmMs = arg('warm-ms', 8000);

interface Served {
  type: string;
  body: Buffer;
}

/** Resident memory of a process and all its descendants, in MB (Linux). */
function treeRssMb(rootPid: number): number {
  const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,rss='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number, number]);
  const inTree = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of table) if (inTree.has(ppid) && !inTree.has(pid)) grew = inTree.add(pid) !== undefined;
  }
  return table.filter(([pid]) => inTree.has(pid)).reduce((sum, [, , rss]) => sum + rss, 0) / 1024;
}

async function assets(cards: { front: Buffer; back: Buffer }[]): Promise<Map<string, Served>> {
  const out = new Map<string, Served>();
  const bundle = async (entry: string) =>
    (await build({ entryPoints: [path.join(ROOT, entry)], bundle: true, format: 'esm', platform: 'browser', target: 'chrome120', write: false, logLevel: 'error' })).outputFiles[0]!.contents;
  out.set('/', { type: 'text/html; charset=utf-8', body: Buffer.from('<!doctype html><meta charset="utf-8"><title>ocr bench</title><link rel="icon" href="data:,"><script type="module" src="/ocr-bench.js"></script>') });
  out.set('/ocr-bench.js', { type: 'text/javascript; charset=utf-8', body: Buffer.from(await bundle('scripts/bench/ocr-page.ts')) });
  out.set('/ocr-worker.js', { type: 'text/javascript; charset=utf-8', body: Buffer.from(await bundle('renderer/ocr-worker/ocr-worker.ts')) });
  // The OCR files exactly as the build ships them (scripts/ocr-assets.mjs), under /ocr/.
  const dir = mkdtempSync(path.join(tmpdir(), 'ocr-bench-'));
  try {
    for (const file of await copyOcrAssets(dir)) {
      const type = file.endsWith('.wasm') ? 'application/wasm' : /\.m?js$/.test(file) ? 'text/javascript; charset=utf-8' : 'application/octet-stream';
      out.set(`/ocr/${file}`, { type, body: await readFile(path.join(dir, file)) });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  cards.forEach((card, i) => {
    out.set(`/card/${i}/front.rgba`, { type: 'application/octet-stream', body: card.front });
    out.set(`/card/${i}/back.rgba`, { type: 'application/octet-stream', body: card.back });
  });
  return out;
}

function serve(files: Map<string, Served>): Promise<{ origin: string; notFound: string[]; close: () => Promise<void> }> {
  const headers = stationResponseHeaders({ camera: false });
  const notFound: string[] = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const file = request.method === 'GET' ? files.get(url.pathname) : undefined;
    if (!file) {
      notFound.push(url.pathname);
      return void response.writeHead(404, headers).end();
    }
    response.writeHead(200, { ...headers, 'content-type': file.type, 'content-length': String(file.body.byteLength) }).end(file.body);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ origin: `http://127.0.0.1:${port}`, notFound, close: () => new Promise<void>((done) => server.close(() => done())) });
    }),
  );
}

const stats = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { mean: values.reduce((a, b) => a + b, 0) / Math.max(1, values.length), p50: at(0.5), p95: at(0.95) };
};

// Cards first, in the generator's own Chromium (closed before the bench browser starts, so memory is ours alone).
const generator = new CardGenerator({ seed: seed * 100, varied: true });
const plan: { tier: string; truth: { idNumber: string; name: string }; front: Buffer; back: Buffer; width: { front: number; back: number }; height: { front: number; back: number } }[] = [];
try {
  for (let i = 0; i < count; i++) {
    const tier = TIERS[i % TIERS.length]!;
    const [front, back] = await generator.generate(1, tier);
    if (!front || !back) throw new Error('generator gave no card');
    const raw = (image: { data: Uint8ClampedArray }) => Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
    plan.push({
      tier,
      truth: { idNumber: front.identity.idNumber, name: front.identity.name },
      front: raw(front.image),
      back: raw(back.image),
      width: { front: front.image.width, back: back.image.width },
      height: { front: front.image.height, back: back.image.height },
    });
  }
} finally {
  await generator.close();
}

const server = await serve(await assets(plan));
const browserServer = await chromium.launchServer({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: chromiumArgs });
const pid = browserServer.process().pid;
if (pid === undefined) throw new Error('no browser process id');
try {
  const browser = await chromium.connect(browserServer.wsEndpoint());
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message.slice(0, 200)));
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => 'runOcrBench' in globalThis);
  const before = treeRssMb(pid);
  const params: OcrBenchParams = {
    workerUrl: '/ocr-worker.js',
    cards: plan.map((card, i) => ({
      front: { url: `/card/${i}/front.rgba`, width: card.width.front, height: card.height.front },
      back: { url: `/card/${i}/back.rgba`, width: card.width.back, height: card.height.back },
    })),
  };
  // Memory after the first reply is sampled from Node while the page works on: poll until the first card is in.
  const running = page.evaluate((p) => (globalThis as unknown as { runOcrBench: (q: OcrBenchParams) => Promise<OcrBenchOutcome> }).runOcrBench(p), params);
  let peak = before;
  let done = false;
  void running.finally(() => (done = true));
  while (!done) {
    peak = Math.max(peak, treeRssMb(pid));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const outcome = await running;
  const after = treeRssMb(pid);
  const version = browser.version();
  await page.close();
  // The warm pass: a new context (a fresh worker, nothing cached), two cards.
  const context = await browser.newContext();
  const warmPage = await context.newPage();
  await warmPage.goto(`${server.origin}/`);
  await warmPage.waitForFunction(() => 'runOcrBench' in globalThis);
  const warm = await warmPage.evaluate(
    (p) => (globalThis as unknown as { runOcrBench: (q: OcrBenchParams) => Promise<OcrBenchOutcome> }).runOcrBench(p),
    { ...params, cards: params.cards.slice(0, 2), warmMs },
  );
  await browser.close();

  const rest = outcome.cards.slice(1).map((c) => c.ms);
  const s = stats(rest);
  const hits = (key: 'idNumber' | 'name') => outcome.cards.filter((c, i) => c.values[key] === plan[i]!.truth[key]).length;
  const wrongUnflagged = outcome.cards.filter((c, i) => c.values['idNumber'] !== plan[i]!.truth.idNumber && !c.flagged.includes('idNumber')).length;
  console.log(`OCR worker in Chromium ${version} (app worker bundle, app CSP, WASM, no threads), ${count} generated cards (seed ${seed}, tiers ${TIERS.join(', ')} in turn), front + back per request`);
  console.log(`  first card on a fresh worker (engines loading): ${outcome.cards[0]?.ms.toFixed(0)} ms (worker created → first reply ${outcome.firstReplyMs.toFixed(0)} ms)`);
  console.log(`  first card ${(warmMs / 1000).toFixed(0)} s after the warm-up message (the OCR panel opened): ${warm.cards[0]?.ms.toFixed(0)} ms; the next ${warm.cards[1]?.ms.toFixed(0)} ms`);
  console.log(`  per card after it: mean ${s.mean.toFixed(0)} ms, p50 ${s.p50.toFixed(0)}, p95 ${s.p95.toFixed(0)} (${rest.length} cards)`);
  console.log(`  memory (browser process tree, RSS): ${before.toFixed(0)} MB before the worker, peak ${peak.toFixed(0)} MB (+${(peak - before).toFixed(0)}), ${after.toFixed(0)} MB after the last card (+${(after - before).toFixed(0)})`);
  console.log(`  number exact ${hits('idNumber')}/${count}, wrong and not highlighted ${wrongUnflagged}; name exact ${hits('name')}/${count}; failed replies ${outcome.cards.filter((c) => !c.ok).length}`);
  const stages = [...new Set(outcome.cards.flatMap((c) => Object.keys(c.timings)))].filter((k) => k !== 'total');
  const stageMean = (k: string) => outcome.cards.slice(1).reduce((sum, c) => sum + (c.timings[k] ?? 0), 0) / Math.max(1, rest.length);
  console.log(`  stages, first card / mean after it (ms): ${stages.map((k) => `${k} ${(outcome.cards[0]?.timings[k] ?? 0).toFixed(0)} / ${stageMean(k).toFixed(0)}`).join(', ')}`);
  if (server.notFound.length > 0) console.log(`  not found: ${[...new Set(server.notFound)].join(', ')}`);
  if (errors.length > 0) console.log(`  page errors: ${errors.join(' | ')}`);
} finally {
  await browserServer.close();
  await server.close();
}
