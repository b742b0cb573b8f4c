// `npm test`: typecheck, lint, unit tests (Vitest), central server tests (PGlite and PostgreSQL), build,
// end-to-end tests (Playwright in Chromium), Electron end-to-end tests (Playwright's _electron).
// Every step runs even if an earlier one failed; the last line sums them as `N passed, N failed`
// (test counts from Vitest and Playwright, plus one item each for the three typechecks, lint and build),
// followed by `, N skipped` when tests were skipped. A skipped test is never counted as passed: where the
// Electron binary is absent the whole Electron project is skipped, and its line says so and why.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = mkdtempSync(path.join(tmpdir(), 'station-test-'));
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const totals = { passed: 0, failed: 0, skipped: 0 };
const summary = [];

function run(label, command, args, env = {}) {
  console.log(`\n▶ ${label}`);
  const started = Date.now();
  // npx is npx.cmd on Windows, which Node runs only through a shell (since the 2024 batch-file fix).
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env }, shell: process.platform === 'win32' });
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

/**
 * Steps that only read the tree, run side by side (the machine has two cores); each one's output is printed in
 * one piece when it ends, so the log stays readable. Counted like `step`.
 */
async function parallelSteps(steps) {
  const started = Date.now();
  const results = await Promise.all(
    steps.map(
      ({ label, command, args }) =>
        new Promise((resolve) => {
          const begun = Date.now();
          const child = spawn(command, args, { cwd: root, env: process.env, shell: process.platform === 'win32' });
          let output = '';
          child.stdout.on('data', (chunk) => (output += chunk));
          child.stderr.on('data', (chunk) => (output += chunk));
          child.on('error', (error) => (output += String(error)));
          child.on('close', (code) => {
            console.log(`\n▶ ${label}`);
            if (output) process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
            resolve({ label, ok: code === 0, seconds: ((Date.now() - begun) / 1000).toFixed(1) });
          });
        }),
    ),
  );
  for (const { label, ok, seconds } of results) {
    totals[ok ? 'passed' : 'failed'] += 1;
    summary.push(`${ok ? '✓' : '✗'} ${label} (${seconds} s)`);
  }
  console.log(`(checks side by side: ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

// The node config is the largest; the other two and lint share the second core meanwhile.
await parallelSteps([
  { label: 'typecheck node', command: npx, args: ['tsc', '-p', 'tsconfig.node.json'] },
  { label: 'typecheck core, renderer; lint', command: process.execPath, args: [fileURLToPath(new URL('./lib/checks-in-sequence.mjs', import.meta.url))] },
]);

const vitestJson = path.join(out, 'vitest.json');
const unit = run('unit tests (vitest)', npx, ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
const v = readJson(vitestJson);
const unitPassed = v?.numPassedTests ?? 0;
const unitFailed = v ? v.numFailedTests + (unit.ok || v.numFailedTests > 0 ? 0 : 1) : 1;
const unitSkipped = (v?.numPendingTests ?? 0) + (v?.numTodoTests ?? 0);
totals.passed += unitPassed;
totals.failed += unitFailed;
totals.skipped += unitSkipped;
summary.push(`${unitFailed ? '✗' : '✓'} unit: ${unitPassed} passed, ${unitFailed} failed${unitSkipped ? `, ${unitSkipped} skipped` : ''} (${unit.seconds} s)`);

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
totals.skipped += serverSkipped;
summary.push(`${serverFailed ? '✗' : '✓'} server: ${serverPassed} passed, ${serverFailed} failed, ${serverSkipped} skipped (${server.seconds} s)`);

if (step('build', process.execPath, ['scripts/build.mjs', '--quiet'])) {
  const pwJson = path.join(out, 'playwright.json');
  const e2e = run('end-to-end tests (playwright)', npx, ['playwright', 'test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson,
  });
  summary.push(playwrightLine('e2e', e2e, readJson(pwJson)));

  const electronJson = path.join(out, 'playwright-electron.json');
  const electron = run('Electron end-to-end tests (playwright _electron)', npx, ['playwright', 'test', '-c', 'test/e2e-electron/playwright.config.ts', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: electronJson,
  });
  summary.push(playwrightLine('e2e (electron)', electron, readJson(electronJson)));
} else {
  totals.failed += 2;
  summary.push('✗ e2e: not run (build failed)', '✗ e2e (electron): not run (build failed)');
}

/**
 * Adds a Playwright run to the totals: passed = expected + flaky, failed = unexpected (or 1 when the run
 * failed without a test failing), skipped on its own. A run that passed nothing and skipped everything says
 * so with the first skip reason, so a skip never reads as a pass.
 */
function playwrightLine(label, result, report) {
  const stats = report?.stats;
  const passed = stats ? stats.expected + stats.flaky : 0;
  const failed = stats ? stats.unexpected + (result.ok || stats.unexpected > 0 ? 0 : 1) : 1;
  const skipped = stats?.skipped ?? 0;
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  if (!failed && passed === 0 && skipped > 0) {
    return `– ${label}: all ${skipped} skipped, none passed — ${firstSkipReason(report) ?? 'no reason given'} (${result.seconds} s)`;
  }
  return `${failed ? '✗' : '✓'} ${label}: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''} (${result.seconds} s)`;
}

function firstSkipReason(report) {
  const suites = [...(report?.suites ?? [])];
  while (suites.length) {
    const suite = suites.shift();
    suites.push(...(suite.suites ?? []));
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        const skip = (test.annotations ?? []).find((a) => a.type === 'skip' && a.description);
        if (skip) return skip.description;
      }
    }
  }
  return undefined;
}

console.log(`\n${summary.join('\n')}\n`);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed === 0 ? 0 : 1);
