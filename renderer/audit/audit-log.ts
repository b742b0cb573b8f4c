/**
 * The station's audit log over `db.audit` (Dexie), hash-chained with core/audit/audit-chain.ts.
 *
 * For callers (sign-in, approvals, exports, day close, purges …):
 *
 *   // Inside a transaction that already writes something else (the record and its audit line commit together):
 *   await db.transaction('rw', [db.confirmations, db.outbox, db.audit], async () => {
 *     …
 *     await appendAudit(db, { kind: 'confirmation-saved', confirmationId: id, actor, at: savedAt });
 *   });
 *
 *   // On its own (its own rw transaction):
 *   await new AuditLog(db).append({ kind: 'sign-in', actor });
 *
 * `appendAudit` must run inside a Dexie rw transaction whose scope includes `db.audit`: reading the last
 * entry and adding the next one in the same transaction is what keeps two concurrent appends from both
 * chaining to the same predecessor (IndexedDB runs overlapping rw transactions one after another). It
 * never awaits anything but Dexie (SHA-256 is synchronous), so it cannot end the caller's transaction.
 * `at` defaults to now. Fields are validated: a detail with a citizen number is refused (ValidationError)
 * and the caller's transaction aborts with it. Never put names, citizen numbers or images in an entry;
 * the staff member is `actor`, a record is `confirmationId`.
 *
 * Rows without a hash (written before the chain existed, or by code not yet moved to `appendAudit`) are
 * never changed or deleted. The next append seals them into the chain instead: the first chained entry
 * is a `chain-start` at the seq after them (genesis prevHash, their count and the SHA-256 of their
 * canonical JSON); unchained rows that turn up after the chain began are sealed the same way by a `seal`
 * entry. `verify()` recomputes those seals from the rows, so a legacy row changed later is found too.
 */
