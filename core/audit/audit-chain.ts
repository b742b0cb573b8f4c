/**
 * The station's audit log as a hash chain (issue 12, item 6). Each entry holds the hash of the one before
 * it and the SHA-256 of its own canonical JSON (everything but `hash`), so a changed, removed, reordered or
 * inserted entry breaks the chain where it happened. The same code runs on the station (appending,
 * checking its own log), on the server (checking each station's chain as batches arrive) and in
 * `npm run -s audit:verify`.
 *
 *   nextEntry(prev, fields)          the entry after `prev` (undefined: the first of a chain)
 *   verifyChain(entries, { from })   ok, or the FIRST broken link; `from` is the last entry already
 *                                    verified, so a segment (the server's next batch) continues it
 *
 * A chain begins at genesis (prevHash = 64 zeros): either at seq 1, or with a `chain-start` entry at any
 * seq when rows written before the chain existed (legacy audit rows of upgraded stations, which carry no
 * hash) are sealed into it: the chain-start holds their count and the SHA-256 of their canonical JSON.
 * A `seal` entry does the same in the middle of a chain for unchained rows that appeared after it began;
 * these two kinds are the only entries whose seq may skip numbers (the rows they seal hold those seqs).
 *
 * What a chain cannot show by itself: the tail cut off (the last entries removed) or the whole chain
 * rewritten from some point on. Both are caught against a copy held elsewhere: the server's stored chain
 * (`from` = its last entry) and the station's record of what the server acknowledged.
 */
import { z } from 'zod';
import { sha256Hex } from '../crypto/sha256.js';
import { canonicalJson } from '../util/canonical-json.js';
import { Actor } from '../contract/staff.js';
import { Sha256Hex } from '../contract/confirmation.js';

export const GENESIS_HASH = '0'.repeat(64);

/**
 * What stations write today. Add kinds here as features come; verification (AuditEntry) accepts any
 * kebab-case kind, so a server or verifier older than the station still checks its chain.
 */
export const auditKinds = [
  'chain-start',
  'seal',
  'sign-in',
  'sign-out',
  'sign-in-failed',
  'account-locked',
  'lock',
  'unlock',
  'card-read',
  'confirmation-saved',
  'confirmation-corrected',
  'review-decision',
  'override',
  'approval',
  'approval-failed',
  'export',
  'export-full-numbers',
  'day-close',
  'handoff',
  'enrollment',
  'config',
  'key',
  'purge',
  'training-started',
  'training-purged',
  'receipt-reprint',
  'confirmation-resumed',
  'confirmation-discarded',
] as const;
export const AuditKind = z.enum(auditKinds);
export type AuditKind = z.infer<typeof AuditKind>;

/** Kinds that seal unchained rows and so may skip seqs. */
const sealingKinds: ReadonlySet<string> = new Set<AuditKind>(['chain-start', 'seal']);

/**
 * Anything shaped like a citizen number (18 characters, or the old 15 digits) or a 2017 foreign permanent
 * resident number (3 letters + 12 digits): never in an audit line.
 */
const CITIZEN_NUMBER_SHAPE = /\d{17}[\dXx]|\d{15}|[A-Za-z]{3}\d{12}/;

/** Free text about the action ("xlsx", "policy.faceCheck"): short, and never a personal value. */
export const AuditDetail = z
  .string()
  .min(1)
  .max(200)
  .refine((text) => !CITIZEN_NUMBER_SHAPE.test(text), 'audit detail must not contain a citizen number')
  .refine((text) => !text.includes('\u0000'), 'audit detail must not contain U+0000');

const Seq = z.number().int().min(1).max(2_147_483_647);

/** The fields a caller gives; seq, prevHash and hash come from the chain. */
export const AuditFields = z.strictObject({
  at: z.iso.datetime(),
  kind: AuditKind,
  actor: Actor.optional(),
  confirmationId: z.uuid().optional(),
  /** How many records an action touched (purge, export, day close). */
  count: z.number().int().nonnegative().optional(),
  detail: AuditDetail.optional(),
  /** chain-start / seal: how many unchained rows, and the SHA-256 of their canonical JSON (seq order). */
  sealedCount: z.number().int().nonnegative().optional(),
  sealedSha256: Sha256Hex.optional(),
});
export type AuditFields = z.infer<typeof AuditFields>;

