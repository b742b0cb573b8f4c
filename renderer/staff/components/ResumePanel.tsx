import { zhCN } from '../../../core/i18n/zh-CN.js';
import { formatDateTime } from '../../receipts/format-receipt.js';
import type { ResumeOffer } from '../stores/resume-store.js';

const t = zhCN.resume;

/** After a crash or reload: the open confirmation, to resume at its step or to discard with a reason. */
export function ResumePanel(props: {
  offer: ResumeOffer;
  reason: string;
  busy: boolean;
  error: string | undefined;
  onReason: (text: string) => void;
  onResume: () => void;
  onDiscard: () => void;
}) {
  const { offer } = props;
  return (
    <section className="panel" data-testid="resume-offer" role="alertdialog" aria-labelledby="resume-title">
      <h2 id="resume-title">{t.title}</h2>
      <p>{t.body(offer.name, offer.citizenIdMasked, zhCN.flow.steps[offer.step], formatDateTime(offer.at))}</p>
      <div className="step__actions">
        <button className="button button--primary" type="button" disabled={props.busy} onClick={props.onResume} data-testid="resume-continue">
          {t.resume}
        </button>
      </div>
      <label className="field">
        <span>{t.reason}</span>
        <input className="input" type="text" maxLength={200} value={props.reason} onChange={(event) => props.onReason(event.target.value)} data-testid="resume-reason" />
      </label>
      <button className="button button--danger" type="button" disabled={props.busy} onClick={props.onDiscard} data-testid="resume-discard">
        {t.discard}
      </button>
      {props.error && (
        <p className="message message--error" role="alert">
          {props.error}
        </p>
      )}
    </section>
  );
}
