import { defineConfig } from '@playwright/test';
import { electronTarget, SKIP_PREFIX } from './target.js';

/**
 * The Electron-level end-to-end tests (_electron.launch), their own project beside test/e2e (the browser
 * host in Chromium). Run by `npm run test:e2e:electron`, by `npm test` as its own line, and by the public CI
 * (.github/workflows/station.yml) against the dev build and the packaged app.
 */
const target = electronTarget();
// The public CI sets this: there a missing binary is a failure, never a quiet skip.
if (target.kind === 'none' && process.env['STATION_E2E_REQUIRE_ELECTRON'] === '1') throw new Error(`Electron e2e required but not possible: ${target.reason}`);
// Said once, by the runner's own process (workers load this file too).
if (target.kind === 'none' && process.env['TEST_WORKER_INDEX'] === undefined) console.log(`\n${SKIP_PREFIX} ${target.reason}\n`);
if (target.kind !== 'none' && process.env['TEST_WORKER_INDEX'] === undefined) console.log(`\nElectron e2e against the ${target.label}\n`);

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  workers: 1,
  // Each test launches the whole app (host, devices, two windows); the limits are hang guards.
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: { trace: 'retain-on-failure' },
});
