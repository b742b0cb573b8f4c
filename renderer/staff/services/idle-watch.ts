import type { StoreApi } from 'zustand/vanilla';
import type { SessionState } from '../stores/session-store.js';

/** What counts as someone working at the desk. Pointer moves count too: staff read with the mouse in hand. */
const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

/**
 * Feeds the staff window's activity and a once-a-second clock into the session store, which decides when to
 * warn and lock. Returns a stop function.
 */
export function watchIdle(deps: {
  session: StoreApi<SessionState>;
  target: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
  now?: () => number;
  setInterval?: (run: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
}): () => void {
  const now = deps.now ?? Date.now;
  const every = deps.setInterval ?? ((run, ms) => globalThis.setInterval(run, ms));
  const stopEvery = deps.clearInterval ?? ((handle) => globalThis.clearInterval(handle as ReturnType<typeof setInterval>));
  const onActivity = () => deps.session.getState().activity(now());
  for (const name of ACTIVITY_EVENTS) deps.target.addEventListener(name, onActivity, { passive: true });
  const timer = every(() => deps.session.getState().tick(now()), 1000);
  return () => {
    for (const name of ACTIVITY_EVENTS) deps.target.removeEventListener(name, onActivity);
    stopEvery(timer);
  };
}
