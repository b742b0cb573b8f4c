import { zhCN } from '../../../core/i18n/zh-CN.js';
import { formatLocalTime } from '../../ui/format-time.js';
import { maskCitizenId } from '../../../core/citizen-id/citizen-id.js';
import type { DaySummary } from '../day-store.js';

const t = zhCN.supervisorDesk.close;

/** 日结: what the server has not acknowledged, and the close itself (online, or by 离线移交). */
export function DayClosePanel(props: {
  day: string;
  summary: DaySummary | undefined;
  closed: boolean;
  closing: 'idle' | 'handoff' | 'close';
  message: { ok: boolean; message: string } | undefined;
  onDay: (day: string) => void;
  onSyncNow: () => void;
  onHandoff: () => void;
  onClose: () => void;
}) {
  const { summary } = props;
  const open = summary?.unsettled ?? [];
  return (
    <section className="panel" aria-label={zhCN.supervisorDesk.tabs.close} data-testid="day-close">
      <label className="field">
        <span>{t.day}</span>
        <input type="date" value={props.day} onChange={(event) => event.target.value && props.onDay(event.target.value)} data-testid="close-day" />
      </label>
      {summary && <p data-testid="close-summary">{t.summary(summary.total, summary.confirmed, summary.rejected)}</p>}
      {summary && (open.length > 0 ? <p className="message message--warning" data-testid="close-unsettled">{t.unsettled(open.length)}</p> : <p className="message message--success">{t.allSettled}</p>)}
      {open.length > 0 && (
        <table className="table day-close__list">
          <tbody>
            {open.map((entry) => (
              <tr key={entry.id} data-testid="unsettled-item">
                <td>{formatLocalTime(Date.parse(entry.savedAt))}</td>
                <td>{entry.content.candidate.name}</td>
                <td className="tabular">{maskCitizenId(entry.content.candidate.citizenId)}</td>
                <td>{t.states[entry.sync]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.closed ? (
        <p className="message message--success" data-testid="day-closed">
          {t.closed(props.day)}
        </p>
      ) : (
        <div className="dialog__actions">
          {open.length > 0 && (
            <>
              <button className="button" type="button" onClick={props.onSyncNow} data-testid="close-sync-now">
                {t.syncFirst}
              </button>
              <button className="button" type="button" onClick={props.onHandoff} disabled={props.closing !== 'idle'} data-testid="close-handoff">
                {t.handoff}
              </button>
            </>
          )}
          <button className="button button--primary" type="button" onClick={props.onClose} disabled={props.closing !== 'idle' || open.length > 0} data-testid="close-submit">
            {props.closing === 'close' ? t.closing : t.closeDay}
          </button>
        </div>
      )}
      {props.message && (
        <p className={`message ${props.message.ok ? 'message--success' : 'message--error'}`} role="status" data-testid="close-message">
          {props.message.message}
        </p>
      )}
    </section>
  );
}
