import { expect, it } from 'vitest';
import type { Database } from '../../server/db/database.js';
import { type Migration, loadMigrations, migrate } from '../../server/db/migrator.js';
import { ALL_TABLES, describeEachDatabase } from './support/databases.js';

async function resetSchema(db: Database): Promise<void> {
  await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP SEQUENCE IF EXISTS roster_row_version');
}

async function tables(db: Database): Promise<string[]> {
  const { rows } = await db.query(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  );
  return rows.map((row) => String(row['table_name']));
}

describeEachDatabase(
  'migrations',
  (handle) => {
    it('apply every migration in order on an empty database, then nothing on a second run', async () => {
      await resetSchema(handle.db);
      const files = await loadMigrations();
      expect(files.map((m) => m.version)).toEqual(files.map((_, i) => i + 1));

      const first = await migrate(handle.db);
      expect(first.applied).toEqual(files.map((m) => m.version));
      expect(await tables(handle.db)).toEqual([...ALL_TABLES, 'schema_migrations'].sort());
      const { rows } = await handle.db.query('SELECT version, name, checksum FROM schema_migrations ORDER BY version');
      expect(rows).toEqual(files.map((m) => ({ version: m.version, name: m.name, checksum: m.checksum })));

      const second = await migrate(handle.db);
      expect(second).toEqual({ applied: [], alreadyApplied: files.length });
    });

    it('refuse to run when an applied migration file has changed', async () => {
      await resetSchema(handle.db);
      const files = await loadMigrations();
      await migrate(handle.db, files);
      const edited: Migration[] = files.map((m, i) => (i === 0 ? { ...m, checksum: 'f'.repeat(64) } : m));
      await expect(migrate(handle.db, edited)).rejects.toMatchObject({ code: 'INTERNAL' });
    });

    it('roll a failing migration back completely, leaving earlier ones applied', async () => {
      await resetSchema(handle.db);
      const files = await loadMigrations();
      const broken: Migration = {
        version: files.length + 1,
        name: 'broken',
        sql: 'CREATE TABLE half_done (id int); INSERT INTO no_such_table VALUES (1);',
        checksum: '0'.repeat(64),
      };
      await expect(migrate(handle.db, [...files, broken])).rejects.toThrow();
      expect(await tables(handle.db)).not.toContain('half_done');
      const { rows } = await handle.db.query('SELECT max(version) AS v FROM schema_migrations');
      expect(rows[0]?.['v']).toBe(files.length);
      // The database is still usable and the fixed migration applies.
      const fixed = { ...broken, sql: 'CREATE TABLE half_done (id int);', checksum: '1'.repeat(64) };
      expect((await migrate(handle.db, [...files, fixed])).applied).toEqual([fixed.version]);
      expect(await tables(handle.db)).toContain('half_done');
    });

    it('give both adapters the same value types (int8 as string, bytea as bytes, timestamptz as Date, jsonb parsed)', async () => {
      await resetSchema(handle.db);
      await migrate(handle.db);
      const { rows } = await handle.db.query(
        "SELECT 9007199254740993::int8 AS big, $1::bytea AS bytes, $2::timestamptz AS at, '{\"a\":[1]}'::jsonb AS doc, 7::int4 AS small",
        [new Uint8Array([1, 2, 255]), new Date('2026-11-24T01:00:00Z')],
      );
      const row = rows[0] ?? {};
      expect(row['big']).toBe('9007199254740993');
      expect(row['bytes']).toBeInstanceOf(Uint8Array);
      expect([...(row['bytes'] as Uint8Array)]).toEqual([1, 2, 255]);
      expect(row['at']).toEqual(new Date('2026-11-24T01:00:00Z'));
      expect(row['doc']).toEqual({ a: [1] });
      expect(row['small']).toBe(7);
    });

    it('commit a transaction that resolves and roll back one that throws', async () => {
      await resetSchema(handle.db);
      await migrate(handle.db);
      const at = new Date();
      await handle.db.transaction(async (tx) => {
        await tx.query('INSERT INTO points (code, name, created_at) VALUES ($1, $2, $3)', ['KEEP', '保留', at]);
      });
      await expect(
        handle.db.transaction(async (tx) => {
          await tx.query('INSERT INTO points (code, name, created_at) VALUES ($1, $2, $3)', ['GONE', '回滚', at]);
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      const { rows } = await handle.db.query('SELECT code FROM points ORDER BY code');
      expect(rows).toEqual([{ code: 'KEEP' }]);
    });
  },
  { migrated: false },
);
