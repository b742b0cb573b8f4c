import type { CandidateType } from '../../../../core/contract/roster.js';
import type { MaterialId, MaterialVerdict } from '../../../../core/eligibility/materials.js';
import { zhCN } from '../../../../core/i18n/zh-CN.js';

const t = zhCN.materials;

/** 资格审核: one row per paper the candidate's type requires, each passed or failed by staff. */
export function EligibilityStep(props: {
  candidateType: CandidateType;
  materials: readonly MaterialId[];
  verdicts: Partial<Record<MaterialId, MaterialVerdict>>;
  canPass: boolean;
  canReject: boolean;
  busy: boolean;
  onVerdict: (id: MaterialId, verdict: MaterialVerdict) => void;
  onPass: () => void;
  onReject: () => void;
}) {
  return (
    <section className="panel step" data-testid="step-eligibility">
      <h2>{t.title}</h2>
      <p className="hint">{t.hint(zhCN.candidate.types[props.candidateType])}</p>
      <ul className="materials">
        {props.materials.map((id) => (
          <li key={id} className={`materials__item materials__item--${props.verdicts[id] ?? 'open'}`} data-testid={`material-${id}`}>
            <span>{t.items[id]}</span>
            <span className="materials__choice">
              <button className="button" type="button" aria-pressed={props.verdicts[id] === 'pass'} onClick={() => props.onVerdict(id, 'pass')}>
                {t.pass}
              </button>
              <button className="button" type="button" aria-pressed={props.verdicts[id] === 'fail'} onClick={() => props.onVerdict(id, 'fail')}>
                {t.fail}
              </button>
            </span>
          </li>
        ))}
      </ul>
      <div className="step__actions">
        <button className="button" type="button" disabled={!props.canReject || props.busy} onClick={props.onReject} data-testid="eligibility-reject">
          {t.reject}
        </button>
        <button className="button button--primary" type="button" disabled={!props.canPass || props.busy} onClick={props.onPass} data-testid="eligibility-pass">
          {t.continue}
        </button>
      </div>
    </section>
  );
}
