import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import { silentLogger } from '../../../core/logging/logger.js';
import type { Database } from '../../../server/db/database.js';
import { migrate } from '../../../server/db/migrator.js';
import { createPgDatabase } from '../../../server/db/pg-adapter.js';
import { createPgliteDatabase } from '../../../server/db/pglite-adapter.js';

/** Generous: PGlite needs seconds to start, more with two test files starting at once. */
export const DB_HOOK_TIMEOUT = 60_000;

interface Target {
  name: 'pglite' | 'postgres';
  skipReason: string | undefined;
  /** Opens a database for one test file; `close` also removes it. `shared`: migrated files may share one per worker. */
  open(shared: boolean): Promise<Database>;
}

/**
 * One migrated PGlite per test worker (the server config runs files without isolation): starting PGlite costs
 * seconds of CPU, and each test empties every table first, so files share the instance but never rows. It is
 * kept on globalThis so that it outlives each file's module graph; the worker's exit ends it.
 */
const workerScope = globalThis as { stationTestPglite?: Promise<Database> };
async function openSharedPglite(): Promise<Database> {
  workerScope.stationTestPglite ??= createPgliteDatabase().then(async (db) => {
    await migrate(db);
    return db;
  });
  const db = await workerScope.stationTestPglite;
  return { ...db, close: async () => {} };
}

/** A database of its own per test file, so files running in parallel never see each other's rows. */
async function openPostgresDatabase(url: string): Promise<Database> {
  const name = `station_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const own = new URL(url);
  own.pathname = `/${name}`;
  const db = createPgDatabase({ connectionString: own.toString(), logger: silentLogger, max: 4 });
  return {
    ...db,
    async close() {
      await db.close();
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

const postgresUrl = process.env['TEST_DATABASE_URL'] || undefined;
const targets: Target[] = [
  { name: 'pglite', skipReason: undefined, open: (shared) => (shared ? openSharedPglite() : createPgliteDatabase()) },
  {
    name: 'postgres',
    skipReason: postgresUrl ? undefined : 'TEST_DATABASE_URL is not set (run under scripts/with-postgres.sh)',
    open: () => openPostgresDatabase(postgresUrl ?? ''),
  },
];
if (!postgresUrl) console.warn('server tests: PostgreSQL half skipped — TEST_DATABASE_URL is not set (use scripts/with-postgres.sh)');

/** Every table, children first; emptied before each test so tests share a database but not rows. */
export const ALL_TABLES = ['rules_bundles', 'staff_accounts', 'audit_breaks', 'audit_entries', 'day_closes', 'handoff_imports', 'server_keys', 'confirmation_blobs', 'confirmations', 'roster_entries', 'enrollment_codes', 'stations', 'blobs', 'points'];

export interface DbHandle {
  readonly db: Database;
  readonly kind: 'pglite' | 'postgres';
}

export interface EachDatabaseOptions {
  /** Apply migrations once before the tests and empty all tables before each (default true). */
  migrated?: boolean;
}

/**
 * Declares `body` once per database: PGlite always, PostgreSQL when TEST_DATABASE_URL is set (otherwise the
 * suite is listed as skipped, with the reason in its title). One database per file and target.
 */
export function describeEachDatabase(title: string, body: (handle: DbHandle) => void, options: EachDatabaseOptions = {}): void {
  const migrated = options.migrated ?? true;
  for (const target of targets) {
    const label = target.skipReason ? `${title} [${target.name}] — skipped: ${target.skipReason}` : `${title} [${target.name}]`;
    describe.skipIf(target.skipReason !== undefined)(label, () => {
      let db: Database | undefined;
      const handle: DbHandle = {
        get db() {
          if (!db) throw new Error('database not open');
          return db;
        },
        kind: target.name,
      };
      beforeAll(async () => {
        db = await target.open(migrated);
        if (migrated) await migrate(db);
      }, DB_HOOK_TIMEOUT);
      afterAll(async () => {
        await db?.close();
      }, DB_HOOK_TIMEOUT);
      if (migrated) {
        beforeEach(async () => {
          await handle.db.exec(`TRUNCATE ${ALL_TABLES.join(', ')}`);
        });
      }
      body(handle);
    });
  }
}

export async function countRows(db: Database, sql: string, params: ReadonlyArray<string> = []): Promise<number> {
  const { rows } = await db.query(sql, params);
  return Number(rows[0]?.['count']);
}
