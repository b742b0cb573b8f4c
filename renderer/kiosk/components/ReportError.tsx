import type { KioskCandidate, KioskField } from '../../../core/contract/kiosk.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { fieldLabel } from '../../ui/candidate-fields.js';
import { kioskRows } from './VerifyInfo.js';

export function ReportError(props: {
  candidate: KioskCandidate;
  selected: readonly KioskField[];
  note: string;
  busy: boolean;
  onToggle: (field: KioskField) => void;
  onNote: (note: string) => void;
  onSubmit: () => void;
  onCancel: () => void;
}) {
  return (
    <section className="kiosk-card" data-testid="kiosk-report">
      <h1 className="kiosk-card__prompt">{zhCN.kiosk.fieldNames}</h1>
      <div className="choices">
        {[...kioskRows(props.candidate).map(([field]) => field), 'photo' as const].map((field) => (
          <label key={field} className="choice">
            <input type="checkbox" checked={props.selected.includes(field)} onChange={() => props.onToggle(field)} />
            {fieldLabel(field)}
          </label>
        ))}
      </div>
      <label className="note">
        {zhCN.kiosk.note}
        <textarea maxLength={200} value={props.note} onChange={(e) => props.onNote(e.target.value)} />
      </label>
      <div className="kiosk-card__actions">
        <button className="button button--large" type="button" onClick={props.onCancel} disabled={props.busy}>
          {zhCN.kiosk.cancel}
        </button>
        <button
          className="button button--large button--primary"
          type="button"
          onClick={props.onSubmit}
          disabled={props.busy || (props.selected.length === 0 && props.note.trim() === '')}
        >
          {zhCN.kiosk.submitReport}
        </button>
      </div>
    </section>
  );
}
