import pg from 'pg';
import type { Logger } from '../../core/logging/logger.js';
import type { Database, QueryResult, Queryable, SqlParam } from './database.js';

interface PgQueryTarget {
  query(text: string, values?: unknown[]): Promise<pg.QueryResult>;
}

function toResult(result: pg.QueryResult | pg.QueryResult[]): QueryResult {
  // A multi-statement script yields one result per statement; callers of exec() ignore them anyway.
  const last = Array.isArray(result) ? result[result.length - 1] : result;
  return { rows: (last?.rows ?? []) as Record<string, unknown>[], rowCount: last?.rowCount ?? 0 };
}

function queryable(target: PgQueryTarget): Queryable {
  return {
    async query(sql: string, params: readonly SqlParam[] = []) {
      return toResult(await target.query(sql, [...params]));
    },
    async exec(sql: string) {
      // Without values pg uses the simple query protocol, which accepts several statements.
      await target.query(sql);
    },
  };
}

export interface PgDatabaseOptions {
  connectionString: string;
  /** Pool size; small by default: the server's work is short transactions. */
  max?: number;
  logger: Logger;
}

/** PostgreSQL through a `pg` Pool. */
export function createPgDatabase(options: PgDatabaseOptions): Database {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.max ?? 10 });
  // An idle client losing its connection (server restart) must not crash the process; the pool replaces it.
  pool.on('error', (error) => options.logger.warn('idle database connection failed', { error: error.name }));
  const outer = queryable(pool);
  return {
    kind: 'pg',
    query: outer.query,
    exec: outer.exec,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        try {
          const value = await fn(queryable(client));
          await client.query('COMMIT');
          return value;
        } catch (error) {
          await client.query('ROLLBACK').catch((rollbackError: unknown) => {
            // The connection is unusable; release(error) below destroys it instead of pooling it.
            broken = rollbackError instanceof Error ? rollbackError : new Error('rollback failed');
          });
          throw error;
        }
      } finally {
        client.release(broken);
      }
    },
    async close() {
      await pool.end();
    },
  };
}
