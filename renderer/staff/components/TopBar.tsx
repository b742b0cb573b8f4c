import type { StationInfo } from '../../../core/contract/station-api.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { ConnectionState } from '../../api/ws-transport.js';
import type { RosterLoad } from '../stores/station-store.js';

export function TopBar(props: { info: StationInfo | undefined; connection: ConnectionState; roster: RosterLoad }) {
  const { info, connection, roster } = props;
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
      <span className={`connection connection--${connection}`} data-testid="connection" title={zhCN.staff.connection[connection]}>
        {connection === 'open' ? zhCN.staff.connection.open : zhCN.staff.connection[connection]}
      </span>
    </header>
  );
}
