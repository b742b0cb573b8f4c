import type { ReactNode } from 'react';
import { zhCN } from '../../../../core/i18n/zh-CN.js';
import type { KioskPhase } from '../../services/kiosk-view.js';

const t = zhCN.identity;

/**
 * 身份核验: with a face check (`face`), its panel decides how to go on; without one, staff compare the person
 * with the photos by eye. 人证不符 rejects either way. The kiosk's answer shows beside it.
 */
export function IdentityStep(props: { kiosk: KioskPhase; busy: boolean; onPass: () => void; onFail: () => void; face?: ReactNode }) {
  const reported = props.kiosk.kind === 'reported';
  return (
    <section className="panel step" data-testid="step-identity">
      <h2>{t.title}</h2>
      {props.face ?? <p className="hint">{t.hint}</p>}
      {reported && <p className="message message--warning">{t.kioskReported}</p>}
      <div className="step__actions">
        <button className="button" type="button" disabled={props.busy} onClick={props.onFail} data-testid="identity-fail">
          {t.fail}
        </button>
        {!props.face && (
          <button className="button button--primary" type="button" disabled={props.busy} onClick={props.onPass} data-testid="identity-pass">
            {t.pass}
          </button>
        )}
      </div>
    </section>
  );
}
