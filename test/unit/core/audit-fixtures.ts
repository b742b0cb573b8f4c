import { nextEntry, type AuditEntry, type AuditFields } from '../../../core/audit/audit-chain.js';

export const AUDIT_T0 = Date.parse('2026-11-24T01:00:00.000Z');
export const operator = { accountId: 'op-01', name: '李操作员', role: 'operator' } as const;
export const supervisor = { accountId: 'wang', name: '王主管', role: 'supervisor' } as const;

/**
 * `length` chained entries one second apart after `start` (or from genesis); `fields(i)` chooses each
 * entry's kind and extras (default: alternating sign-in / card-read by the operator).
 */
export function auditChain(
  length: number,
  options: { start?: AuditEntry; fields?: (i: number) => Omit<AuditFields, 'at'> } = {},
): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let prev = options.start;
  for (let i = 0; i < length; i++) {
    const fields = options.fields?.(i) ?? { kind: i % 2 ? 'card-read' : 'sign-in', actor: operator };
    prev = nextEntry(prev, { at: new Date(AUDIT_T0 + i * 1000).toISOString(), ...fields });
    entries.push(prev);
  }
  return entries;
}
