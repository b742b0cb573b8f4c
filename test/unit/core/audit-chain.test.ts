import { describe, expect, it } from 'vitest';
import {
  AuditEntry,
  GENESIS_HASH,
  entryHash,
  nextEntry,
  sealHash,
  verifyChain,
  type AuditEntry as Entry,
  type AuditFields,
} from '../../../core/audit/audit-chain.js';
import { canonicalJson } from '../../../core/util/canonical-json.js';
import { sha256Hex } from '../../../core/crypto/sha256.js';
import { auditChain, supervisor } from './audit-fixtures.js';

const T = Date.parse('2026-11-24T01:00:00.000Z');
const actor = supervisor;
const kinds: AuditFields['kind'][] = ['sign-in', 'card-read', 'confirmation-saved', 'approval', 'export', 'day-close', 'sign-out'];

function chain(length: number, start?: Entry): Entry[] {
  return auditChain(length, { ...(start ? { start } : {}), fields: (i) => ({ kind: kinds[i % kinds.length]!, actor, ...(i % 3 === 0 ? { count: i } : {}) }) });
}

/** Rewrites an entry's content and recomputes its own hash, as a forger who knows the scheme would. */
function forge(entry: Entry, change: Partial<Entry>): Entry {
  const content = { ...entry, ...change };
  return { ...content, hash: entryHash(content) };
}

describe('audit chain: building', () => {
  it('starts at genesis, links each entry to the one before and hashes its canonical content', () => {
    const [first, second] = chain(2);
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, kind: 'sign-in', actor });
    const { hash, ...content } = first!;
    expect(hash).toBe(sha256Hex(canonicalJson(content)));
    expect(second).toMatchObject({ seq: 2, prevHash: first!.hash });
    expect(verifyChain(chain(30))).toMatchObject({ ok: true, count: 30, last: { seq: 30 } });
  });

  it('refuses a detail holding a citizen number, and unknown fields', () => {
    const at = new Date(T).toISOString();
    expect(() => nextEntry(undefined, { at, kind: 'export', detail: '410105200203140223 full numbers' })).toThrow(/citizen number/);
    expect(() => nextEntry(undefined, { at, kind: 'export', detail: 'id 41010520020314022X' })).toThrow(/citizen number/);
    expect(() => nextEntry(undefined, { at, kind: 'export', detail: 'xlsx, 2026-11-24, full numbers' })).not.toThrow();
    const entry = nextEntry(undefined, { at, kind: 'export' });
    expect(AuditEntry.safeParse({ ...entry, name: '林晓雨' }).success).toBe(false);
  });

  it('accepts kinds newer than this code when verifying (a newer station), but only kebab-case', () => {
    const content = { seq: 1, at: new Date(T).toISOString(), kind: 'future-thing', prevHash: GENESIS_HASH };
    expect(verifyChain([{ ...content, hash: entryHash(content) }])).toMatchObject({ ok: true, count: 1 });
    const bad = { ...content, kind: 'Future Thing' };
    expect(verifyChain([{ ...bad, hash: entryHash(bad) }])).toMatchObject({ ok: false, brokenAt: 1, reason: 'malformed' });
  });
});

