import { zhCN } from '../../../../core/i18n/zh-CN.js';

const t = zhCN.pledgeStep;

/** 考生确认: the kiosk shows the pledge and the signature pad; staff save once the candidate has signed. */
export function PledgeStep(props: { signed: boolean; saving: boolean; error: string | undefined; onSave: () => void; onResend: () => void }) {
  return (
    <section className="panel step" data-testid="step-pledge">
      <h2>{t.title}</h2>
      {props.error && (
        <p className="message message--error" role="alert">
          {props.error}
        </p>
      )}
      <div className="step__actions">
        <button className="button" type="button" onClick={props.onResend}>
          {t.resend}
        </button>
        <button className="button button--primary" type="button" disabled={!props.signed || props.saving} onClick={props.onSave} data-testid="save-confirmation">
          {props.saving ? t.saving : t.save}
        </button>
      </div>
    </section>
  );
}
