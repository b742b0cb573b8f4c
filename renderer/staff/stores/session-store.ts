import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Actor, StaffRole } from '../../../core/contract/staff.js';
import { toStationError } from '../../../core/errors/station-error.js';

/** An account as the sign-in screen lists it (never its hash). */
export interface AccountChoice {
  id: string;
  name: string;
  role: StaffRole;
}

/** The host's record of who is signed in at this staff window. */
export interface SignedInSession {
  actor: Actor;
  signedInAt: string;
  idleLockMinutes: number;
}

/**
 * What the store needs from the host. The session lives in the host, so a window cannot give itself a role;
 * the store only mirrors it for the screen.
 */
export interface SessionHost {
  accounts(): Promise<{ accounts: AccountChoice[]; demo?: string | undefined }>;
  current(): Promise<SignedInSession | null>;
  signIn(request: { accountId: string; password: string }): Promise<SignedInSession>;
  signOut(): Promise<void>;
  /** Reports an idle (or deliberate) lock; the host ends the session and audits it. */
  lock(): Promise<void>;
}

/** Warning before an idle lock (at most half the idle period). */
export const IDLE_WARNING_MS = 60_000;

export interface SessionState {
  phase: 'loading' | 'signed-out' | 'signed-in' | 'locked';
  session: SignedInSession | undefined;
  /** Who was signed in when the window locked (shown on the lock screen; the next person may sign in instead). */
  lockedActor: Actor | undefined;
  accounts: AccountChoice[];
  /** The demo accounts' sign-in hint (simulators only). */
  demoHint: string | undefined;
  busy: boolean;
  error: string | undefined;
  /** Milliseconds left before the idle lock, while the warning shows; undefined otherwise. */
  idleRemainingMs: number | undefined;
  /** 现场确认 (the desk) or 主管工作台 (supervisors only). */
  screen: 'desk' | 'supervisor';
  showScreen(screen: 'desk' | 'supervisor'): void;
  load(): Promise<void>;
  signIn(form: { accountId: string; password: string }): Promise<void>;
  signOut(): Promise<void>;
  lockNow(): Promise<void>;
  /** Keyboard, pointer or touch activity in the staff window. */
  activity(now: number): void;
  /** Called about once a second by the idle watcher. */
  tick(now: number): void;
}

/** What the audit log hears of sign-in and lock (the host checks; the station's chain keeps the record). */
export type SessionEvent = { kind: 'sign-in' | 'sign-out' | 'lock'; actor: Actor } | { kind: 'sign-in-failed'; accountId: string };

export function createSessionStore(deps: { host: SessionHost; now?: () => number; record?: (event: SessionEvent) => void }): StoreApi<SessionState> {
  const now = deps.now ?? Date.now;
  let lastActivity = now();

  return createStore<SessionState>()((set, get) => {
    const lock = async () => {
      const { session, phase } = get();
      if (phase !== 'signed-in') return;
      set({ phase: 'locked', session: undefined, lockedActor: session?.actor, idleRemainingMs: undefined, error: undefined, screen: 'desk' });
      if (session) deps.record?.({ kind: 'lock', actor: session.actor });
      try {
        await deps.host.lock();
      } catch {
        // The window is locked either way; the host ends its session when it hears from us again.
      }
    };

    return {
      phase: 'loading',
      session: undefined,
      lockedActor: undefined,
      accounts: [],
      demoHint: undefined,
      busy: false,
      error: undefined,
      idleRemainingMs: undefined,
      screen: 'desk',

      showScreen(screen) {
        // The supervisor's screen is for supervisors; the host checks every call behind it again.
        if (screen === 'supervisor' && get().session?.actor.role !== 'supervisor') return;
        set({ screen });
      },

      async load() {
        try {
          const [{ accounts, demo }, session] = await Promise.all([deps.host.accounts(), deps.host.current()]);
          lastActivity = now();
          set({ accounts, demoHint: demo, session: session ?? undefined, phase: session ? 'signed-in' : get().phase === 'locked' ? 'locked' : 'signed-out' });
        } catch (error) {
          set({ phase: 'signed-out', error: toStationError(error).userMessage });
        }
      },

      async signIn(form) {
        if (get().busy) return;
        set({ busy: true, error: undefined });
        try {
          const session = await deps.host.signIn(form);
          lastActivity = now();
          set({ phase: 'signed-in', session, lockedActor: undefined, busy: false, idleRemainingMs: undefined, screen: 'desk' });
          deps.record?.({ kind: 'sign-in', actor: session.actor });
        } catch (error) {
          set({ busy: false, error: toStationError(error).userMessage });
          deps.record?.({ kind: 'sign-in-failed', accountId: form.accountId });
        }
      },

      async signOut() {
        const actor = get().session?.actor;
        if (actor) deps.record?.({ kind: 'sign-out', actor });
        set({ phase: 'signed-out', session: undefined, lockedActor: undefined, idleRemainingMs: undefined, screen: 'desk' });
        try {
          await deps.host.signOut();
        } catch {
          // Signed out on screen; the host's session ends at the next sign-in at the latest.
        }
      },

      lockNow: lock,

      activity(at) {
        lastActivity = at;
        if (get().idleRemainingMs !== undefined) set({ idleRemainingMs: undefined });
      },

      tick(at) {
        const { phase, session } = get();
        if (phase !== 'signed-in' || !session) return;
        const remaining = session.idleLockMinutes * 60_000 - (at - lastActivity);
        if (remaining <= 0) {
          void lock();
          return;
        }
        // A minute's warning, or half the period when the period itself is short.
        const warnFor = Math.min(IDLE_WARNING_MS, (session.idleLockMinutes * 60_000) / 2);
        const shown = remaining <= warnFor ? Math.ceil(remaining / 1000) * 1000 : undefined;
        if (shown !== get().idleRemainingMs) set({ idleRemainingMs: shown });
      },
    };
  });
}

/** The actor to stamp on a record, action or export; undefined when nobody is signed in. */
export function currentActor(state: Pick<SessionState, 'phase' | 'session'>): Actor | undefined {
  return state.phase === 'signed-in' ? state.session?.actor : undefined;
}
