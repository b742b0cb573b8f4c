import { zhCN } from '../../../core/i18n/zh-CN.js';
import { formatLocalTime } from '../../ui/format-time.js';
import type { SupervisorApproval } from '../../../core/contract/supervisor.js';
import type { RosterGate } from '../stores/station-store.js';

const t = zhCN.rosterAge;

/** Roster age on the staff screen; a stale roster pauses confirmations until a supervisor approves. */
export function RosterAgeBanner(props: { gate: RosterGate; override: SupervisorApproval | undefined; onOverride: () => void }) {
  const { gate } = props;
  if (!gate) return null;
  if (gate.blocked) {
    return (
      <div className="message message--error roster-age" data-testid="roster-stale">
        <p>{t.stale(gate.age.ageHours, gate.limitHours)}</p>
        <button className="button" type="button" onClick={props.onOverride} data-testid="roster-override">
          {t.override}
        </button>
      </div>
    );
  }
  return (
    <p className={`hint roster-age${gate.age.stale ? ' text-warning' : ''}`} data-testid="roster-age">
      {t.updated(formatLocalTime(gate.age.updatedAt), gate.age.ageHours)}
      {gate.age.stale && props.override && ` · ${t.overridden(props.override.supervisorName)}`}
    </p>
  );
}
