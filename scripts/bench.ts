/**
 * `npm run bench`: prints performance figures measured on this machine.
 *  1. ID card frame parse + decode time per frame (30 10 reply, 2321 bytes, fed as 64-byte HID reports).
 *  2. Simulated card placement → candidate on the staff screen, in Chromium against the browser host:
 *     the app's own latency (host has the decoded card → card rendered), and the total including the
 *     reader's poll wait and the simulated device's transfer time.
 * Usage: npm run bench [-- --frames 20000 --placements 20]
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumArgs } from '../playwright.config.js';
import { parseStationConfig } from '../host/config/station-config.js';
import { appPathsFrom } from '../host/app-paths.js';
import { startBrowserHost } from '../host/browser/browser-host.js';
import { silentLogger } from '../core/logging/logger.js';
import { createStationHost } from '../host/station-host.js';
import { SamFrameParser } from '../native/idcard-reader/frame-parser.js';
import { decodeReadReply } from '../native/idcard-reader/read-reply.js';
import { encodeResponse, status } from '../native/idcard-reader/sam-protocol.js';
import { syntheticCard, toCardImage } from '../native/idcard-reader/simulator/card-image.js';
import { toInputReports } from '../native/transport/hid-reports.js';
import { RosterSeed } from '../core/contract/roster.js';
import { readFileSync } from 'node:fs';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

function stats(samples: number[]): { mean: number; p50: number; p95: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { mean: samples.reduce((a, b) => a + b, 0) / samples.length, p50: at(0.5), p95: at(0.95), max: sorted.at(-1)! };
}

const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(1)} ms`);

const seed = RosterSeed.parse(JSON.parse(readFileSync(appPathsFrom(root).sampleRoster, 'utf8')));

function benchParseDecode(frames: number): void {
  const image = toCardImage(syntheticCard(seed.entries[0]!));
  const header = new Uint8Array(6);
  header.set([0x01, 0x00, 0x04, 0x00, image.fingerprint.length >> 8, image.fingerprint.length & 0xff]);
  const data = new Uint8Array(6 + 256 + 1024 + image.fingerprint.length);
  data.set(header, 0);
  data.set(image.textBlock, 6);
  data.set(image.photo, 262);
  data.set(image.fingerprint, 1286);
  const frame = encodeResponse(status.ok, data);
  const reports = toInputReports(frame);
  const parser = new SamFrameParser();
  const samples: number[] = [];
  for (let i = 0; i < frames; i += 1) {
    const t0 = performance.now();
    let decoded = 0;
    for (const report of reports) {
      for (const item of parser.push(report)) {
        if (item.kind === 'frame') {
          decodeReadReply(item.frame, { withFingerprint: true });
          decoded += 1;
        }
      }
    }
    samples.push(performance.now() - t0);
    if (decoded !== 1) throw new Error('frame not decoded');
  }
  const s = stats(samples.slice(Math.floor(frames / 10)));
  console.log(`ID card frame parse + decode (${frame.length} B in ${reports.length} HID reports, ${frames} frames):`);
  console.log(`  mean ${fmt(s.mean)}  p50 ${fmt(s.p50)}  p95 ${fmt(s.p95)}  max ${fmt(s.max)}  → ${Math.round(1000 / s.mean)} frames/s`);
}

async function benchPlacement(placements: number): Promise<void> {
  if (!existsSync(appPathsFrom(root).rendererDir)) {
    spawnSync(process.execPath, ['scripts/build.mjs', '--quiet'], { cwd: root, stdio: 'inherit' });
  }
  const paths = appPathsFrom(root);
  const host = await createStationHost({
    hostKind: 'browser',
    appVersion: 'bench',
    config: parseStationConfig({ simulators: 'on', browserHost: { port: 0 } }, 'bench'),
    defaultRosterSeedFile: paths.sampleRoster,
    logger: silentLogger,
  });
  const web = await startBrowserHost({ host, rendererDir: paths.rendererDir, ports: { staff: 0, kiosk: 0 }, logger: silentLogger });
  let cardEmittedAt = 0;
  host.subscribe('staff', (event) => {
    if (event === 'idcard.read') cardEmittedAt = performance.timeOrigin + performance.now();
  });
  const browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: chromiumArgs });
  const page = await browser.newPage();
  await page.goto(web.staffUrl);
  await page.getByTestId('roster-status').filter({ hasText: '名单' }).waitFor();
  const appLatency: number[] = [];
  const total: number[] = [];
  const candidates = seed.entries.filter((e) => e.status === 'pending');
  for (let i = 0; i < placements; i += 1) {
    const entry = candidates[i % candidates.length]!;
    await page.evaluate(() => {
      const w = window as unknown as { __shownAt?: number };
      delete w.__shownAt;
      new MutationObserver((_m, observer) => {
        if (document.querySelector('[data-testid=candidate-card]')) {
          w.__shownAt = performance.timeOrigin + performance.now();
          observer.disconnect();
        }
      }).observe(document.body, { childList: true, subtree: true });
    });
    const placedAt = performance.timeOrigin + performance.now();
    await host.dispatch('staff', 'simulator.idcard', { action: 'place', citizenId: entry.citizenId });
    await page.waitForFunction(() => (window as unknown as { __shownAt?: number }).__shownAt !== undefined);
    const shownAt = await page.evaluate(() => (window as unknown as { __shownAt: number }).__shownAt);
    appLatency.push(shownAt - cardEmittedAt);
    total.push(shownAt - placedAt);
    await host.dispatch('staff', 'simulator.idcard', { action: 'remove' });
    await page.keyboard.press('F2');
    await page.getByTestId('flow-stepper').and(page.locator('[data-step=identify]')).waitFor();
  }
  await browser.close();
  await web.close();
  await host.close();
  const a = stats(appLatency);
  const t = stats(total);
  console.log(`Simulated card placement → candidate on the staff screen (${placements} placements, Chromium):`);
  console.log(`  app latency (card decoded in host → rendered): mean ${fmt(a.mean)}  p50 ${fmt(a.p50)}  p95 ${fmt(a.p95)}  max ${fmt(a.max)}  [target ≤ 100 ms]`);
  console.log(`  total incl. poll wait and simulated transfer:  mean ${fmt(t.mean)}  p50 ${fmt(t.p50)}  p95 ${fmt(t.p95)}  max ${fmt(t.max)}`);
}

benchParseDecode(arg('frames', 20_000));
await benchPlacement(arg('placements', 20));