import { Dexie } from 'dexie';
import { describeIssues } from '../../core/api/describe-issues.js';
import {
  AuditEntry,
  AuditFields,
  type ChainVerdict,
  nextEntry,
  sealHash,
  verifyChain,
} from '../../core/audit/audit-chain.js';
import type { AuditBreak } from '../../core/contract/central-api.js';
import { InvalidStateError, ValidationError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import type { AuditRow, StationDb } from '../db/station-db.js';
import { unwrapDexie } from '../db/dexie-errors.js';

export type AuditAppend = Omit<AuditFields, 'at' | 'sealedCount' | 'sealedSha256'> & { at?: string };

function isChained(row: AuditRow): boolean {
  return typeof (row as { hash?: unknown }).hash === 'string';
}

/** The audit table declares only the legacy fields; it stores the rest as they are. */
function asRow(entry: AuditEntry): AuditRow {
  // zod types an optional member as `T | undefined`; a parsed entry never carries an undefined member.
  return entry as AuditRow;
}

/** The entry a chained row holds, or undefined for a damaged one (verify() reports it). */
function asEntry(row: AuditRow): AuditEntry | undefined {
  const parsed = AuditEntry.safeParse(row);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Appends one entry (after sealing any unchained rows before it). Must be called inside a rw transaction
 * that includes `db.audit`; returns the entry written.
 */
export async function appendAudit(db: StationDb, fields: AuditAppend, now: () => Date = () => new Date()): Promise<AuditEntry> {
  const tx = Dexie.currentTransaction;
  if (!tx || tx.mode !== 'readwrite' || !tx.storeNames.includes(db.audit.name)) {
    throw new InvalidStateError('appendAudit must run inside a rw transaction that includes db.audit', zhCN.audit.notInTransaction);
  }
  const { at, ...rest } = fields;
  const parsed = AuditFields.safeParse({ ...rest, at: at ?? now().toISOString() });
  if (!parsed.success) {
    const aboutDetail = parsed.error.issues.some((issue) => issue.path[0] === 'detail');
    throw new ValidationError(`audit entry: ${describeIssues(parsed.error)}`, aboutDetail ? zhCN.audit.detailRefused : zhCN.errors.validation);
  }
  const full = parsed.data;
  const lastRow = await db.audit.orderBy(':id').last();
  let prev: AuditEntry | undefined;
  if (lastRow && isChained(lastRow)) {
    prev = asEntry(lastRow);
    // A damaged last entry cannot be chained to honestly; refuse rather than fork the chain.
    if (!prev) throw new InvalidStateError('the last audit entry is damaged; run the audit check', zhCN.audit.damaged);
  } else if (lastRow) {
    prev = await sealUnchained(db, full.at);
  }
  const entry = nextEntry(prev, full);
  await db.audit.add(asRow(entry));
  return entry;
}

/** The last row is unchained: seal every unchained row after the last chained entry (or all of them). */
async function sealUnchained(db: StationDb, at: string): Promise<AuditEntry> {
  const lastChainedRow = await db.audit.orderBy(':id').reverse().filter(isChained).first();
  const lastChained = lastChainedRow ? asEntry(lastChainedRow) : undefined;
  if (lastChainedRow && !lastChained) throw new InvalidStateError('the last audit entry is damaged; run the audit check', zhCN.audit.damaged);
  const unchained = lastChained ? await db.audit.where(':id').above(lastChained.seq).toArray() : await db.audit.orderBy(':id').toArray();
  const lastSeq = unchained.at(-1)?.seq ?? lastChained?.seq ?? 0;
  const seal = nextEntry(
    lastChained,
    { at, kind: lastChained ? 'seal' : 'chain-start', sealedCount: unchained.length, sealedSha256: sealHash(unchained) },
    { seq: lastSeq + 1 },
  );
  await db.audit.add(asRow(seal));
  return seal;
}

/** Standalone appends and reads of the chain, each in its own transaction. */
export class AuditLog {
  constructor(
    private readonly db: StationDb,
    private readonly now: () => Date = () => new Date(),
  ) {}

  append(fields: AuditAppend): Promise<AuditEntry> {
    return unwrapDexie(() => this.db.transaction('rw', this.db.audit, () => appendAudit(this.db, fields, this.now)));
  }

  /**
   * Chained rows with seq > `afterSeq`, in seq order, at most `limit`, as stored (unchecked: shipping
   * sends a damaged row too, for the server to flag). Unchained rows are not part of the chain.
   */
  async entriesAfter(afterSeq: number, limit = Infinity): Promise<Array<{ seq: number } & Record<string, unknown>>> {
    const rows: Array<{ seq: number } & Record<string, unknown>> = [];
    await this.db.audit
      .where(':id')
      .above(afterSeq)
      .until(() => rows.length >= limit)
      .each((row) => {
        // The table's key: every stored row has a numeric seq.
        if (isChained(row)) rows.push(row as unknown as { seq: number } & Record<string, unknown>);
      });
    return rows;
  }

  /** The last chained entry, if the chain has begun. */
  async last(): Promise<AuditEntry | undefined> {
    const row = await this.db.audit.orderBy(':id').reverse().filter(isChained).first();
    return row ? asEntry(row) : undefined;
  }

  /**
   * Checks the whole local log: the chain, and each chain-start / seal against the unchained rows it
   * sealed (a sealed row changed, removed or added later is reported at the seal's seq as `changed`).
   */
  async verify(): Promise<ChainVerdict> {
    const rows = await this.db.audit.orderBy(':id').toArray();
    const chained = rows.filter(isChained);
    const verdict = verifyChain(chained);
    let lastChainedSeq = 0;
    for (const row of chained) {
      if (!verdict.ok && (row.seq ?? 0) >= verdict.brokenAt) break;
      const entry = asEntry(row);
      if (entry && (entry.kind === 'chain-start' || entry.kind === 'seal')) {
        const sealed = rows.filter((r) => !isChained(r) && (r.seq ?? 0) > lastChainedSeq && (r.seq ?? 0) < entry.seq);
        if (sealed.length !== entry.sealedCount || sealHash(sealed) !== entry.sealedSha256) {
          return { ok: false, brokenAt: entry.seq, reason: 'changed', ...(entry.sealedSha256 ? { expected: entry.sealedSha256 } : {}), found: sealHash(sealed), verified: chained.indexOf(row) };
        }
      }
      lastChainedSeq = row.seq ?? lastChainedSeq;
    }
    // Unchained rows after the last chained entry are sealed by the next append; they break nothing yet.
    return verdict;
  }
}


/** A break the server flagged, as staff read it (the 数据同步 panel, the supervisor's day). */
export function describeAuditBreak(flag: Pick<AuditBreak, 'seq' | 'reason'>): string {
  // Indexing by the contract's reasons: a reason without Chinese text fails the typecheck.
  return zhCN.audit.serverBreak(flag.seq, zhCN.audit.reasons[flag.reason]);
}
