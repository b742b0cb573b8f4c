import type { FormEvent } from 'react';
import type { Actor } from '../../../core/contract/staff.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { AccountChoice } from '../stores/session-store.js';

const t = zhCN.session;

/**
 * The staff window's sign-in, also its lock screen: whoever signs in next takes the desk (an operator switch
 * needs nothing else). Covers the whole window so nothing personal shows while nobody is signed in.
 */
export function SignInScreen(props: {
  lockedActor: Actor | undefined;
  accounts: readonly AccountChoice[];
  demoHint: string | undefined;
  busy: boolean;
  error: string | undefined;
  onSubmit: (form: { accountId: string; password: string }) => void;
}) {
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get('password') ?? '');
    props.onSubmit({ accountId: String(form.get('accountId') ?? ''), password });
    event.currentTarget.reset();
  };
  const locked = props.lockedActor;
  return (
    <div className="signin" data-testid="sign-in">
      <form className="panel dialog signin__form" onSubmit={submit} aria-label={locked ? t.lockedTitle : t.title}>
        <h2>{locked ? t.lockedTitle : t.title}</h2>
        {locked && <p className="hint">{t.lockedBy(locked.name)}</p>}
        {props.accounts.length === 0 ? (
          <p className="message message--warning">{t.noAccounts}</p>
        ) : (
          <>
            <label className="field">
              <span>{t.account}</span>
              <select name="accountId" required defaultValue={locked?.accountId} data-testid="sign-in-account">
                {props.accounts.map((account) => (
                  <option key={account.id} value={account.id}>
                    {account.name}（{t.roles[account.role]}）
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>{t.password}</span>
              <input name="password" type="password" required autoComplete="off" autoFocus data-testid="sign-in-password" />
            </label>
          </>
        )}
        {props.error && (
          <p className="message message--error" role="alert" data-testid="sign-in-error">
            {props.error}
          </p>
        )}
        {props.demoHint && <p className="hint">{props.demoHint}</p>}
        <div className="dialog__actions">
          <button className="button button--primary" type="submit" disabled={props.busy || props.accounts.length === 0} data-testid="sign-in-submit">
            {props.busy ? t.signingIn : t.signIn}
          </button>
        </div>
      </form>
    </div>
  );
}

/** The last minute before an idle lock, counted down. */
export function IdleWarning(props: { remainingMs: number; onStay: () => void }) {
  return (
    <div className="idle-warning message message--warning" role="alert" data-testid="idle-warning">
      <span>{t.idleWarning(Math.ceil(props.remainingMs / 1000))}</span>
      <button className="button" type="button" onClick={props.onStay}>
        {t.stayActive}
      </button>
    </div>
  );
}
