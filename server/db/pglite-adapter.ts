import { PGlite, types } from '@electric-sql/pglite';
import type { Database, QueryResult, Queryable, SqlParam } from './database.js';

interface PgliteQueryTarget {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[]; affectedRows?: number }>;
  exec(sql: string): Promise<unknown>;
}

function queryable(target: PgliteQueryTarget): Queryable {
  return {
    async query(sql: string, params: readonly SqlParam[] = []): Promise<QueryResult> {
      const result = await target.query<Record<string, unknown>>(sql, [...params]);
      const rowCount = result.rows.length > 0 ? result.rows.length : (result.affectedRows ?? 0);
      return { rows: result.rows, rowCount };
    },
    async exec(sql: string) {
      await target.exec(sql);
    },
  };
}

export interface PgliteDatabaseOptions {
  /** A directory for a persistent database; omitted: in memory, gone when the process ends. */
  dataDir?: string | undefined;
}

/**
 * Embedded PostgreSQL (WebAssembly). Starting it takes seconds and hundreds of MB, so a process (or a test
 * file) opens one and shares it. It has a single connection: transactions are serialised by PGlite itself.
 */
export async function createPgliteDatabase(options: PgliteDatabaseOptions = {}): Promise<Database> {
  const db = await PGlite.create({
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    // Same as pg: int8 stays a decimal string instead of a number that may lose digits.
    parsers: { [types.INT8]: (value: string) => value },
  });
  const outer = queryable(db);
  return {
    kind: 'pglite',
    query: outer.query,
    exec: outer.exec,
    transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return db.transaction((tx) => fn(queryable(tx)));
    },
    async close() {
      await db.close();
    },
  };
}
