import type { KioskCandidate } from '../../../core/contract/kiosk.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { FieldList } from '../../ui/FieldList.js';
import type { SignatureStroke } from '../stores/kiosk-store.js';
import { SignaturePad } from './SignaturePad.js';
import { kioskRows } from './VerifyInfo.js';

const t = zhCN.kiosk;

export function Pledge(props: {
  candidate: KioskCandidate;
  strokes: readonly SignatureStroke[];
  busy: boolean;
  onStroke: (stroke: SignatureStroke) => void;
  onClear: () => void;
  onSubmit: () => void;
}) {
  return (
    <section className="kiosk-card kiosk-pledge" data-testid="kiosk-pledge">
      <h1 className="kiosk-card__prompt">{t.pledgeTitle}</h1>
      <FieldList rows={kioskRows(props.candidate)} />
      <ol className="kiosk-pledge__text">
        {t.pledge.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ol>
      <p className="hint">{t.signHere}</p>
      <SignaturePad strokes={props.strokes} disabled={props.busy} onStroke={props.onStroke} label={t.signHere} />
      <div className="kiosk-card__actions">
        <button className="button button--large" type="button" disabled={props.busy} onClick={props.onClear}>
          {t.clearSignature}
        </button>
        <button className="button button--large button--primary" type="button" disabled={props.busy || props.strokes.length === 0} onClick={props.onSubmit}>
          {t.submitSignature}
        </button>
      </div>
    </section>
  );
}
