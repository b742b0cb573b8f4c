import { createPortal } from 'react-dom';
import type { ReceiptLayout } from '../../core/contract/printing.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { formatDateTime } from './format-receipt.js';
import type { ReceiptView } from './receipt-view.js';
import '../printing/print.css';
import './receipt.css';

const t = zhCN.receipts.sheet;

/**
 * The printed receipt: one component for every paper. It is not shown on screen; when printing it is the only
 * thing on the page (receipt.css), on the named @page of the chosen paper (no inline style: the CSP allows none).
 */
export function ReceiptSheet(props: { sheet: ReceiptView | undefined; layout: ReceiptLayout }) {
  const { sheet, layout } = props;
  if (!sheet) return null;
  return createPortal(
    <div className={`print-sheet receipt-print receipt-print--${layout}`} data-print-sheet="receipt" data-testid="receipt-sheet" data-layout={layout} data-record={sheet.recordId}>
      <header className="receipt-print__head">
        <h1>{t.title}</h1>
        <p>
          {t.point}：{sheet.pointName}
        </p>
      </header>
      <div className="receipt-print__body">
        {sheet.photo && <img className="receipt-print__photo" src={sheet.photo} alt={t.photo} />}
        <dl className="receipt-print__fields">
          <dt>{t.name}</dt>
          <dd>{sheet.candidateName}</dd>
          <dt>{t.citizenId}</dt>
          <dd className="receipt-print__mono">{sheet.citizenIdMasked}</dd>
          <dt>{t.registrationNo}</dt>
          <dd className="receipt-print__mono">{sheet.registrationNo}</dd>
          <dt>{t.decision}</dt>
          <dd className="receipt-print__decision" data-outcome={sheet.outcome}>
            {t[sheet.outcome]}
          </dd>
          {sheet.reasons.length > 0 && (
            <>
              <dt>{t.reasons}</dt>
              <dd>{sheet.reasons.join('；')}</dd>
            </>
          )}
          {sheet.missingPapers.length > 0 && (
            <>
              <dt>{t.missing}</dt>
              <dd data-testid="receipt-missing">{sheet.missingPapers.join('、')}</dd>
            </>
          )}
          {sheet.pendingUntil && (
            <>
              <dt>{t.pendingUntil}</dt>
              <dd data-testid="receipt-pending-until">{sheet.pendingUntil}</dd>
            </>
          )}
          <dt>{t.savedAt}</dt>
          <dd>{formatDateTime(sheet.savedAt)}</dd>
          <dt>{t.station}</dt>
          <dd>{sheet.stationName}</dd>
        </dl>
      </div>
      {sheet.qrImage ? (
        <figure className="receipt-print__qr">
          <img src={sheet.qrImage} alt={t.verifyHint} data-testid="receipt-sheet-qr" data-qr={sheet.qr} />
          <figcaption>{t.verifyHint}</figcaption>
        </figure>
      ) : (
        <p className="receipt-print__note">{t.unsigned}</p>
      )}
      <footer className="receipt-print__foot">
        <span>
          {t.recordNo} <span className="receipt-print__mono">{sheet.recordId}</span>
        </span>
        {sheet.reprintedAt && <span data-testid="receipt-reprinted">{t.reprinted(formatDateTime(sheet.reprintedAt))}</span>}
      </footer>
    </div>,
    document.body,
  );
}
