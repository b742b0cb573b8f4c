import type { KioskCandidate } from '../../../core/contract/kiosk.js';
import type { RulesPledge } from '../../../core/rules/bundle.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { FieldList } from '../../ui/FieldList.js';
import type { SignatureStroke } from '../stores/kiosk-store.js';
import { SignaturePad } from './SignaturePad.js';
import { kioskRows } from './VerifyInfo.js';

const t = zhCN.kiosk;

/** Within this many pixels of the bottom counts as read to the end (rounding, zoom). */
const END_SLACK_PX = 4;

export function Pledge(props: {
  candidate: KioskCandidate;
  /** The province's pledge and its reading gate; absent: the catalogue's text. */
  pledge: RulesPledge | undefined;
  readRemaining: number;
  scrolledToEnd: boolean;
  onScrolledToEnd: () => void;
  strokes: readonly SignatureStroke[];
  busy: boolean;
  onStroke: (stroke: SignatureStroke) => void;
  onClear: () => void;
  onSubmit: () => void;
}) {
  const lines = props.pledge?.paragraphs ?? t.pledge;
  const locked = props.readRemaining > 0 || !props.scrolledToEnd;
  // A text short enough to show whole is read to its end as soon as it is on screen.
  const atEnd = (el: HTMLElement | null) => {
    if (el && !props.scrolledToEnd && el.scrollTop + el.clientHeight >= el.scrollHeight - END_SLACK_PX) props.onScrolledToEnd();
  };
  return (
    <section className="kiosk-card kiosk-pledge" data-testid="kiosk-pledge" data-locked={locked}>
      <h1 className="kiosk-card__prompt">{props.pledge?.title ?? t.pledgeTitle}</h1>
      <FieldList rows={kioskRows(props.candidate)} />
      <ol className="kiosk-pledge__text" data-testid="kiosk-pledge-text" ref={atEnd} onScroll={(e) => atEnd(e.currentTarget)}>
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ol>
      <p className="hint" data-testid="kiosk-pledge-gate">
        {props.readRemaining > 0 ? t.readCountdown(props.readRemaining) : !props.scrolledToEnd ? t.scrollToEnd : t.signHere}
      </p>
      <SignaturePad strokes={props.strokes} disabled={props.busy || locked} onStroke={props.onStroke} label={t.signHere} />
      <div className="kiosk-card__actions">
        <button className="button button--large" type="button" disabled={props.busy} onClick={props.onClear}>
          {t.clearSignature}
        </button>
        <button className="button button--large button--primary" type="button" disabled={props.busy || locked || props.strokes.length === 0} onClick={props.onSubmit}>
          {t.submitSignature}
        </button>
      </div>
    </section>
  );
}
