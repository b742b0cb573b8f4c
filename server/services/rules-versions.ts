import { z } from 'zod';
import { BUILTIN_RULES_VERSION } from '../../core/rules/bundle.js';
import type { Queryable } from '../db/database.js';
import { queryOne } from '../db/rows.js';

/**
 * Whether a confirmation record's rules stamp names rules a station of the point could have used: the stations'
 * built-in default, or a version published for that point (current or earlier: a desk adopts a new bundle only
 * between candidates, and records made offline arrive later).
 */
export async function isKnownRulesVersion(tx: Queryable, pointCode: string, version: string): Promise<boolean> {
  if (version === BUILTIN_RULES_VERSION) return true;
  const row = await queryOne(tx, z.object({ known: z.literal(1) }), 'SELECT 1 AS known FROM rules_bundles WHERE point_code = $1 AND version = $2', [pointCode, version]);
  return row !== undefined;
}
