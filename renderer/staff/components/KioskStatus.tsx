import { zhCN } from '../../../core/i18n/zh-CN.js';
import { fieldLabel } from '../../ui/candidate-fields.js';
import type { KioskPhase } from '../services/kiosk-view.js';

const text = zhCN.kiosk.phase;
const tone: Record<KioskPhase['kind'], string> = {
  idle: 'info',
  failed: 'error',
  'awaiting-check': 'info',
  checked: 'success',
  reported: 'warning',
  'awaiting-signature': 'info',
  signed: 'success',
  done: 'info',
};

/** The candidate's screen in one line; every kiosk text in the staff window comes from the same phase. */
export function KioskStatus(props: { phase: KioskPhase; onResend: () => void }) {
  const { phase } = props;
  if (phase.kind === 'idle') return null;
  return (
    <div className={`message message--${tone[phase.kind]}`} data-testid="kiosk-status" data-phase={phase.kind}>
      <strong>{text[phase.kind]}</strong>
      {phase.kind === 'failed' && phase.message}
      {phase.kind === 'reported' && (
        <span>
          {phase.fields.map(fieldLabel).join('、')}
          {phase.note && `：${phase.note}`}
        </span>
      )}
      {phase.kind === 'failed' && (
        <button className="button" type="button" onClick={props.onResend}>
          {zhCN.staff.resendToKiosk}
        </button>
      )}
    </div>
  );
}
