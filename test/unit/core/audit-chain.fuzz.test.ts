/**
 * verifyChain reads untrusted input (a station's batch on the server, a file handed to audit:verify): random
 * tampering of random chains is always found, no later than the entry after the first tampered position, and
 * random junk never throws.
 */
import { describe, expect, it } from 'vitest';
import { entryHash, nextEntry, verifyChain, type AuditEntry } from '../../../core/audit/audit-chain.js';
import { seededRandom } from '../../../native/simulators/seeded-random.js';

const random = seededRandom(0xa0d17);
const int = (n: number) => Math.floor(random() * n);
const kinds = ['sign-in', 'sign-out', 'card-read', 'approval', 'export', 'day-close', 'lock'] as const;
const actors = [
  { accountId: 'op-01', name: '李操作员', role: 'operator' },
  { accountId: 'wang', name: '王主管', role: 'supervisor' },
] as const;

function randomChain(length: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let prev: AuditEntry | undefined;
  for (let i = 0; i < length; i++) {
    prev = nextEntry(prev, {
      at: new Date(Date.parse('2026-11-24T00:00:00Z') + i * 60_000 + int(1000)).toISOString(),
      kind: kinds[int(kinds.length)]!,
      ...(random() < 0.7 ? { actor: actors[int(2)]! } : {}),
      ...(random() < 0.3 ? { count: int(50) } : {}),
      ...(random() < 0.3 ? { detail: `d${int(1000)}` } : {}),
    });
    entries.push(prev);
  }
  return entries;
}

type Tamper = (entries: AuditEntry[]) => { tampered: unknown[]; at: number };

const tampers: Record<string, Tamper> = {
  change(entries) {
    const i = int(entries.length);
    const e = entries[i]!;
    const changed = { ...e, count: (e.count ?? 0) + 1 + int(5) };
    return { tampered: entries.map((x, j) => (j === i ? changed : x)), at: e.seq };
  },
  rehash(entries) {
    // Rewritten with its own hash recomputed: only the next link can show it, so never the last entry.
    const i = int(entries.length - 1);
    const e = entries[i]!;
    const content = { ...e, kind: e.kind === 'lock' ? 'unlock' : 'lock' };
    return { tampered: entries.map((x, j) => (j === i ? { ...content, hash: entryHash(content) } : x)), at: e.seq };
  },
  remove(entries) {
    const i = int(entries.length - 1);
    return { tampered: entries.filter((_, j) => j !== i), at: entries[i]!.seq };
  },
  swap(entries) {
    const i = int(entries.length - 1);
    const j = i + 1 + int(entries.length - i - 1);
    const copy: unknown[] = [...entries];
    [copy[i], copy[j]] = [copy[j], copy[i]];
    return { tampered: copy, at: entries[i]!.seq };
  },
  insert(entries) {
    const i = int(entries.length);
    const intruder = nextEntry(i === 0 ? undefined : entries[i - 1], { at: entries[i]!.at, kind: 'approval' });
    return { tampered: [...entries.slice(0, i), intruder, ...entries.slice(i)], at: entries[i]!.seq };
  },
  forgeHash(entries) {
    const i = int(entries.length);
    const hash = Array.from({ length: 64 }, () => '0123456789abcdef'[int(16)]).join('');
    return { tampered: entries.map((x, j) => (j === i ? { ...x, hash } : x)), at: entries[i]!.seq };
  },
  junk(entries) {
    const i = int(entries.length);
    const junk = [null, 7, 'x', [], { seq: entries[i]!.seq }, { ...entries[i], extra: 1 }][int(6)];
    return { tampered: entries.map((x, j) => (j === i ? junk : x)), at: entries[i]!.seq };
  },
};

describe('audit chain fuzz', () => {
  it('finds every tampering of 1,400 random chains, at or right after the first tampered place', () => {
    for (let round = 0; round < 200; round++) {
      for (const [name, tamper] of Object.entries(tampers)) {
        const entries = randomChain(2 + int(20));
        const { tampered, at } = tamper(entries);
        const verdict = verifyChain(tampered);
        expect(verdict.ok, `${name} round ${round}`).toBe(false);
        if (!verdict.ok) {
          expect(verdict.brokenAt, `${name} round ${round}`).toBeGreaterThanOrEqual(1);
          expect(verdict.brokenAt, `${name} round ${round}`).toBeLessThanOrEqual(at + 1);
        }
      }
    }
  });

  it('never throws on junk, and only an empty list passes', () => {
    const values: unknown[] = [null, undefined, 0, -1, 1.5, 2 ** 31, '', 'seq', [], {}, { seq: 1 }, { seq: '1' }, { __proto__: { seq: 1 } }];
    for (let round = 0; round < 500; round++) {
      const list = Array.from({ length: 1 + int(5) }, () => values[int(values.length)]);
      const verdict = verifyChain(list);
      expect(verdict.ok).toBe(false);
    }
    expect(verifyChain([])).toEqual({ ok: true, count: 0, last: undefined });
  });

  it('cannot see the tail cut off on its own: that is what the server copy is for', () => {
    const entries = randomChain(5);
    expect(verifyChain(entries.slice(0, 4))).toMatchObject({ ok: true, count: 4 });
  });
});
