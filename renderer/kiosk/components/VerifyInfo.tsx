import type { KioskCandidate, KioskField } from '../../../core/contract/kiosk.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { Photo } from '../../ui/Photo.js';
import { candidateTypeLabel, sexLabel } from '../../ui/labels.js';

const f = zhCN.candidate.fields;

export function candidateRows(c: KioskCandidate): [KioskField, string, string][] {
  return [
    ['name', f.name, c.name],
    ['citizenId', f.citizenId, c.citizenIdMasked],
    ['sex', f.sex, sexLabel(c.sex)],
    ['candidateType', f.candidateType, candidateTypeLabel(c.candidateType)],
    ['major', f.major, c.major],
    ['examCity', f.examCity, c.examCity],
    ['confirmationPoint', f.confirmationPoint, c.confirmationPoint],
    ['registrationNo', f.registrationNo, c.registrationNo],
  ];
}

export function VerifyInfo(props: { candidate: KioskCandidate; busy: boolean; onConfirm: () => void; onReport: () => void }) {
  const { candidate } = props;
  return (
    <section className="kiosk-card" data-testid="kiosk-verify">
      <h1 className="kiosk-card__prompt">{zhCN.kiosk.checkPrompt}</h1>
      <div className="kiosk-card__body">
        <Photo src={candidate.photo} alt={candidate.name} />
        <dl className="fields fields--large">
          {candidateRows(candidate).map(([key, label, value]) => (
            <div key={key} className="fields__row" data-field={key}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </div>
      <div className="kiosk-card__actions">
        <button className="button button--large" type="button" disabled={props.busy} onClick={props.onReport}>
          {zhCN.kiosk.reportError}
        </button>
        <button className="button button--large button--primary" type="button" disabled={props.busy} onClick={props.onConfirm}>
          {zhCN.kiosk.confirm}
        </button>
      </div>
    </section>
  );
}
