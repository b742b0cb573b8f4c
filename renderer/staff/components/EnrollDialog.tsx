import type { FormEvent } from 'react';
import type { CallInput, EnrollmentHint } from '../../../core/contract/station-api.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';

const t = zhCN.enrollment;

/** The enrollment form; the host validates every field again (it is a trust boundary). */
export function EnrollDialog(props: {
  busy: boolean;
  error: string | undefined;
  defaultStationName: string;
  /** Prefill (the embedded server `npm start` runs). */
  hint: EnrollmentHint | undefined;
  onSubmit: (request: CallInput<'staff', 'central.enroll'>) => void;
  onCancel: () => void;
}) {
  const { hint } = props;
  // The placeholder shows the scheme in use here: the embedded server speaks http on loopback.
  const scheme = hint ? `${new URL(hint.serverUrl).protocol}//` : 'https://';
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    props.onSubmit({
      serverUrl: text('serverUrl'),
      pointCode: text('pointCode').toUpperCase(),
      code: text('code'),
      stationName: text('stationName'),
    });
  };
  return (
    <div className="dialog-backdrop">
      <form className="panel dialog" onSubmit={submit} aria-label={t.title} data-testid="enroll-dialog">
        <h2>{t.title}</h2>
        <p className="hint">{t.hint}</p>
        <label className="field">
          <span>{t.serverUrl}</span>
          <input name="serverUrl" type="url" required placeholder={scheme} defaultValue={hint?.serverUrl ?? ''} autoComplete="off" />
        </label>
        <label className="field">
          <span>{t.pointCode}</span>
          <input name="pointCode" required pattern="[0-9A-Za-z\-]{2,32}" defaultValue={hint?.pointCode ?? ''} autoComplete="off" />
        </label>
        <label className="field">
          <span>{t.code}</span>
          <input name="code" required minLength={4} maxLength={64} defaultValue={hint?.code ?? ''} autoComplete="off" />
        </label>
        <label className="field">
          <span>{t.stationName}</span>
          <input name="stationName" required maxLength={100} defaultValue={props.defaultStationName} />
        </label>
        {props.error && (
          <p className="message message--error" role="alert" data-testid="enroll-error">
            {props.error}
          </p>
        )}
        <div className="dialog__actions">
          <button className="button" type="button" onClick={props.onCancel}>
            {t.cancel}
          </button>
          <button className="button button--primary" type="submit" disabled={props.busy}>
            {props.busy ? t.busy : t.submit}
          </button>
        </div>
      </form>
    </div>
  );
}
