/**
 * The one database seam of the server. Two adapters implement it: PostgreSQL through `pg` (production) and
 * embedded PGlite (no install needed: `npm start`, dev, tests). Services only ever see this interface.
 *
 * Both adapters return the same JavaScript values: int8 as decimal strings (never lossy numbers), bytea as
 * Uint8Array (pg's Buffer is one), timestamptz as Date, json/jsonb parsed. Rows are `unknown` on purpose:
 * services decode them with zod (see ./rows.ts) rather than trusting a cast.
 */
export type SqlParam = string | number | boolean | Date | Uint8Array | null | readonly string[];

export interface QueryResult {
  rows: Record<string, unknown>[];
  /** Rows returned, or affected by INSERT/UPDATE/DELETE without RETURNING. */
  rowCount: number;
}

export interface Queryable {
  /** One statement with $1… parameters. */
  query(sql: string, params?: readonly SqlParam[]): Promise<QueryResult>;
  /** A script of statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export type DatabaseKind = 'pg' | 'pglite';

export interface Database extends Queryable {
  readonly kind: DatabaseKind;
  /**
   * Runs `fn` in one transaction on one connection: committed when it resolves, rolled back when it throws.
   * Use only `tx` inside `fn`: on PGlite (one connection) a query on the outer database would wait forever.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
