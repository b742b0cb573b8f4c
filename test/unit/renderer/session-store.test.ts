import { describe, expect, it, vi } from 'vitest';
import { UnauthorizedError } from '../../../core/errors/station-error.js';
import { createSessionStore, currentActor, IDLE_WARNING_MS, type SessionHost, type SignedInSession } from '../../../renderer/staff/stores/session-store.js';
import { watchIdle } from '../../../renderer/staff/services/idle-watch.js';

const operator: SignedInSession = {
  actor: { accountId: 'op-01', name: '张敏', role: 'operator' },
  signedInAt: '2026-12-03T08:00:00.000Z',
  idleLockMinutes: 10,
};
const supervisor: SignedInSession = { ...operator, actor: { accountId: 'sup-01', name: '李强', role: 'supervisor' } };

function fakeHost(passwords: Record<string, SignedInSession & { password: string }>) {
  let current: SignedInSession | null = null;
  const host: SessionHost & { locks: number } = {
    locks: 0,
    accounts: async () => ({ accounts: Object.values(passwords).map((s) => ({ id: s.actor.accountId, name: s.actor.name, role: s.actor.role })) }),
    current: async () => current,
    signIn: async ({ accountId, password }) => {
      const account = Object.values(passwords).find((s) => s.actor.accountId === accountId);
      if (!account || account.password !== password) throw new UnauthorizedError('bad credential', '账号或密码不正确。');
      const { password: _, ...session } = account;
      current = session;
      return session;
    },
    signOut: async () => {
      current = null;
    },
    lock: async () => {
      host.locks += 1;
      current = null;
    },
  };
  return host;
}

const accounts = { op: { ...operator, password: 'op-pass' }, sup: { ...supervisor, password: 'sup-pass' } };

describe('session store', () => {
  it('starts signed out, signs in, and names the actor for records', async () => {
    let clock = 0;
    const store = createSessionStore({ host: fakeHost(accounts), now: () => clock });
    await store.getState().load();
    expect(store.getState().phase).toBe('signed-out');
    expect(store.getState().accounts.map((a) => a.id)).toEqual(['op-01', 'sup-01']);
    expect(currentActor(store.getState())).toBeUndefined();

    await store.getState().signIn({ accountId: 'op-01', password: 'op-pass' });
    expect(store.getState().phase).toBe('signed-in');
    expect(currentActor(store.getState())).toEqual(operator.actor);
    clock += 1;
  });

  it('shows the host\'s Chinese message on a wrong password and stays signed out', async () => {
    const store = createSessionStore({ host: fakeHost(accounts) });
    await store.getState().load();
    await store.getState().signIn({ accountId: 'op-01', password: 'wrong' });
    expect(store.getState().phase).toBe('signed-out');
    expect(store.getState().error).toBe('账号或密码不正确。');
    expect(store.getState().busy).toBe(false);
  });

  it('warns for the last minute, counts down, and locks after the idle period; activity resets it', async () => {
    const host = fakeHost(accounts);
    const store = createSessionStore({ host, now: () => 0 });
    await store.getState().load();
    await store.getState().signIn({ accountId: 'op-01', password: 'op-pass' });

    const limit = operator.idleLockMinutes * 60_000;
    store.getState().tick(limit - IDLE_WARNING_MS - 1000);
    expect(store.getState().idleRemainingMs).toBeUndefined();
    store.getState().tick(limit - 30_000);
    expect(store.getState().idleRemainingMs).toBe(30_000);

    // Someone touches the mouse: the warning goes and the period starts again.
    store.getState().activity(limit - 30_000);
    expect(store.getState().idleRemainingMs).toBeUndefined();
    store.getState().tick(limit + 1000);
    expect(store.getState().phase).toBe('signed-in');

    store.getState().tick(limit - 30_000 + limit);
    await vi.waitFor(() => expect(host.locks).toBe(1));
    expect(store.getState().phase).toBe('locked');
    expect(store.getState().lockedActor).toEqual(operator.actor);
    expect(currentActor(store.getState())).toBeUndefined();
  });

  it('an operator switch needs only the next person\'s sign-in', async () => {
    const store = createSessionStore({ host: fakeHost(accounts) });
    await store.getState().load();
    await store.getState().signIn({ accountId: 'op-01', password: 'op-pass' });
    await store.getState().lockNow();
    expect(store.getState().phase).toBe('locked');
    store.getState().showScreen('supervisor');
    expect(store.getState().screen).toBe('desk');
    await store.getState().signIn({ accountId: 'sup-01', password: 'sup-pass' });
    expect(currentActor(store.getState())).toEqual(supervisor.actor);
    expect(store.getState().lockedActor).toBeUndefined();
    store.getState().showScreen('supervisor');
    expect(store.getState().screen).toBe('supervisor');
    await store.getState().lockNow();
    expect(store.getState().screen).toBe('desk');
  });

  it('a reload finds the host\'s session; the idle watcher feeds activity and ticks', async () => {
    const host = fakeHost(accounts);
    await host.signIn({ accountId: 'sup-01', password: 'sup-pass' });
    let clock = 0;
    const store = createSessionStore({ host, now: () => clock });
    await store.getState().load();
    expect(store.getState().phase).toBe('signed-in');

    const target = new EventTarget();
    let tick: (() => void) | undefined;
    const stop = watchIdle({ session: store, target, now: () => clock, setInterval: (run) => (tick = run), clearInterval: () => (tick = undefined) });
    clock = 10 * 60_000 - 5000;
    tick?.();
    expect(store.getState().idleRemainingMs).toBe(5000);
    target.dispatchEvent(new Event('keydown'));
    expect(store.getState().idleRemainingMs).toBeUndefined();
    stop();
    expect(tick).toBeUndefined();
  });
});
