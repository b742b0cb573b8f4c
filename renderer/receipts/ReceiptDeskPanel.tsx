import type { FormEvent } from 'react';
import { receiptLayouts, type ReceiptLayout } from '../../core/contract/printing.js';
import type { ReceiptOfflineVerifyReply } from '../../core/contract/receipt.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { formatDateTime } from './format-receipt.js';
import type { ReceiptRecordSummary } from './receipt-store.js';

const t = zhCN.receipts;

/** 回执纸张: the paper the next print uses. */
export function ReceiptLayoutChoice(props: { layout: ReceiptLayout; onLayout: (layout: ReceiptLayout) => void }) {
  return (
    <label className="field field--inline-row">
      <span>{t.layout.label}</span>
      <select value={props.layout} onChange={(event) => props.onLayout(event.target.value as ReceiptLayout)} data-testid="receipt-layout">
        {receiptLayouts.map((layout) => (
          <option key={layout} value={layout}>
            {t.layout[layout]}
          </option>
        ))}
      </select>
    </label>
  );
}

function CheckResult(props: { result: ReceiptOfflineVerifyReply }) {
  const { result } = props;
  const good = result.status === 'verified-signature';
  return (
    <div className={`message message--${good ? 'success' : 'error'}`} data-testid="receipt-check-result" data-status={result.status} role="status">
      <p>{result.message}</p>
      {result.station && <p>{t.offline.station(result.station.name)}</p>}
      {result.confirmationId && result.savedAt && <p className="receipt__id">{t.offline.record(result.confirmationId, formatDateTime(result.savedAt))}</p>}
    </div>
  );
}

/**
 * 补打回执 / 核验回执 on the desk: find a candidate's saved records by citizen number and print any of them
 * again; check a scanned receipt QR offline (a scanner gun types the text and Enter).
 */
export function ReceiptDeskPanel(props: {
  layout: ReceiptLayout;
  onLayout: (layout: ReceiptLayout) => void;
  lookup: { input: string; searching: boolean; records: ReceiptRecordSummary[] | undefined };
  onLookupInput: (input: string) => void;
  onFind: () => void;
  onReprint: (recordId: string) => void;
  printing: boolean;
  notice: string | undefined;
  error: string | undefined;
  check: { input: string; busy: boolean; result: ReceiptOfflineVerifyReply | undefined };
  onCheckInput: (input: string) => void;
  onCheck: () => void;
}) {
  const find = (event: FormEvent) => {
    event.preventDefault();
    props.onFind();
  };
  const check = (event: FormEvent) => {
    event.preventDefault();
    props.onCheck();
  };
  return (
    <details className="panel receipt-desk" data-testid="receipt-desk">
      <summary>
        <h2>{t.desk.title}</h2>
      </summary>
      <form className="receipt-desk__form" onSubmit={find}>
        <h3>{t.desk.reprintTitle}</h3>
        <p className="hint">{t.desk.reprintHint}</p>
        <div className="receipt-desk__row">
          <input
            aria-label={t.desk.reprintPlaceholder}
            value={props.lookup.input}
            placeholder={t.desk.reprintPlaceholder}
            onChange={(event) => props.onLookupInput(event.target.value)}
            data-testid="reprint-citizen-id"
          />
          <button className="button" type="submit" disabled={props.lookup.searching} data-testid="reprint-find">
            {t.desk.find}
          </button>
          <ReceiptLayoutChoice layout={props.layout} onLayout={props.onLayout} />
        </div>
        {props.lookup.records?.length === 0 && <p className="hint">{t.desk.none}</p>}
        {props.lookup.records && props.lookup.records.length > 0 && (
          <ul className="receipt-desk__records">
            {props.lookup.records.map((record) => (
              <li key={record.id} data-testid="reprint-record" data-record={record.id}>
                <span>
                  {record.candidateName} · {record.outcome === 'confirmed' ? t.sheet.confirmed : t.sheet.rejected} · {formatDateTime(record.savedAt)} · {t.desk.version(record.version)}
                </span>
                <button className="button button--small" type="button" disabled={props.printing} onClick={() => props.onReprint(record.id)} data-testid="reprint-receipt">
                  {t.desk.reprint}
                </button>
              </li>
            ))}
          </ul>
        )}
        {props.notice && <p className="hint" data-testid="receipt-notice">{props.notice}</p>}
        {props.error && <p className="message message--error" data-testid="receipt-error">{props.error}</p>}
      </form>
      <form className="receipt-desk__form" onSubmit={check}>
        <h3>{t.desk.verifyTitle}</h3>
        <p className="hint">{t.desk.verifyHint}</p>
        <div className="receipt-desk__row">
          <input
            aria-label={t.desk.verifyTitle}
            value={props.check.input}
            placeholder={t.desk.verifyPlaceholder}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => props.onCheckInput(event.target.value)}
            data-testid="receipt-check-input"
          />
          <button className="button" type="submit" disabled={props.check.busy} data-testid="receipt-check">
            {props.check.busy ? t.desk.verifying : t.desk.verify}
          </button>
        </div>
        {props.check.result && <CheckResult result={props.check.result} />}
      </form>
    </details>
  );
}
