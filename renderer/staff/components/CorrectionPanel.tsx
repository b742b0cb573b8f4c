import type { FormEvent } from 'react';
import { correctableFields, type CorrectableField, type FieldCorrection } from '../../../core/contract/confirmation.js';
import type { KioskField } from '../../../core/contract/kiosk.js';
import type { RosterEntry, Sex } from '../../../core/contract/roster.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { fieldLabel } from '../../ui/candidate-fields.js';
import { sexLabel } from '../../ui/labels.js';

const t = zhCN.correction;
const isCorrectable = (field: KioskField): field is CorrectableField => (correctableFields as readonly string[]).includes(field);
const shown = (field: CorrectableField, value: string) => (field === 'sex' ? sexLabel(value as Sex) : value);

/**
 * The answer to a 有误 report: a field staff may correct gets an input with its current value; the others are
 * named as ones the registration system must correct. The form is uncontrolled: the store gets the value on submit.
 */
export function CorrectionPanel(props: {
  reported: readonly KioskField[];
  candidate: RosterEntry;
  corrections: readonly FieldCorrection[];
  status: { status: 'idle' } | { status: 'failed'; message: string } | { status: 'resent' };
  onCorrect: (field: CorrectableField, value: string) => void;
}) {
  const editable = props.reported.filter(isCorrectable);
  const elsewhere = props.reported.filter((field) => !isCorrectable(field));
  const submit = (field: CorrectableField) => (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    props.onCorrect(field, String(new FormData(event.currentTarget).get('value') ?? ''));
  };
  return (
    <section className="correction" data-testid="correction" aria-label={t.title}>
      <h3>{t.title}</h3>
      {editable.map((field) => (
        <form key={field} className="correction__row" data-field={field} onSubmit={submit(field)}>
          <label>
            {fieldLabel(field)}
            {field === 'sex' ? (
              <select name="value" defaultValue={props.candidate.sex}>
                <option value="male">{sexLabel('male')}</option>
                <option value="female">{sexLabel('female')}</option>
              </select>
            ) : (
              <input name="value" defaultValue={props.candidate[field]} maxLength={100} autoComplete="off" />
            )}
          </label>
          <button className="button" type="submit">
            {t.submit}
          </button>
        </form>
      ))}
      {elsewhere.length > 0 && (
        <p className="hint" data-testid="correction-elsewhere">
          {t.fixedElsewhere}
          {elsewhere.map(fieldLabel).join('、')}
        </p>
      )}
      {props.status.status === 'failed' && <p className="message message--error">{props.status.message}</p>}
      {props.corrections.length > 0 && (
        <ul className="correction__done" data-testid="corrections">
          {props.corrections.map((c) => (
            <li key={`${c.field}-${c.at}`}>{t.corrected(fieldLabel(c.field), shown(c.field, c.from), shown(c.field, c.to))}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
