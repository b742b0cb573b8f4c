import { zhCN } from '../../../../core/i18n/zh-CN.js';
import { formatLocalTime } from '../../../ui/format-time.js';
import type { ReceiptLayout } from '../../../../core/contract/printing.js';
import { ReceiptLayoutChoice } from '../../../receipts/ReceiptDeskPanel.js';
import type { SavedRecord } from '../../stores/confirmation-store.js';

const t = zhCN.done;

/** The saved result, and the receipt with its verifiable QR code (printed with the page's print style). */
export function DonePanel(props: {
  saved: SavedRecord | undefined;
  onNext: () => void;
  onPrint: () => void;
  onSavePdf: () => void;
  layout: ReceiptLayout;
  onLayout: (layout: ReceiptLayout) => void;
  printing: boolean;
  notice: string | undefined;
  error: string | undefined;
}) {
  const { saved } = props;
  if (!saved) return null;
  return (
    <section className="panel step" data-testid="step-done" data-outcome={saved.outcome} data-record={saved.id}>
      <p className={`message message--${saved.outcome === 'confirmed' ? 'success' : 'warning'}`}>
        {t[saved.outcome]}
      </p>
      {saved.reasons.length > 0 && (
        <p>
          {t.reasons}
          {saved.reasons.join('；')}
        </p>
      )}
      <p className="hint">{t.syncNote}</p>
      <div className="receipt" data-testid="receipt">
        <h3>{t.receiptTitle}</h3>
        <dl className="fields">
          <div className="fields__row">
            <dt>{t.receiptName}</dt>
            <dd>
              {saved.candidateName} {saved.citizenIdMasked}
            </dd>
          </div>
          <div className="fields__row">
            <dt>{t.receiptResult}</dt>
            <dd>{zhCN.candidate.status[saved.outcome]}</dd>
          </div>
          <div className="fields__row">
            <dt>{t.receiptTime}</dt>
            <dd>{formatLocalTime(Date.parse(saved.savedAt))}</dd>
          </div>
          <div className="fields__row">
            <dt>{t.receiptNo}</dt>
            <dd className="receipt__id">{saved.id}</dd>
          </div>
        </dl>
        {saved.receipt ? (
          <figure className="receipt__qr">
            <img src={saved.receipt.qrImage} alt={t.receiptVerify} data-testid="receipt-qr" data-qr={saved.receipt.qr} />
            <figcaption className="hint">{t.receiptVerify}</figcaption>
          </figure>
        ) : saved.receiptError ? (
          <p className="hint" data-testid="receipt-unsigned">
            {t.receiptUnsigned}
            {saved.receiptError}
          </p>
        ) : (
          <p className="hint">{t.receiptSigning}</p>
        )}
      </div>
      {props.notice && <p className="hint" data-testid="receipt-notice">{props.notice}</p>}
      {props.error && <p className="message message--error" data-testid="receipt-error">{props.error}</p>}
      <div className="step__actions">
        <ReceiptLayoutChoice layout={props.layout} onLayout={props.onLayout} />
        <button className="button" type="button" onClick={props.onSavePdf} disabled={props.printing} data-testid="save-receipt-pdf">
          {zhCN.receipts.print.savePdf}
        </button>
        <button className="button" type="button" onClick={props.onPrint} disabled={props.printing} data-testid="print-receipt">
          {t.print}
        </button>
        <button className="button button--primary" type="button" onClick={props.onNext}>
          {zhCN.staff.newCandidate}
        </button>
      </div>
    </section>
  );
}
