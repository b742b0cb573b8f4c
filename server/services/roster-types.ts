/**
 * The candidate type column of a roster import. The roster stores the national category (RosterEntry
 * .candidateType); a province's export names types as its rules bundle does (退役大学生士兵（区内）, 免试生 …). When
 * the point has a published bundle, its type labels and ids are accepted too, each as its first `rosterTypes`
 * category. Types that share a category (区内 / 区外) arrive as that category, and staff choose at the desk
 * (core/rules/bundle.ts resolveCandidateType), as for a national roster.
 */
import { describeIssues } from '../../core/api/describe-issues.js';
import { type CandidateType, candidateTypes } from '../../core/contract/roster.js';
import { InternalError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { RulesBundle } from '../../core/rules/bundle.js';
import type { Queryable } from '../db/database.js';
import { currentRulesForPoint } from './rules.js';

export interface RosterTypeVocabulary {
  /** The national category a cell names, or undefined when neither the catalogue nor the point's bundle knows it. */
  resolve(text: string): CandidateType | undefined;
  /** The labels an admin may write, for the row error: the catalogue's, then the bundle's. */
  readonly labels: readonly string[];
}

/** Width and spacing do not make another label: （区内） and (区内), a stray space, full-width letters. */
function keyOf(text: string): string {
  return text.normalize('NFKC').replace(/\s/gu, '');
}

/**
 * National ids first (a RosterEntry's own values never change meaning), then the bundle's ids and labels (the
 * point's own rules), then the catalogue's labels.
 */
export function rosterTypeVocabulary(bundle: RulesBundle | undefined): RosterTypeVocabulary {
  const byKey = new Map<string, CandidateType>();
  const add = (text: string, type: CandidateType) => {
    const key = keyOf(text);
    if (!byKey.has(key)) byKey.set(key, type);
  };
  for (const id of candidateTypes) add(id, id);
  for (const type of bundle?.candidateTypes ?? []) {
    // The bundle schema requires at least one roster type.
    const category = type.rosterTypes[0]!;
    add(type.id, category);
    add(type.label, category);
  }
  for (const id of candidateTypes) add(zhCN.candidate.types[id], id);
  const labels = [...new Set([...candidateTypes.map((id) => zhCN.candidate.types[id]), ...(bundle?.candidateTypes ?? []).map((type) => type.label)])];
  return { resolve: (text) => byKey.get(keyOf(text)), labels };
}

/** The vocabulary of a point: with its current bundle's types when one was published. */
export async function pointRosterTypes(db: Queryable, pointCode: string): Promise<RosterTypeVocabulary> {
  const envelope = await currentRulesForPoint(db, pointCode);
  if (!envelope) return rosterTypeVocabulary(undefined);
  // Checked when it was published; a stored bundle that no longer parses is the server's fault, not the roster's.
  const parsed = RulesBundle.safeParse(envelope.bundle);
  if (!parsed.success) throw new InternalError(`stored rules bundle of ${pointCode} does not parse: ${describeIssues(parsed.error)}`);
  return rosterTypeVocabulary(parsed.data);
}
