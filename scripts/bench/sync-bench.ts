/**
 * Sync benchmarks: `npx tsx scripts/bench/sync-bench.ts [--rows 200000] [--lookups 2000] [--uploads 1000]
 * [--blob-kb 60] [--skip-browser]`. Prints one table.
 *  1. Roster download: N synthetic candidates imported into the central server (a server/main.ts child
 *     process: PGlite in memory, or PostgreSQL when DATABASE_URL is set), then downloaded through the real
 *     path: RosterStage → apiCentralLink → staff StationClient → station host → signed HTTP → server, into the
 *     app's StationDb on fake-indexeddb (Node; the figure includes fake-indexeddb's own cost).
 *  2. Lookup by citizen number at that size in real Chromium IndexedDB: the app's RosterRepository (Dexie)
 *     against a bare IDBObjectStore.get on a store of the same shape, same targets, same run.
 *  3. Upload of M confirmations with 60 KB of blobs each through UploadStage → apiCentralLink → host → HTTP →
 *     server → database, against a plain node:http echo server sent the same requests in the same order.
 */
import 'fake-indexeddb/auto';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import { createStationClient, type StationClient } from '../../core/api/client.js';
import { API_PREFIX, type ConfirmationBatchReply, type ConfirmationUpload } from '../../core/contract/central-api.js';
import { parseStationConfig } from '../../host/config/station-config.js';
import { silentLogger } from '../../core/logging/logger.js';
import { createStationHost, type StationHost } from '../../host/station-host.js';
import { ConfirmationRepository } from '../../renderer/confirmations/confirmation-repository.js';
import { StationDb } from '../../renderer/db/station-db.js';
import { apiCentralLink } from '../../renderer/sync/api-central-link.js';
import type { CentralLink } from '../../renderer/sync/central-link.js';
import { RosterStage } from '../../renderer/sync/roster-stage.js';
import { UploadStage } from '../../renderer/sync/upload-stage.js';
import type { LookupBenchParams, LookupBenchResult, LookupSeries } from './lookup-page.js';
import { syntheticCandidate } from './synthetic-roster.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ADMIN_TOKEN = `bench-${randomBytes(12).toString('hex')}`;
const POINT = { code: 'BENCH-01', name: '基准测试现场确认点' };
const IMPORT_CHUNK = 50_000;

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const value = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
};
const ROWS = arg('rows', 200_000);
const LOOKUPS = arg('lookups', 2000);
const UPLOADS = arg('uploads', 1000);
const BLOB_KB = arg('blob-kb', 60);
const SKIP_BROWSER = process.argv.includes('--skip-browser');

// ---------------------------------------------------------------------------------------------------------------
// Child processes: the central server and the echo baseline, each on its own port (and, on 2+ cores, its own core)

interface Child {
  process: ChildProcessWithoutNullStreams;
  url: string;
  stop(): Promise<void>;
}

function startChild(script: string, env: NodeJS.ProcessEnv): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env: { ...process.env, ...env } });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-10_000);
      for (const line of output.split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          const entry = JSON.parse(line) as { message?: string; url?: string };
          if (entry.message === 'listening' && entry.url) {
            resolve({
              process: child,
              url: entry.url,
              stop: () =>
                new Promise<void>((done) => {
                  if (child.exitCode !== null) return done();
                  child.once('exit', () => done());
                  child.kill('SIGTERM');
                }),
            });
          }
        } catch {
          // A partial line: the rest comes with the next chunk.
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before listening:\n${output}`)));
  });
}

async function admin(server: Child, target: string, body: unknown): Promise<unknown> {
  const response = await fetch(new URL(target, server.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`admin ${target}: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
  return response.json();
}

// ---------------------------------------------------------------------------------------------------------------
// The station: host with its own data folder, enrolled; the engine's link over the staff client

interface Station {
  host: StationHost;
  client: StationClient<'staff'>;
  link: CentralLink;
  dataDir: string;
  close(): Promise<void>;
}