describe('audit chain: the first broken link is found at the right seq', () => {
  const entries = chain(10);

  it('a changed entry (content edited, hash left)', () => {
    const tampered = entries.map((e) => (e.seq === 4 ? { ...e, count: 99 } : e));
    expect(verifyChain(tampered)).toMatchObject({ ok: false, brokenAt: 4, reason: 'changed', found: entries[3]!.hash, verified: 3 });
  });

  it('a changed entry whose own hash was recomputed: the next link breaks', () => {
    const tampered = entries.map((e) => (e.seq === 4 ? forge(e, { kind: 'sign-out' }) : e));
    expect(verifyChain(tampered)).toMatchObject({ ok: false, brokenAt: 5, reason: 'bad-link', found: entries[3]!.hash });
  });

  it('a forged hash (a made-up value)', () => {
    const tampered = entries.map((e) => (e.seq === 7 ? { ...e, hash: 'f'.repeat(64) } : e));
    expect(verifyChain(tampered)).toMatchObject({ ok: false, brokenAt: 7, reason: 'changed', expected: entries[6]!.hash });
  });

  it('a removed entry, in the middle and at the very start', () => {
    expect(verifyChain(entries.filter((e) => e.seq !== 6))).toMatchObject({ ok: false, brokenAt: 6, reason: 'removed', verified: 5 });
    expect(verifyChain(entries.slice(1))).toMatchObject({ ok: false, brokenAt: 1, reason: 'removed' });
  });

  it('a removed entry with the seqs after it renumbered: the first renumbered one no longer matches its hash', () => {
    const renumbered = entries.filter((e) => e.seq !== 6).map((e) => (e.seq > 6 ? { ...e, seq: e.seq - 1 } : e));
    expect(verifyChain(renumbered)).toMatchObject({ ok: false, brokenAt: 6, reason: 'changed' });
  });

  it('reordered entries', () => {
    const swapped = [...entries];
    [swapped[2], swapped[3]] = [swapped[3]!, swapped[2]!];
    expect(verifyChain(swapped)).toMatchObject({ ok: false, brokenAt: 3, reason: 'reordered', found: 'seq 4' });
    const moved = [...entries.slice(0, 2), ...entries.slice(3), entries[2]!];
    expect(verifyChain(moved)).toMatchObject({ ok: false, brokenAt: 3, reason: 'reordered' });
  });

  it('an inserted entry that claims a place (same seq, chained to the same predecessor)', () => {
    const intruder = nextEntry(entries[4], { at: new Date(T + 4500).toISOString(), kind: 'approval', actor });
    const inserted = [...entries.slice(0, 5), intruder, ...entries.slice(5)];
    expect(verifyChain(inserted)).toMatchObject({ ok: false, brokenAt: 6, reason: 'inserted' });
    // Not chained to anything: the link breaks at its own seq.
    const loose = forge(intruder, { prevHash: 'a'.repeat(64) });
    expect(verifyChain([...entries.slice(0, 5), loose, ...entries.slice(5)])).toMatchObject({ ok: false, brokenAt: 6, reason: 'bad-link' });
  });

  it('a malformed entry', () => {
    const broken: unknown[] = entries.map((e) => (e.seq === 2 ? { ...e, prevHash: 'not a hash' } : e));
    expect(verifyChain(broken)).toMatchObject({ ok: false, brokenAt: 2, reason: 'malformed', found: 'prevHash' });
    expect(verifyChain([entries[0], 'junk'])).toMatchObject({ ok: false, brokenAt: 2, reason: 'malformed' });
  });
});

describe('audit chain: segments', () => {
  const entries = chain(12);

  it('a segment verifies when it continues the last verified entry', () => {
    const head = verifyChain(entries.slice(0, 5));
    expect(head.ok).toBe(true);
    const from = head.ok ? head.last : undefined;
    expect(verifyChain(entries.slice(5), { ...(from ? { from } : {}) })).toMatchObject({ ok: true, count: 7, last: { seq: 12 } });
    expect(verifyChain([], { from: entries[4]! })).toMatchObject({ ok: true, count: 0, last: { seq: 5 } });
  });

  it('a segment that skips, repeats or does not link to the anchor is broken', () => {
    expect(verifyChain(entries.slice(6), { from: entries[4]! })).toMatchObject({ ok: false, brokenAt: 6, reason: 'removed' });
    expect(verifyChain(entries.slice(4), { from: entries[4]! })).toMatchObject({ ok: false, brokenAt: 6, reason: 'reordered' });
    expect(verifyChain(entries.slice(5), { from: { seq: 5, hash: 'b'.repeat(64) } })).toMatchObject({ ok: false, brokenAt: 6, reason: 'bad-link' });
    // Without an anchor, a segment from the middle does not begin a chain.
    expect(verifyChain(entries.slice(5))).toMatchObject({ ok: false, brokenAt: 1, reason: 'removed' });
  });

  it('a chain may begin with a chain-start after sealed legacy rows, and a seal may skip the seqs it seals', () => {
    const legacy = [
      { seq: 1, at: new Date(T).toISOString(), kind: 'confirmation-saved' },
      { seq: 2, at: new Date(T).toISOString(), kind: 'training-purged', count: 2 },
    ];
    const start = nextEntry(undefined, { at: new Date(T).toISOString(), kind: 'chain-start', sealedCount: 2, sealedSha256: sealHash(legacy) }, { seq: 3 });
    const rest = chain(3, start);
    expect(verifyChain([start, ...rest])).toMatchObject({ ok: true, count: 4, last: { seq: 6 } });
    const seal = nextEntry(rest[2], { at: new Date(T).toISOString(), kind: 'seal', sealedCount: 1, sealedSha256: sealHash([{}]) }, { seq: 8 });
    expect(verifyChain([start, ...rest, seal])).toMatchObject({ ok: true, count: 5 });
    // Only sealing entries may skip; an ordinary entry at seq 8 after 6 means seq 7 was removed.
    expect(() => nextEntry(rest[2], { at: new Date(T).toISOString(), kind: 'sign-in' }, { seq: 8 })).toThrow(RangeError);
    const skipping = forge(nextEntry(rest[2], { at: new Date(T).toISOString(), kind: 'sign-in' }), { seq: 8 });
    expect(verifyChain([start, ...rest, skipping])).toMatchObject({ ok: false, brokenAt: 7, reason: 'removed' });
    // The chain-start itself removed: what is left does not begin at genesis.
    expect(verifyChain(rest)).toMatchObject({ ok: false, brokenAt: 1, reason: 'removed' });
  });
});
