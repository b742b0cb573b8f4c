import { BUILTIN_RULES_VERSION } from '../../core/contract/confirmation.js';
import type { Queryable } from '../db/database.js';

/**
 * Whether the server knows the rules version a record says it was judged under (content.rulesVersion), for the
 * record's point. A record with a version the server does not know is still stored, flagged `unknown_rules` for
 * supervisors (issue 13: a station may have a newer province bundle than the server has been told of).
 *
 * Placeholder: only the built-in rules are known. The province rules bundles (branch `rules`) replace this body
 * with a look-up of the bundles the server holds for `pointCode`'s province; the signature stays, so
 * server/services/confirmations.ts needs no change.
 */
export async function isKnownRulesVersion(_tx: Queryable, _pointCode: string, version: string): Promise<boolean> {
  return version === BUILTIN_RULES_VERSION;
}
