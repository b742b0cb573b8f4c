import type { StationClient } from '../../../core/api/client.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { SessionHost } from '../stores/session-store.js';

/** The session store's host, over the staff bridge's staff.* calls. */
export function sessionHost(api: Pick<StationClient<'staff'>, 'call'>): SessionHost {
  return {
    accounts: async () => {
      const { accounts, source } = await api.call('staff.accounts', {});
      // The demo password is printed where the station was started, never on the screen.
      return { accounts, demo: source === 'demo' ? zhCN.session.demoAccounts : undefined };
    },
    current: () => api.call('staff.session', {}),
    signIn: (request) => api.call('staff.signIn', request),
    signOut: async () => {
      await api.call('staff.signOut', {});
    },
    lock: async () => {
      await api.call('staff.lock', {});
    },
  };
}
