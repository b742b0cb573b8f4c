import type { Logger } from '../../core/logging/logger.js';
import type { Database } from './database.js';
import { createPgDatabase } from './pg-adapter.js';
import { createPgliteDatabase } from './pglite-adapter.js';

export type DatabaseTarget =
  | { kind: 'pg'; connectionString: string }
  | { kind: 'pglite'; dataDir?: string | undefined };

/** Opens the configured database; schema migrations are the caller's next step. */
export async function openDatabase(target: DatabaseTarget, logger: Logger): Promise<Database> {
  return target.kind === 'pg'
    ? createPgDatabase({ connectionString: target.connectionString, logger })
    : createPgliteDatabase({ dataDir: target.dataDir });
}

/** Where to log it: the database kind and, for PGlite, whether it persists. No credentials. */
export function describeTarget(target: DatabaseTarget): Record<string, string> {
  return target.kind === 'pg'
    ? { database: 'pg' }
    : { database: 'pglite', storage: target.dataDir === undefined ? 'memory' : 'directory' };
}
