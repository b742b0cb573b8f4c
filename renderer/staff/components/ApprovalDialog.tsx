import type { FormEvent } from 'react';
import type { SupervisorAction, SupervisorList } from '../../../core/contract/supervisor.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { ApprovalForm } from '../stores/approval-store.js';

const t = zhCN.supervisor;

/** Supervisor, PIN, a reason from the list and free text. The PIN field never autocompletes. */
export function ApprovalDialog(props: {
  action: SupervisorAction;
  supervisors: SupervisorList | undefined;
  busy: boolean;
  error: string | undefined;
  onSubmit: (form: ApprovalForm) => void;
  onCancel: () => void;
}) {
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '');
    props.onSubmit({ supervisorId: text('supervisorId'), pin: text('pin'), reason: text('reason'), detail: text('detail') });
  };
  const list = props.supervisors?.supervisors ?? [];
  return (
    <div className="dialog-backdrop">
      <form className="panel dialog" onSubmit={submit} aria-label={t.title} data-testid="approval-dialog">
        <h2>
          {t.title}：{t.actions[props.action]}
        </h2>
        <label className="field">
          <span>{t.supervisor}</span>
          <select name="supervisorId" required>
            {list.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t.pin}</span>
          <input name="pin" type="password" required maxLength={128} autoComplete="off" />
        </label>
        <label className="field">
          <span>{t.reason}</span>
          <select name="reason" required>
            {t.reasons[props.action].map((reason) => (
              <option key={reason} value={reason}>
                {reason}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t.reasonDetail}</span>
          <input name="detail" maxLength={150} autoComplete="off" />
        </label>
        {props.error && (
          <p className="message message--error" role="alert" data-testid="approval-error">
            {props.error}
          </p>
        )}
        <div className="dialog__actions">
          <button className="button" type="button" onClick={props.onCancel}>
            {t.cancel}
          </button>
          <button className="button button--primary" type="submit" disabled={props.busy || list.length === 0}>
            {props.busy ? t.busy : t.submit}
          </button>
        </div>
      </form>
    </div>
  );
}
