import type { z } from 'zod';
import { InternalError } from '../../core/errors/station-error.js';
import type { Queryable, SqlParam } from './database.js';

/**
 * Query and decode every row with `schema`. A mismatch is a bug in our SQL or a schema drift, never user error:
 * it becomes an INTERNAL error naming the column path only (row values may be personal data).
 */
export async function queryRows<S extends z.ZodType>(
  db: Queryable,
  schema: S,
  sql: string,
  params: readonly SqlParam[] = [],
): Promise<z.infer<S>[]> {
  const { rows } = await db.query(sql, params);
  return rows.map((row) => {
    const parsed = schema.safeParse(row);
    if (!parsed.success) {
      const where = parsed.error.issues.map((issue) => issue.path.join('.') || '(row)').join(', ');
      throw new InternalError(`unexpected database row shape at ${where}`);
    }
    return parsed.data;
  });
}

export async function queryOne<S extends z.ZodType>(
  db: Queryable,
  schema: S,
  sql: string,
  params: readonly SqlParam[] = [],
): Promise<z.infer<S> | undefined> {
  const rows = await queryRows(db, schema, sql, params);
  return rows[0];
}
