import type { KioskCandidate } from '../../../core/contract/kiosk.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { FieldList } from '../../ui/FieldList.js';
import { Photo } from '../../ui/Photo.js';
import { candidateRows } from '../../ui/candidate-fields.js';

/** The kiosk shows the masked number only. */
export const kioskRows = (c: KioskCandidate) => candidateRows({ ...c, citizenId: c.citizenIdMasked });

export function VerifyInfo(props: { candidate: KioskCandidate; busy: boolean; onConfirm: () => void; onReport: () => void }) {
  const { candidate } = props;
  return (
    <section className="kiosk-card" data-testid="kiosk-verify">
      <h1 className="kiosk-card__prompt">{zhCN.kiosk.checkPrompt}</h1>
      <div className="kiosk-card__body">
        <Photo src={candidate.photo} alt={candidate.name} />
        <FieldList rows={kioskRows(candidate)} large />
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
