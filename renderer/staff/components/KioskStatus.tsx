import type { KioskResponse } from '../../../core/contract/kiosk.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { fieldLabel } from '../../ui/candidate-fields.js';
import type { KioskSync } from '../stores/check-in-store.js';


export function KioskStatus(props: { kiosk: KioskSync; response: KioskResponse | undefined; onResend: () => void }) {
  const { kiosk, response } = props;
  if (kiosk.status === 'failed') {
    return (
      <div className="message message--error" data-testid="kiosk-status">
        <p>
          {zhCN.staff.kioskFailed}
          {kiosk.message}
        </p>
        <button className="button" type="button" onClick={props.onResend}>
          {zhCN.staff.resendToKiosk}
        </button>
      </div>
    );
  }
  if (kiosk.status !== 'shown') return null;
  if (!response) {
    return (
      <p className="message message--info" data-testid="kiosk-status">
        {zhCN.staff.kioskShown} {zhCN.staff.waitingForCandidate}
      </p>
    );
  }
  const tone = response.kind === 'report-error' ? 'warning' : 'success';
  return (
    <div className={`message message--${tone}`} data-testid="kiosk-status" data-response={response.kind}>
      <strong>{zhCN.kiosk.responded[response.kind]}</strong>
      {response.kind === 'report-error' && (
        <p>
          {response.fields.map(fieldLabel).join('、')}
          {response.note && `：${response.note}`}
        </p>
      )}
    </div>
  );
}
