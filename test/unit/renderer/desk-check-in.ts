import type { KioskView } from '../../../core/contract/kiosk.js';
import { createCheckInStore, type CheckInDeps } from '../../../renderer/staff/stores/check-in-store.js';
import { sampleRoster } from '../../support/sample-roster.js';

/**
 * A check-in store over the sample roster whose host only shows kiosk views (recorded in `shown`): what the
 * confirmation, eligibility and resume tests drive. Session ids are numbered unless `randomSessions`.
 */
export function deskCheckIn(options: { randomSessions?: boolean } = {}) {
  const shown: KioskView[] = [];
  let session = 0;
  const checkIn = createCheckInStore({
    api: {
      call: (async (method: string, payload: unknown) => {
        if (method !== 'kiosk.show') throw new Error(`unexpected ${method}`);
        shown.push(payload as KioskView);
        return { ok: true };
      }) as CheckInDeps['api']['call'],
    },
    roster: { findByCitizenId: async (id) => sampleRoster.entries.find((e) => e.citizenId === id), findByLast6: async () => [] },
    rosterReady: () => true,
    today: () => new Date(2026, 10, 23),
    ...(options.randomSessions ? {} : { newSessionId: () => `00000000-0000-4000-8000-${String(++session).padStart(12, '0')}` }),
  });
  return { checkIn, shown };
}
