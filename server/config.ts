import { z } from 'zod';
import { describeIssues } from '../core/api/describe-issues.js';
import { ValidationError } from '../core/errors/station-error.js';
import type { DatabaseTarget } from './db/open-database.js';
import { DEFAULT_RECEIPT_VERIFY_PER_MINUTE } from './http/rate-limit.js';

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(17400),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** PostgreSQL connection string; when absent the server embeds PGlite. */
  DATABASE_URL: z.string().regex(/^postgres(?:ql)?:\/\//, 'must be a postgres:// URL').optional(),
  /** PGlite data directory; absent: an in-memory database (dev only, gone on exit). */
  PGLITE_DIR: z.string().min(1).optional(),
  /** Bearer token for the admin API; absent: the admin API is off. */
  ADMIN_TOKEN: z.string().min(16, 'ADMIN_TOKEN must have at least 16 characters').optional(),
  /** Public receipt verifications allowed per minute per peer address. */
  RECEIPT_VERIFY_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(DEFAULT_RECEIPT_VERIFY_PER_MINUTE),
});

export interface ServerConfig {
  port: number;
  host: string;
  database: DatabaseTarget;
  adminToken: string | undefined;
  receiptVerifyPerMinute: number;
}

/** Empty variables count as unset, as in most shells' `VAR= cmd`. */
function present(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => Boolean(entry[1])));
}

export function databaseTargetFrom(env: { DATABASE_URL?: string | undefined; PGLITE_DIR?: string | undefined }): DatabaseTarget {
  return env.DATABASE_URL !== undefined
    ? { kind: 'pg', connectionString: env.DATABASE_URL }
    : { kind: 'pglite', dataDir: env.PGLITE_DIR };
}

export function loadServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = Env.safeParse(present(env));
  // Issue paths only: values may be secrets (a URL with a password, the admin token).
  if (!parsed.success) throw new ValidationError(`server environment: ${describeIssues(parsed.error)}`);
  const e = parsed.data;
  return { port: e.PORT, host: e.HOST, database: databaseTargetFrom(e), adminToken: e.ADMIN_TOKEN, receiptVerifyPerMinute: e.RECEIPT_VERIFY_PER_MINUTE };
}
