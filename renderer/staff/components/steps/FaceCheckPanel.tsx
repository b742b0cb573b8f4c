import { zhCN } from '../../../../core/i18n/zh-CN.js';
import type { FaceCheck } from '../../stores/face-store.js';

const t = zhCN.face;

/** 人脸比对 result and the ways on: 继续 on 通过, otherwise 重新比对 or 人工认证 by a supervisor. */
export function FaceCheckPanel(props: { check: FaceCheck; onRun: () => void; onContinue: () => void; onOverride: () => void }) {
  const { check } = props;
  const result = check.status === 'done' ? check.result : undefined;
  const decision = result?.ok ? result.decision : undefined;
  return (
    <div className="face-check" data-testid="face-check" data-status={check.status} data-decision={decision ?? (result ? 'no-face' : '')} data-recognizer={result?.ok ? result.recognizer : ''}>
      {result?.ok && (
        <div className={`message message--${decision === 'pass' ? 'success' : decision === 'review' ? 'warning' : 'error'}`} data-testid="face-result">
          <strong>{t.decision[result.decision]}</strong>
          <p>{t.decisionHelp[result.decision]}</p>
          <p className="hint">{t.check.score(result.distance.toFixed(3), result.threshold.toFixed(2))}</p>
        </div>
      )}
      {result && !result.ok && (
        <p className="message message--warning" data-testid="face-result">
          {result.message}
        </p>
      )}
      {check.status === 'liveness' && (
        <p className="message message--info" data-testid="face-liveness">
          {check.prompt}
        </p>
      )}
      {check.status === 'error' && (
        <p className="message message--error" role="alert" data-testid="face-error">
          {check.message}
        </p>
      )}
      <div className="step__actions">
        {decision === 'pass' ? (
          <button className="button button--primary" type="button" onClick={props.onContinue} data-testid="face-continue">
            {t.check.continue}
          </button>
        ) : (
          <>
            {(result !== undefined || check.status === 'error') && (
              <button className="button" type="button" onClick={props.onOverride} data-testid="face-override">
                {t.check.override}
              </button>
            )}
            <button className="button button--primary" type="button" disabled={check.status === 'running' || check.status === 'liveness'} onClick={props.onRun} data-testid="face-run">
              {check.status === 'running' ? t.check.running : result ? t.check.retry : t.check.run}
            </button>
          </>
        )}
      </div>
    </div>
  );
}
