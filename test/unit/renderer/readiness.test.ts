import { describe, expect, it } from 'vitest';
import type { DeviceStatus } from '../../../core/contract/devices.js';
import { assessReadiness, isBlocked, readinessLimits, type ReadinessInput } from '../../../renderer/staff/services/readiness.js';
import { createReadinessStore } from '../../../renderer/staff/stores/readiness-store.js';

const now = Date.parse('2026-12-03T08:00:00Z');
const ready = (kind: DeviceStatus['kind']): DeviceStatus => ({ kind, state: 'ready', simulated: true, model: kind });
const policy = { rosterMaxAgeHours: 24, faceCheck: 'required', standardPhoto: 'required', fingerprints: 'required' } as const;

function input(overrides: Partial<ReadinessInput> = {}): ReadinessInput {
  return {
    host: { checkedAt: new Date(now).toISOString(), freeDiskBytes: 50 * 1024 ** 3, clock: { offsetMs: 800, ageMs: 1000 } },
    devices: [ready('idcard-reader'), ready('fingerprint-scanner'), ready('camera')],
    policy,
    gate: { age: { updatedAt: now - 3_600_000, ageHours: 1, stale: false }, limitHours: 24, blocked: false },
    backlog: { pending: 0, needsAttention: 0, lastSuccessAt: now - 60_000, enrolled: true },
    now,
    ...overrides,
  };
}

const ids = (i: ReadinessInput) => assessReadiness(i).map((p) => `${p.id}:${p.severity}`);

describe('readiness before each candidate', () => {
  it('finds nothing when all is well', () => {
    expect(assessReadiness(input())).toEqual([]);
  });

  it('blocks on a nearly full disk and warns on a tight one', () => {
    expect(ids(input({ host: { checkedAt: '2026-12-03T08:00:00.000Z', freeDiskBytes: readinessLimits.diskBlockBytes - 1 } }))).toEqual(['disk:blocking']);
    expect(ids(input({ host: { checkedAt: '2026-12-03T08:00:00.000Z', freeDiskBytes: readinessLimits.diskWarnBytes - 1 } }))).toEqual(['disk:warning']);
    const full = assessReadiness(input({ host: { checkedAt: '2026-12-03T08:00:00.000Z', freeDiskBytes: 300 * 1024 ** 2 } }));
    expect(full[0]?.message).toContain('300 MB');
  });

  it('blocks on a clock far from the server, warns on drift, and ignores an old reading', () => {
    const host = (offsetMs: number, ageMs = 1000) => ({ checkedAt: '2026-12-03T08:00:00.000Z', freeDiskBytes: 5e10, clock: { offsetMs, ageMs } });
    expect(ids(input({ host: host(-15 * 60_000) }))).toEqual(['clock:blocking']);
    expect(assessReadiness(input({ host: host(-15 * 60_000) }))[0]?.message).toContain('15 分钟');
    expect(ids(input({ host: host(3 * 60_000) }))).toEqual(['clock:warning']);
    expect(ids(input({ host: host(-15 * 60_000, readinessLimits.clockReadingMaxAgeMs + 1) }))).toEqual([]);
  });

  it('blocks when a device the policy needs is missing; a missing reader only warns (OCR and manual remain)', () => {
    const devices = [{ ...ready('camera'), state: 'disconnected' as const }, ready('fingerprint-scanner')];
    expect(ids(input({ devices }))).toEqual(['idcard-reader:warning', 'camera:blocking']);
    expect(ids(input({ devices, policy: { ...policy, faceCheck: 'off', standardPhoto: 'off' } }))).toEqual(['idcard-reader:warning']);
    expect(ids(input({ devices: [ready('idcard-reader'), ready('camera')] }))).toEqual(['fingerprint-scanner:blocking']);
  });

  it('reports the roster age and the sync backlog', () => {
    const gate = (ageHours: number, blocked: boolean) => ({ age: { updatedAt: now - ageHours * 3_600_000, ageHours, stale: blocked }, limitHours: 24, blocked });
    // Past the limit, the roster-age banner blocks (and offers the supervisor's override) instead.
    expect(ids(input({ gate: gate(30, true) }))).toEqual([]);
    expect(ids(input({ gate: gate(20, false) }))).toEqual(['roster:warning']);
    expect(ids(input({ backlog: { pending: 400, needsAttention: 2, lastSuccessAt: now - 5 * 3_600_000, enrolled: true } }))).toEqual([
      'backlog-size:warning',
      'backlog-age:warning',
      'needs-attention:warning',
    ]);
    expect(ids(input({ backlog: { pending: 3, needsAttention: 0, lastSuccessAt: now - 5 * 3_600_000, enrolled: false } }))).toEqual([]);
  });

  it('the store asks the host and keeps its last figures when the host does not answer', async () => {
    let answer: 'ok' | 'fail' = 'ok';
    const store = createReadinessStore({
      probe: async () => {
        if (answer === 'fail') throw new Error('down');
        return { checkedAt: '2026-12-03T08:00:00.000Z', freeDiskBytes: 100 * 1024 ** 2 };
      },
      inputs: () => {
        const { host: _host, now: _now, ...rest } = input();
        return rest;
      },
      now: () => now,
    });
    await store.getState().check();
    expect(isBlocked(store.getState().problems)).toBe(true);
    answer = 'fail';
    await store.getState().check();
    expect(store.getState().problems.map((p) => p.id)).toEqual(['disk']);
  });
});
