import { sha256Hex } from '../../core/crypto/sha256.js';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { InternalError } from '../../core/errors/station-error.js';
import type { Database, Queryable } from './database.js';
import { queryRows } from './rows.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** Any constant shared by all server processes: serialises concurrent migrators on one PostgreSQL. */
const MIGRATION_LOCK = 7_400_117;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** The migration files in version order; names are `NNNN_description.sql`, versions without gaps. */
export async function loadMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_NAME.exec(file);
    if (!match?.[1] || !match[2]) throw new InternalError(`migration file name ${file} is not NNNN_name.sql`);
    const version = Number(match[1]);
    if (version !== migrations.length + 1) throw new InternalError(`migration ${file}: expected version ${migrations.length + 1}`);
    const sql = await readFile(path.join(dir, file), 'utf8');
    migrations.push({ version, name: match[2], sql, checksum: sha256Hex(sql) });
  }
  return migrations;
}

const AppliedRow = z.object({ version: z.number().int(), checksum: z.string() });

async function lockAndReadApplied(tx: Queryable): Promise<Map<number, string>> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
  const rows = await queryRows(tx, AppliedRow, 'SELECT version, checksum FROM schema_migrations');
  return new Map(rows.map((row) => [row.version, row.checksum]));
}

export interface MigrationReport {
  applied: number[];
  alreadyApplied: number;
}

/**
 * Bring the schema up to date: each pending migration runs in its own transaction together with its row in
 * `schema_migrations`, so a failing migration leaves nothing half-applied. An applied migration whose file
 * has changed since is an error: schemas must only move forward through new files.
 */
export async function migrate(db: Database, migrations?: readonly Migration[], now: () => Date = () => new Date()): Promise<MigrationReport> {
  const all = migrations ?? (await loadMigrations());
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL
    )`);
  });
  const applied: number[] = [];
  let alreadyApplied = 0;
  for (const migration of all) {
    const ran = await db.transaction(async (tx) => {
      // Re-read under the lock: another process may have applied it meanwhile.
      const done = await lockAndReadApplied(tx);
      const checksum = done.get(migration.version);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          throw new InternalError(`migration ${migration.version}_${migration.name} was changed after it was applied`);
        }
        return false;
      }
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)', [
        migration.version,
        migration.name,
        migration.checksum,
        now(),
      ]);
      return true;
    });
    if (ran) applied.push(migration.version);
    else alreadyApplied += 1;
  }
  return { applied, alreadyApplied };
}