async function startStation(server: Child): Promise<Station> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sync-bench-'));
  const host = await createStationHost({
    hostKind: 'browser',
    appVersion: 'bench',
    config: parseStationConfig({ simulators: 'on', simulatorTiming: 'instant' }, 'bench'),
    defaultRosterSeedFile: path.join(ROOT, 'assets/roster/sample-roster.json'),
    deviceSlots: [],
    dataDir,
    logger: silentLogger,
  });
  const client = createStationClient('staff', { call: (method, payload) => host.dispatch('staff', method, payload), onEvent: () => () => undefined });
  const { code } = (await admin(server, `${API_PREFIX}/admin/points/${POINT.code}/enrollment-codes`, {})) as { code: string };
  await client.call('central.enroll', { serverUrl: server.url, code, pointCode: POINT.code, stationName: '基准工位' });
  return {
    host,
    client,
    link: apiCentralLink(client),
    dataDir,
    close: async () => {
      await host.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Figures

interface Row {
  what: string;
  figure: string;
  note: string;
}
const rows: Row[] = [];
const add = (what: string, figure: string, note = '') => rows.push({ what, figure, note });

function percentile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}
const ms = (value: number) => (value < 1 ? `${(value * 1000).toFixed(0)} µs` : value < 100 ? `${value.toFixed(2)} ms` : `${value.toFixed(0)} ms`);
const secs = (value: number) => `${(value / 1000).toFixed(2)} s`;
const rate = (count: number, elapsedMs: number, unit: string) => `${Math.round((count / elapsedMs) * 1000).toLocaleString('en-US')} ${unit}/s`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function printTable(header: string): void {
  const width = (key: keyof Row, title: string) => Math.max(title.length, ...rows.map((row) => row[key].length));
  const w = { what: width('what', 'measure'), figure: width('figure', 'figure') };
  console.log(`\n${header}\n`);
  console.log(`${'measure'.padEnd(w.what)}  ${'figure'.padStart(w.figure)}  note`);
  console.log(`${'-'.repeat(w.what)}  ${'-'.repeat(w.figure)}  ${'-'.repeat(40)}`);
  for (const row of rows) console.log(`${row.what.padEnd(w.what)}  ${row.figure.padStart(w.figure)}  ${row.note}`);
}

// ---------------------------------------------------------------------------------------------------------------
// 1. Roster import and download

async function benchRoster(server: Child, station: Station): Promise<void> {
  const t0 = performance.now();
  for (let start = 0; start < ROWS; start += IMPORT_CHUNK) {
    const entries = Array.from({ length: Math.min(IMPORT_CHUNK, ROWS - start) }, (_, k) => syntheticCandidate(start + k, POINT.name));
    const report = (await admin(server, `${API_PREFIX}/admin/points/${POINT.code}/roster`, entries)) as { inserted: number };
    if (report.inserted !== entries.length) throw new Error(`import inserted ${report.inserted} of ${entries.length}`);
  }
  const importMs = performance.now() - t0;
  add(`1. roster import ${ROWS.toLocaleString('en-US')} rows (admin API, ${IMPORT_CHUNK / 1000}k/request)`, secs(importMs), rate(ROWS, importMs, 'rows'));

  const db = new StationDb(`bench-roster-${randomUUID()}`, { dataKey: await benchDataKey() });
  // Time inside the link (host, signing, HTTP, server, database) vs the stage's own work (parse, Dexie writes).
  let linkMs = 0;
  let pages = 0;
  const timed: CentralLink = {
    ...station.link,
    rosterDelta: async (cursor, limit) => {
      const t = performance.now();
      try {
        return await station.link.rosterDelta(cursor, limit);
      } finally {
        linkMs += performance.now() - t;
        pages += 1;
      }
    },
  };
  const stage = new RosterStage(db, timed, { point: { code: POINT.code, name: POINT.name } });
  const t1 = performance.now();
  const summary = await stage.runOnce(Date.now(), { force: true });
  const downloadMs = performance.now() - t1;
  const stored = await db.sealedRoster.count();
  const status = await db.syncState.get('roster.schedule');
  if (stored !== ROWS) throw new Error(`roster download stored ${stored} of ${ROWS} (${JSON.stringify(summary)} ${JSON.stringify(status?.value)})`);
  add(
    `1. roster download ${ROWS.toLocaleString('en-US')} rows → Dexie`,
    secs(downloadMs),
    `${rate(ROWS, downloadMs, 'rows')}; ${pages} pages of 1000; Dexie on fake-indexeddb in Node`,
  );
  add(
    '1. … of which in the link (host → HTTP → server → db)',
    secs(linkMs),
    `${rate(ROWS, linkMs, 'rows')}; the rest (${secs(downloadMs - linkMs)}) is the stage: parse + Dexie/fake-indexeddb writes`,
  );
  db.close();
  await StationDb.delete(db.name);
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Lookup latency in Chromium

async function benchLookups(): Promise<void> {
  const bundle = await build({
    entryPoints: [path.join(ROOT, 'scripts/bench/lookup-page.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]!.contents;
  const page = Buffer.from('<!doctype html><meta charset="utf-8"><title>lookup bench</title><script src="/bench.js"></script>');
  // IndexedDB needs a real origin: a page on 127.0.0.1, not about:blank or file://.
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
    const params: LookupBenchParams = { rows: ROWS, lookups: LOOKUPS, seed: 2026 };
    const result = await tab.evaluate(
      (p) => (globalThis as unknown as { runLookupBench: (p: LookupBenchParams) => Promise<LookupBenchResult> }).runLookupBench(p),
      params,
    );
    const version = browser.version();
    const line = (label: string, series: LookupSeries) => {
      if (series.found !== LOOKUPS) throw new Error(`${label}: found ${series.found} of ${LOOKUPS}`);
      add(`2. ${label}: bulk load ${ROWS.toLocaleString('en-US')} rows`, secs(series.loadMs), `${rate(ROWS, series.loadMs, 'rows')}; chunks of 10,000`);
      add(
        `2. ${label}: lookup by citizen no. p50 / p99`,
        `${ms(percentile(series.samples, 0.5))} / ${ms(percentile(series.samples, 0.99))}`,
        `${LOOKUPS} random hits, one at a time; mean ${ms(series.samples.reduce((a, b) => a + b, 0) / series.samples.length)}, max ${ms(Math.max(...series.samples))}`,
      );
      add(
        `2. ${label}: lookup by last 6 chars p50 / p99`,
        `${ms(percentile(series.last6Samples, 0.5))} / ${ms(percentile(series.last6Samples, 0.99))}`,
        `${series.last6Samples.length} lookups on the idLast6 index`,
      );
    };
    line('Chromium, app (RosterRepository/Dexie)', result.dexie);
    line('Chromium, raw IndexedDB baseline', result.raw);
    add('2. browser', `Chromium ${version}`, 'headless, real IndexedDB (LevelDB on disk)');
  } finally {
    await browser.close();
    web.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 3. Upload through the real path, and the same requests to an echo server

interface SentRequest {
  method: 'PUT' | 'POST';
  target: string;
  contentType: string;
  body: Uint8Array;
}

async function benchUpload(station: Station): Promise<void> {
  const db = new StationDb(`bench-upload-${randomUUID()}`, { dataKey: await benchDataKey() });
  const repo = new ConfirmationRepository(db);
  const photoBytes = Math.round(BLOB_KB * 1024 * 0.75);
  const signatureBytes = BLOB_KB * 1024 - photoBytes;
  const t0 = performance.now();
  for (let i = 0; i < UPLOADS; i++) {
    const entry = syntheticCandidate(i, POINT.name);
    await repo.save({
      content: {
        candidate: { citizenId: entry.citizenId, registrationNo: entry.registrationNo, name: entry.name },
        identification: { source: 'chip', cardType: 'resident' },
        outcome: 'confirmed',
        reasons: [],
        decidedAt: new Date().toISOString(),
      },
      // Random bytes: photos and signatures do not compress, and each record's blobs are its own.
      blobs: [
        { role: 'standard-photo', mime: 'image/jpeg', bytes: new Uint8Array(randomBytes(photoBytes)) },
        { role: 'signature', mime: 'image/png', bytes: new Uint8Array(randomBytes(signatureBytes)) },
      ],
    });
  }
  const saveMs = performance.now() - t0;

  // Records what the stage sends, so the echo baseline gets the same requests in the same order.
  const sent: SentRequest[] = [];
  const recording: CentralLink = {
    ...station.link,
    uploadBlob: (sha256, mime, bytes) => {
      sent.push({ method: 'PUT', target: `${API_PREFIX}/blobs/${sha256}`, contentType: mime, body: bytes });
      return station.link.uploadBlob(sha256, mime, bytes);
    },
    uploadBatch: (items: readonly ConfirmationUpload[]): Promise<ConfirmationBatchReply> => {
      sent.push({ method: 'POST', target: `${API_PREFIX}/confirmations/batch`, contentType: 'application/json', body: Buffer.from(JSON.stringify({ confirmations: items })) });
      return station.link.uploadBatch(items);
    },
  };
  const stage = new UploadStage(db, recording);
  const t1 = performance.now();
  const result = await stage.runOnce(Date.now(), { force: true });
  const uploadMs = performance.now() - t1;
  if (result.acknowledged !== UPLOADS || (await db.outbox.count()) !== 0) throw new Error(`upload acknowledged ${result.acknowledged} of ${UPLOADS}`);
  const bytes = sent.reduce((sum, request) => sum + request.body.length, 0);
  add(`3. save ${UPLOADS} confirmations + ${BLOB_KB} KB blobs (repository)`, secs(saveMs), `${rate(UPLOADS, saveMs, 'records')}; fake-indexeddb in Node`);
  add(
    `3. upload ${UPLOADS} confirmations, real path`,
    secs(uploadMs),
    `${rate(UPLOADS, uploadMs, 'records')}; ${sent.length} requests (${result.blobsUploaded} blob PUTs + ${result.batches} batches), ${mb(bytes)}, ${(bytes / 1024 / 1024 / (uploadMs / 1000)).toFixed(1)} MB/s`,
  );

  const echo = await startChild('scripts/bench/echo-server.ts', {});
  try {
    // Same headers as a signed request (values are placeholders), sent one after another like the stage.
    const headers = { 'x-station-id': randomUUID(), 'x-timestamp': String(Date.now()), 'x-signature': randomBytes(64).toString('base64') };
    const t2 = performance.now();
    for (const request of sent) {
      const response = await fetch(new URL(request.target, echo.url), {
        method: request.method,
        headers: { ...headers, 'content-type': request.contentType },
        body: Buffer.from(request.body),
      });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`echo: HTTP ${response.status}`);
    }
    const echoMs = performance.now() - t2;
    add(
      `3. same ${sent.length} requests to a node:http echo`,
      secs(echoMs),
      `${rate(UPLOADS, echoMs, 'records')}; baseline: HTTP + body transfer only (real path is ${(uploadMs / echoMs).toFixed(1)}×)`,
    );
  } finally {
    await echo.stop();
  }
  db.close();
  await StationDb.delete(db.name);
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const databaseUrl = process.env['DATABASE_URL'];
  const env: NodeJS.ProcessEnv = { PORT: '0', HOST: '127.0.0.1', ADMIN_TOKEN };
  const childEnv = { ...env, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATABASE_URL: '', PGLITE_DIR: '' }) };
  console.log(
    `sync-bench: ${ROWS.toLocaleString('en-US')} roster rows, ${LOOKUPS} lookups, ${UPLOADS} uploads × ${BLOB_KB} KB; ` +
      `server: server/main.ts child process on ${databaseUrl ? 'PostgreSQL (DATABASE_URL)' : 'PGlite in memory'}; ` +
      `${os.cpus().length} CPU(s), Node ${process.version}`,
  );
  const server = await startChild('server/main.ts', childEnv);
  let station: Station | undefined;
  try {
    await admin(server, `${API_PREFIX}/admin/points`, POINT);
    station = await startStation(server);
    await benchRoster(server, station);
    if (!SKIP_BROWSER) await benchLookups();
    await benchUpload(station);
  } finally {
    await station?.close();
    await server.stop();
  }
  printTable('sync benchmarks');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});

/** Blobs are encrypted at rest in the app; the bench pays the same cost. */
function benchDataKey(): Promise<CryptoKey> {
  return crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}