/** One entry as stored and shipped. Strict: a field the hash does not cover cannot ride along. */
export const AuditEntry = AuditFields.extend({
  seq: Seq,
  kind: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'kind must be kebab-case'),
  prevHash: Sha256Hex,
  hash: Sha256Hex,
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** Where a chain segment continues from: the last entry already verified (or stored by the server). */
export type ChainAnchor = Pick<AuditEntry, 'seq' | 'hash'>;

export const auditBreakReasons = ['changed', 'removed', 'reordered', 'inserted', 'bad-link', 'malformed'] as const;
export const AuditBreakReason = z.enum(auditBreakReasons);
export type AuditBreakReason = z.infer<typeof AuditBreakReason>;

export type ChainVerdict =
  | { ok: true; count: number; last: ChainAnchor | undefined }
  | {
      ok: false;
      /** The seq at which the chain stops being valid (for `removed`: the first missing seq). */
      brokenAt: number;
      reason: AuditBreakReason;
      /** Hashes for changed / bad-link (expected = recomputed or the predecessor's), seqs otherwise. */
      expected?: string;
      found?: string;
      /** Entries before the break that verified. */
      verified: number;
    };

/** sha256 of the canonical JSON of everything but `hash`. */
export function entryHash(entry: Omit<AuditEntry, 'hash'> & { hash?: string }): string {
  const { hash: _ignored, ...content } = entry;
  return sha256Hex(canonicalJson(content));
}

/** The SHA-256 a chain-start or seal records for the unchained rows it seals (in seq order). */
export function sealHash(rows: readonly unknown[]): string {
  return sha256Hex(canonicalJson(rows));
}

/**
 * The entry after `prev` (undefined: the first of a new chain, at genesis). `firstSeq` places a new chain
 * after sealed legacy rows; `seq` lets a `seal` skip the seqs of the rows it seals. Fields are validated:
 * a detail with a citizen number is refused here, before anything is written.
 */
export function nextEntry(prev: ChainAnchor | undefined, fields: AuditFields, options: { seq?: number } = {}): AuditEntry {
  const parsed = AuditFields.parse(fields);
  const following = prev ? prev.seq + 1 : 1;
  const seq = options.seq ?? following;
  if (seq !== following && !(sealingKinds.has(parsed.kind) && seq > following)) {
    throw new RangeError(`audit seq ${seq} does not follow ${prev?.seq ?? 0}`);
  }
  const content = { ...parsed, seq, prevHash: prev ? prev.hash : GENESIS_HASH };
  return AuditEntry.parse({ ...content, hash: entryHash(content) });
}

function seqOf(raw: unknown): number | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const seq = (raw as Record<string, unknown>)['seq'];
  return typeof seq === 'number' && Number.isInteger(seq) && seq >= 1 ? seq : undefined;
}

/**
 * Checks entries in the order given and reports the FIRST broken link. `from`: the last entry of the
 * chain already verified (the server's last stored one); without it the entries must begin the chain.
 * Reasons: malformed (fails the schema), changed (its content no longer gives its hash), removed (a seq is
 * missing), reordered (a later seq came first), inserted (a second entry claims an earlier entry's place),
 * bad-link (its prevHash is not the hash before it: the previous entry was rewritten, or this one forged).
 */
export function verifyChain(entries: readonly unknown[], options: { from?: ChainAnchor } = {}): ChainVerdict {
  const { from } = options;
  let expectedSeq = from ? from.seq + 1 : 1;
  let expectedPrev = from ? from.hash : GENESIS_HASH;
  let last: ChainAnchor | undefined = from ? { seq: from.seq, hash: from.hash } : undefined;
  const seen = new Map<number, AuditEntry>();
  let verified = 0;
  const broken = (brokenAt: number, reason: AuditBreakReason, expected?: string, found?: string): ChainVerdict => ({
    ok: false,
    brokenAt,
    reason,
    ...(expected === undefined ? {} : { expected }),
    ...(found === undefined ? {} : { found }),
    verified,
  });

  for (const [i, raw] of entries.entries()) {
    const parsed = AuditEntry.safeParse(raw);
    if (!parsed.success) return broken(seqOf(raw) ?? expectedSeq, 'malformed', undefined, parsed.error.issues[0]?.path.join('.') || '(entry)');
    const entry = parsed.data;
    const recomputed = entryHash(entry);
    if (recomputed !== entry.hash) return broken(entry.seq === expectedSeq ? entry.seq : expectedSeq, 'changed', recomputed, entry.hash);

    // A chain may begin (or, for unchained rows, continue) with a sealing entry past the expected seq.
    const startsChain = last === undefined && entry.kind === 'chain-start' && entry.prevHash === GENESIS_HASH;
    const sealsGap = last !== undefined && sealingKinds.has(entry.kind) && entry.seq > expectedSeq && entry.prevHash === expectedPrev;
    if (entry.seq !== expectedSeq && !startsChain && !sealsGap) {
      if (entry.seq < expectedSeq) {
        const earlier = seen.get(entry.seq);
        if (earlier && earlier.hash !== entry.hash && earlier.prevHash === entry.prevHash) return broken(entry.seq, 'inserted', earlier.hash, entry.hash);
        return broken(expectedSeq, 'reordered', `seq ${expectedSeq}`, `seq ${entry.seq}`);
      }
      const comesLater = entries.slice(i + 1).some((other) => seqOf(other) === expectedSeq);
      return broken(expectedSeq, comesLater ? 'reordered' : 'removed', `seq ${expectedSeq}`, `seq ${entry.seq}`);
    }
    if (entry.prevHash !== expectedPrev) return broken(entry.seq, 'bad-link', expectedPrev, entry.prevHash);

    seen.set(entry.seq, entry);
    last = { seq: entry.seq, hash: entry.hash };
    expectedSeq = entry.seq + 1;
    expectedPrev = entry.hash;
    verified += 1;
  }
  return { ok: true, count: verified, last };
}
