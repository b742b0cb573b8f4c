import { zhCN } from '../../../core/i18n/zh-CN.js';
import { formatDateTime } from '../../receipts/format-receipt.js';
import type { PriorVisitView } from '../stores/visit-store.js';

const t = zhCN.visit;

/** Over the candidate card: the open 待补材料 record this visit completes, an earlier confirmation, the cross-station flag. */
export function PriorVisitBanner(props: { view: PriorVisitView }) {
  const { view } = props;
  return (
    <>
      {view.kind === 'open-pending' && (
        <p className="message message--info" data-testid="prior-visit" data-kind={view.kind}>
          {t.openPending(formatDateTime(view.decidedAt ?? ''), view.missing.join('、'), view.until ?? '')}
        </p>
      )}
      {view.kind === 'confirmed' && (
        <p className="message message--warning" data-testid="prior-visit" data-kind={view.kind} role="alert">
          {t.alreadyConfirmed(formatDateTime(view.decidedAt ?? ''))}
        </p>
      )}
      {view.kind === 'rejected' && (
        <p className="message message--info" data-testid="prior-visit" data-kind={view.kind}>
          {t.earlierRejected(formatDateTime(view.decidedAt ?? ''))}
        </p>
      )}
      {view.crossStation && (
        <p className="message message--warning" data-testid="cross-station" role="alert">
          {t.crossStation}
        </p>
      )}
    </>
  );
}
