/**
 * The real entry points as processes: server/main.ts listening on a port, stopped by SIGTERM, and
 * server/admin-cli.ts against the same data. This file's only PGlite runs inside those child processes.
 */
import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HealthReply } from '../../core/contract/central-api.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const ADMIN_TOKEN = 'main-test-admin-token-0123';
const run = promisify(execFile);

type DbEnv = { DATABASE_URL: string } | { PGLITE_DIR: string };

function childEnv(db: DbEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', ADMIN_TOKEN, ...db };
  if (!('DATABASE_URL' in db)) delete env['DATABASE_URL'];
  if (!('PGLITE_DIR' in db)) delete env['PGLITE_DIR'];
  return env;
}

interface Running {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output: () => string;
}

/** Starts server/main.ts and waits for its "listening" log line (JSON) with the actual URL. */
function startMain(db: DbEnv): Promise<Running> {
  const child = spawn(TSX, ['server/main.ts'], { cwd: ROOT, env: childEnv(db) });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      for (const line of output.split('\n')) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as { message?: string; url?: string };
        if (entry.message === 'listening' && entry.url) resolve({ child, url: entry.url, output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

function stop(running: Running): Promise<number | null> {
  return new Promise((resolve) => {
    running.child.once('exit', (code) => resolve(code));
    running.child.kill('SIGTERM');
  });
}

async function exerciseRunningServer(running: Running, database: 'pg' | 'pglite'): Promise<void> {
  expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const health = await fetch(`${running.url}/api/v1/health`);
  expect(health.status).toBe(200);
  expect(health.headers.get('date')).toBeTruthy();
  expect(HealthReply.parse(await health.json()).database).toBe(database);

  const created = await fetch(`${running.url}/api/v1/admin/points`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ code: 'MAIN-01', name: '进程测试确认点' }),
  });
  expect(created.status).toBe(201);
  // Logs carry codes and counts: the point's name never appears.
  expect(running.output()).not.toContain('进程测试确认点');
}

/** The CLI against the data the server left behind: the point exists, a code is issued. */
async function exerciseCli(db: DbEnv): Promise<void> {
  const { stdout } = await run(TSX, ['server/admin-cli.ts', 'issue-code', 'MAIN-01', '--ttl-minutes', '30'], { cwd: ROOT, env: childEnv(db) });
  expect(stdout).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/m);
  const refused = await run(TSX, ['server/admin-cli.ts', 'create-point', 'MAIN-01', '重复'], { cwd: ROOT, env: childEnv(db) }).catch(
    (error: { code?: number; stdout?: string }) => error,
  );
  expect('code' in refused ? refused.code : 0).toBe(1);
  expect(refused.stdout).toContain('POINT_EXISTS');
}

describe('server/main.ts and the admin CLI as processes [pglite]', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'central-pglite-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('listen, serve, stop on SIGTERM with exit code 0, and keep the data in PGLITE_DIR for the CLI', async () => {
    const running = await startMain({ PGLITE_DIR: dir });
    await exerciseRunningServer(running, 'pglite');
    expect(await stop(running)).toBe(0);
    await exerciseCli({ PGLITE_DIR: dir });
  }, 120_000);
});

const postgresUrl = process.env['TEST_DATABASE_URL'] || undefined;
describe.skipIf(!postgresUrl)(
  `server/main.ts and the admin CLI as processes [postgres]${postgresUrl ? '' : ' — skipped: TEST_DATABASE_URL is not set'}`,
  () => {
    const name = `station_main_${randomBytes(6).toString('hex')}`;
    let url = '';
    beforeAll(async () => {
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const own = new URL(postgresUrl ?? '');
      own.pathname = `/${name}`;
      url = own.toString();
    });
    afterAll(async () => {
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    });

    it('listen on DATABASE_URL, serve, stop on SIGTERM with exit code 0; the CLI sees the same data', async () => {
      const running = await startMain({ DATABASE_URL: url });
      await exerciseRunningServer(running, 'pg');
      expect(await stop(running)).toBe(0);
      await exerciseCli({ DATABASE_URL: url });
    }, 60_000);

    it('refuse to start with a bad environment, naming the variable but not its value', async () => {
      const failed = await run(TSX, ['server/main.ts'], {
        cwd: ROOT,
        env: { ...childEnv({ DATABASE_URL: url }), ADMIN_TOKEN: 'short-secret' },
      }).catch((error: { code?: number; stdout?: string; stderr?: string }) => error);
      expect('code' in failed ? failed.code : 0).toBe(1);
      const text = `${failed.stdout ?? ''}${failed.stderr ?? ''}`;
      expect(text).toContain('ADMIN_TOKEN');
      expect(text).not.toContain('short-secret');
    }, 60_000);
  },
);
