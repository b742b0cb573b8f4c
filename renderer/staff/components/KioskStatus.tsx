import type { KioskResponse } from '../../../core/contract/kiosk.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { KioskSync } from '../stores/check-in-store.js';

const fieldLabel = (field: string): string =>
  (zhCN.candidate.fields as Record<string, string>)[field] ?? (field === 'photo' ? '照片' : field);

export function KioskStatus({ kiosk, response }: { kiosk: KioskSync; response: KioskResponse | undefined }) {
  if (kiosk.status === 'failed') {
    return (
      <p className="message message--error" data-testid="kiosk-status">
        {zhCN.staff.kioskFailed}
        {kiosk.message}
      </p>
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
