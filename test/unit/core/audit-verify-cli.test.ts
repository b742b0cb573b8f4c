/**
 * The audit:verify CLI on temp files, in-process through the same function the script runs; one test runs
 * the real script as a child process so that the entry point and the npm script are covered too.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryHash } from '../../../core/audit/audit-chain.js';
import { auditChain, supervisor } from './audit-fixtures.js';
import { runAuditVerify } from '../../../scripts/lib/audit-verify-cli.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-verify-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const chain = (length: number) => auditChain(length, { fields: (i) => ({ kind: i % 2 ? 'export' : 'sign-in', actor: supervisor }) });

let fileNo = 0;
function file(text: string, ext = 'jsonl'): string {
  const path = join(dir, `audit-${++fileNo}.${ext}`);
  writeFileSync(path, text);
  return path;
}
const jsonl = (entries: readonly unknown[]) => file(entries.map((e) => JSON.stringify(e)).join('\n') + '\n');

async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAuditVerify(args, { out: (line) => out.push(line), err: (line) => err.push(line), env: {} });
  return { code, out, err };
}

describe('audit:verify --file', () => {
  it('prints OK with the count for an intact chain, as JSON lines, an array or { entries }', async () => {
    const entries = chain(6);
    expect(await run(['--file', jsonl(entries)])).toEqual({ code: 0, out: ['OK: 6 entries'], err: [] });
    expect((await run(['--file', file(JSON.stringify(entries), 'json')])).out).toEqual(['OK: 6 entries']);
    expect((await run(['--file', file(JSON.stringify({ entries }), 'json')])).out).toEqual(['OK: 6 entries']);
  });

  it('prints the first broken link with the expected and found hash, and exits 1', async () => {
    const entries = chain(6);
    const changed = entries.map((e) => (e.seq === 4 ? { ...e, kind: 'day-close' } : e));
    const result = await run(['--file', jsonl(changed)]);
    expect(result.code).toBe(1);
    expect(result.out).toEqual([`BROKEN at seq 4: changed (expected ${entryHash(changed[3]!)}, found ${entries[3]!.hash}); 3 entries before it verified`]);

    const removed = await run(['--file', jsonl(entries.filter((e) => e.seq !== 2))]);
    expect(removed).toMatchObject({ code: 1, out: ['BROKEN at seq 2: removed (expected seq 2, found seq 3); 1 entry before it verified'] });

    const reordered = [entries[0], entries[2], entries[1], ...entries.slice(3)];
    expect((await run(['--file', jsonl(reordered)])).out[0]).toMatch(/^BROKEN at seq 2: reordered/);
  });

  it('reports a line that is not JSON as a malformed entry in its place', async () => {
    const lines = chain(3).map((e) => JSON.stringify(e));
    lines[1] = '{"seq": 2, oops';
    expect((await run(['--file', file(lines.join('\n'))])).out[0]).toMatch(/^BROKEN at seq 2: malformed/);
  });

  it('exits 2 on bad arguments, an unreadable file or one that is no audit file', async () => {
    for (const args of [[], ['--file'], ['--bogus', 'x'], ['--file', 'a', 'b'], ['--station', 'not-a-uuid']]) {
      const result = await run(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err.join('\n')).toMatch(/usage|station id/);
    }
    expect((await run(['--file', join(dir, 'missing.jsonl')])).code).toBe(2);
    expect((await run(['--file', file('{"hello": 1}', 'json')])).code).toBe(2);
    // --station without a database to read.
    expect((await run(['--station', '123e4567-e89b-42d3-a456-426614174000'])).err.join('\n')).toMatch(/DATABASE_URL or PGLITE_DIR/);
  });

  it('runs as `npm run -s audit:verify`', async () => {
    const path = jsonl(chain(2));
    const result = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
      execFile('npm', ['run', '-s', 'audit:verify', '--', '--file', path], { cwd: repo }, (error, stdout) =>
        resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout }),
      );
    });
    expect(result).toEqual({ status: 0, stdout: 'OK: 2 entries\n' });
  });
});
