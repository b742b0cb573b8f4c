import type { CentralStatus } from '../../../core/contract/station-api.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { SyncEngineStatus } from '../../sync/sync-engine.js';
import { syncView, type BarView } from '../services/sync-view.js';
import type { EngineState, Progress } from '../stores/sync-store.js';

const t = zhCN.sync;

function Bar(props: { label: string; bar: BarView; testId: string }) {
  const { percent } = props.bar;
  return (
    <div className="progress" data-testid={props.testId} data-percent={percent ?? ''}>
      <span className="progress__label">{props.label}</span>
      {/* Without a known total the bar is indeterminate (value omitted), as the element defines it. */}
      <progress max={100} value={percent} />
      <span className="progress__detail">
        {props.bar.detail}
        {percent === undefined ? '' : ` · ${percent}%`}
      </span>
    </div>
  );
}

function uploadBar(progress: Progress | undefined): BarView {
  if (!progress || progress.total === 0) return { percent: undefined, detail: '' };
  return { percent: Math.floor((progress.done / progress.total) * 100), detail: t.uploadProgress(progress.done, progress.total) };
}

export function SyncPanel(props: {
  central: CentralStatus | undefined;
  engine: EngineState;
  status: SyncEngineStatus | undefined;
  uploadProgress: Progress | undefined;
  onSyncNow: () => void;
  onRequeue: (ids?: readonly string[]) => void;
  onEnroll: () => void;
}) {
  const { central, engine, status, uploadProgress } = props;
  const roster = status?.roster;
  const view = syncView(status);
  const error = status?.currentError ?? (roster?.lastError ? { ...roster.lastError } : undefined);
  return (
    <section className="panel sync" data-testid="sync-panel" aria-label={t.title}>
      <header className="sync__header">
        <h2>{t.title}</h2>
        {central?.enrolled ? (
          <span className="badge" data-testid="enrolled">{t.enrolledAt(central.pointName ?? central.pointCode ?? '')}</span>
        ) : null}
      </header>
      {central && !central.enrolled && (
        <p className="message message--warning" data-testid="not-enrolled">
          {t.notEnrolled}
        </p>
      )}
      {engine.state === 'starting' && <p className="hint">{t.engineStarting}</p>}
      {engine.state === 'failed' && (
        <p className="message message--error">
          {t.engineFailed}
          {engine.message}
        </p>
      )}
      {status && view && (
        <p className="sync__counts" data-testid="sync-line">
          <span data-testid="pending-count" data-count={status.pendingCount} className={status.needsAttention.length > 0 ? 'text-error' : undefined}>
            {view.uploadLine}
          </span>
        </p>
      )}
      {error && (
        <p className={`message message--${error.transient ? 'warning' : 'error'}`} data-testid="sync-error">
          {error.message}
        </p>
      )}
      {status?.running.upload && <Bar label={t.upload} bar={uploadBar(uploadProgress)} testId="upload-progress" />}
      {view?.roster && <Bar label={t.rosterDownload} bar={view.roster} testId="roster-progress" />}
      <div className="sync__actions">
        <button className="button" type="button" onClick={props.onSyncNow} disabled={engine.state !== 'running'} data-testid="sync-now">
          {view?.busy ? t.syncing : t.syncNow}
        </button>
        <button className="button" type="button" onClick={props.onEnroll} data-testid="enroll-open">
          {central?.enrolled ? t.reenroll : t.enroll}
        </button>
      </div>
      {status && status.needsAttention.length > 0 && (
        <div className="sync__attention" data-testid="needs-attention">
          <h3>{t.needsAttentionTitle}</h3>
          <ul>
            {status.needsAttention.map((item) => (
              <li key={item.confirmationId} data-testid="attention-item">
                <span>
                  {item.candidateName} {item.citizenIdMasked}
                </span>
                <span className="text-error">{item.message}</span>
                <span className="hint">{t.attempts(item.attempts)}</span>
                <button className="button" type="button" onClick={() => props.onRequeue([item.confirmationId])}>
                  {t.requeue}
                </button>
              </li>
            ))}
          </ul>
          {status.needsAttention.length > 1 && (
            <button className="button" type="button" onClick={() => props.onRequeue()}>
              {t.requeueAll}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
