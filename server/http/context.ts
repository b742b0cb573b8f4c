import type { z } from 'zod';
import { describeIssues } from '../../core/api/describe-issues.js';
import { ValidationError } from '../../core/errors/station-error.js';
import type { Logger } from '../../core/logging/logger.js';
import type { Database } from '../db/database.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import type { RawBodies } from './body-parsers.js';
import type { AuthenticatedStations } from './station-auth.js';

/** What every route plugin gets from buildServer. */
export interface ServerContext {
  db: Database;
  now: () => Date;
  adminToken: string | undefined;
  logger: Logger;
  rawBodies: RawBodies;
  stations: AuthenticatedStations;
}

/** Parse an inbound value or answer 400 VALIDATION naming paths and rules, never the values. */
export function parseInbound<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(`${what}: ${describeIssues(parsed.error)}`, zhCN.central.errors.validation);
  return parsed.data;
}
