import type { StationInfo } from '../../../core/contract/station-api.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { ConnectionState } from '../../api/ws-transport.js';
import type { RosterLoad } from '../stores/station-store.js';
import type { Actor } from '../../../core/contract/staff.js';

const s = zhCN.session;

/** Who is signed in, with lock and sign-out, and (supervisors) the switch between the desk and 主管工作台. */
export interface TopBarUser {
  actor: Actor;
  screen: 'desk' | 'supervisor';
  onScreen: (screen: 'desk' | 'supervisor') => void;
  onLock: () => void;
  onSignOut: () => void;
}

export function TopBar(props: { info: StationInfo | undefined; connection: ConnectionState; roster: RosterLoad; user?: TopBarUser | undefined }) {
  const { info, connection, roster, user } = props;
  return (
    <header className="topbar">
      <h1 className="topbar__title">{zhCN.app.staffTitle}</h1>
      {info && <span className="topbar__station">{info.stationName}</span>}
      {info && <span className="badge">{zhCN.staff.host[info.hostKind]}</span>}
      {info?.simulatorsActive && <span className="badge badge--sim">{zhCN.staff.simulatorsOn}</span>}
      <span className="topbar__spacer" />
      <span className="topbar__roster" data-testid="roster-status">
        {roster.status === 'loading' && zhCN.roster.seeding}
        {roster.status === 'failed' && <span className="text-error">{roster.message}</span>}
        {roster.status === 'ready' && zhCN.staff.rosterLoaded(roster.meta.pointName, roster.meta.count)}
        {roster.status === 'ready' && roster.meta.synthetic && <span className="badge">{zhCN.staff.syntheticRoster}</span>}
        {roster.status === 'ready' && roster.warning && <span className="text-warning"> {roster.warning}</span>}
      </span>
      {user && (
        <span className="topbar__user" data-testid="signed-in-user" data-account={user.actor.accountId}>
          <span>{s.signedInAs(user.actor.name, s.roles[user.actor.role])}</span>
          {user.actor.role === 'supervisor' && (
            <button
              className="button"
              type="button"
              data-testid="screen-switch"
              onClick={() => user.onScreen(user.screen === 'desk' ? 'supervisor' : 'desk')}
            >
              {user.screen === 'desk' ? s.supervisorScreen : s.deskScreen}
            </button>
          )}
          <button className="button" type="button" onClick={user.onLock} data-testid="lock-now" title={s.switchHint}>
            {s.lockNow}
          </button>
          <button className="button" type="button" onClick={user.onSignOut} data-testid="sign-out">
            {s.signOut}
          </button>
        </span>
      )}
      <span className={`connection connection--${connection}`} data-testid="connection" title={zhCN.staff.connection[connection]}>
        {connection === 'open' ? zhCN.staff.connection.open : zhCN.staff.connection[connection]}
      </span>
    </header>
  );
}
