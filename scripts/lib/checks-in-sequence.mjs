// The second lane of npm test's checks (scripts/test-all.mjs): typecheck core and renderer, then lint, one after
// the other; exits non-zero if any failed, after running all three.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const checks = [
  ['typecheck core', ['tsc', '-p', 'tsconfig.core.json']],
  ['typecheck renderer', ['tsc', '-p', 'tsconfig.renderer.json']],
  ['lint', ['eslint', '--max-warnings', '0', '.']],
];
let failed = 0;
for (const [label, args] of checks) {
  const started = Date.now();
  const result = spawnSync(npx, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  const ok = result.status === 0;
  if (!ok) failed += 1;
  console.log(`${ok ? '✓' : '✗'} ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
process.exit(failed === 0 ? 0 : 1);
