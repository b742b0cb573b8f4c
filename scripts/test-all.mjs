// `npm test`: typecheck, lint, unit tests (Vitest), central server tests (PGlite and PostgreSQL), build,
// end-to-end tests (Playwright in Chromium).
// Every step runs even if an earlier one failed; the last line sums them as `N passed, N failed`
// (test counts from Vitest and Playwright, plus one item each for the three typechecks, lint and build).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = mkdtempSync(path.join(tmpdir(), 'station-test-'));
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const totals = { passed: 0, failed: 0 };
const summary = [];

function run(label, command, args, env = {}) {
  console.log(`\n▶ ${label}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  return { ok: result.status === 0, seconds };
}

function step(label, command, args) {
  const { ok, seconds } = run(label, command, args);
  totals[ok ? 'passed' : 'failed'] += 1;
  summary.push(`${ok ? '✓' : '✗'} ${label} (${seconds} s)`);
  return ok;
}

function readJson(file) {
  try {
    return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
  } catch {
    return undefined;
  }
}

for (const ring of ['core', 'renderer', 'node']) step(`typecheck ${ring}`, npx, ['tsc', '-p', `tsconfig.${ring}.json`]);
step('lint', npx, ['eslint', '--max-warnings', '0', '.']);

const vitestJson = path.join(out, 'vitest.json');
const unit = run('unit tests (vitest)', npx, ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
const v = readJson(vitestJson);
const unitPassed = v?.numPassedTests ?? 0;
const unitFailed = v ? v.numFailedTests + (unit.ok || v.numFailedTests > 0 ? 0 : 1) : 1;
totals.passed += unitPassed;
totals.failed += unitFailed;
summary.push(`${unitFailed ? '✗' : '✓'} unit: ${unitPassed} passed, ${unitFailed} failed (${unit.seconds} s)`);

// The central server's tests run against PGlite and a throwaway real PostgreSQL cluster in the same run.
const serverJson = path.join(out, 'server.json');
const server = run('server tests (vitest, PGlite + PostgreSQL)', 'bash', [
  'scripts/with-postgres.sh',
  npx,
  'vitest',
  'run',
  '-c',
  'test/server/vitest.config.ts',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${serverJson}`,
]);
const sv = readJson(serverJson);
const serverPassed = sv?.numPassedTests ?? 0;
const serverSkipped = sv?.numPendingTests ?? 0;
const serverFailed = sv ? sv.numFailedTests + (server.ok || sv.numFailedTests > 0 ? 0 : 1) : 1;
totals.passed += serverPassed;
totals.failed += serverFailed;
summary.push(`${serverFailed ? '✗' : '✓'} server: ${serverPassed} passed, ${serverFailed} failed, ${serverSkipped} skipped (${server.seconds} s)`);

if (step('build', process.execPath, ['scripts/build.mjs', '--quiet'])) {
  const pwJson = path.join(out, 'playwright.json');
  const e2e = run('end-to-end tests (playwright)', npx, ['playwright', 'test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson,
  });
  const stats = readJson(pwJson)?.stats;
  const e2ePassed = stats ? stats.expected + stats.flaky : 0;
  const e2eFailed = stats ? stats.unexpected + (e2e.ok || stats.unexpected > 0 ? 0 : 1) : 1;
  totals.passed += e2ePassed;
  totals.failed += e2eFailed;
  summary.push(`${e2eFailed ? '✗' : '✓'} e2e: ${e2ePassed} passed, ${e2eFailed} failed (${e2e.seconds} s)`);
} else {
  totals.failed += 1;
  summary.push('✗ e2e: not run (build failed)');
}

console.log(`\n${summary.join('\n')}\n`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed === 0 ? 0 : 1);
