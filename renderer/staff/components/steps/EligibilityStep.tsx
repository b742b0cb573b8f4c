import type { ReactNode } from 'react';
import { paperStatuses, rejectionReasonIds, type PaperStatus, type RejectionReasonId } from '../../../../core/contract/confirmation.js';
import type { PaperCheck, PapersReview } from '../../../../core/eligibility/review.js';
import { zhCN } from '../../../../core/i18n/zh-CN.js';
import type { RulesCandidateType } from '../../../../core/rules/bundle.js';
import type { DecisionKind } from '../../stores/eligibility-store.js';

const t = zhCN.materials;

export interface EligibilityStepProps {
  typeChoices: readonly RulesCandidateType[];
  type: RulesCandidateType | undefined;
  checks: Readonly<Record<string, PaperCheck>>;
  /** Papers with a photo taken in this visit or kept from the open record. */
  photographed: ReadonlySet<string>;
  photoBusy: string | undefined;
  photoError: string | undefined;
  review: PapersReview | undefined;
  decisionKind: DecisionKind | undefined;
  reasons: readonly RejectionReasonId[];
  reasonText: string;
  until: string;
  pendingNote: string;
  /** Why the prepared decision cannot be saved yet. */
  blocker: string | undefined;
  busy: boolean;
  /** The camera view, for photos of the papers. */
  camera?: ReactNode;
  onChooseType: (typeId: string) => void;
  onStatus: (materialId: string, status: PaperStatus) => void;
  onNote: (materialId: string, note: string) => void;
  onPhoto: (materialId: string) => void;
  onDecision: (kind: DecisionKind | undefined) => void;
  onToggleReason: (reason: RejectionReasonId) => void;
  onReasonText: (text: string) => void;
  onUntil: (day: string) => void;
  onPendingNote: (text: string) => void;
  onPass: () => void;
  onReject: () => void;
  onPending: () => void;
}

/** 资格审核: the province's papers for the candidate's type, each 已核验 / 缺失 / 不符, then 通过, 不通过 or 待补材料. */
export function EligibilityStep(props: EligibilityStepProps) {
  const { type, review } = props;
  return (
    <section className="panel step" data-testid="step-eligibility">
      <h2>{t.title}</h2>
      {props.typeChoices.length > 1 && (
        <fieldset className="materials__types" data-testid="eligibility-type-choice">
          <legend>{t.chooseType}</legend>
          {props.typeChoices.map((choice) => (
            <button
              key={choice.id}
              className="button"
              type="button"
              aria-pressed={type?.id === choice.id}
              onClick={() => props.onChooseType(choice.id)}
              data-testid={`eligibility-type-${choice.id}`}
            >
              {choice.label}
            </button>
          ))}
        </fieldset>
      )}
      {type && (
        <>
          <p className="hint" data-testid="eligibility-type">
            {t.typeOf(type.label)}
          </p>
          {props.camera}
          <ul className="materials">
            {type.materials.map((material) => {
              const check = props.checks[material.id];
              return (
                <li key={material.id} className={`materials__item materials__item--${check?.status ?? 'open'}`} data-testid={`material-${material.id}`}>
                  <span className="materials__label">
                    {material.label}
                    {!material.required && <span className="hint">{t.optional}</span>}
                    {material.hint && <span className="hint materials__hint">{material.hint}</span>}
                  </span>
                  <span className="materials__choice">
                    {paperStatuses.map((status) => (
                      <button
                        key={status}
                        className="button"
                        type="button"
                        aria-pressed={check?.status === status}
                        onClick={() => props.onStatus(material.id, status)}
                        data-testid={`material-${material.id}-${status}`}
                      >
                        {t.statuses[status]}
                      </button>
                    ))}
                    <button
                      className="button"
                      type="button"
                      disabled={props.photoBusy !== undefined}
                      onClick={() => props.onPhoto(material.id)}
                      data-testid={`material-${material.id}-photo`}
                    >
                      {props.photographed.has(material.id) ? t.retakePhoto : t.photo}
                    </button>
                    {props.photographed.has(material.id) && <span className="badge">{t.photoTaken}</span>}
                  </span>
                  {check && (
                    <input
                      className="input materials__note"
                      type="text"
                      maxLength={200}
                      placeholder={t.notePlaceholder}
                      value={check.note ?? ''}
                      onChange={(event) => props.onNote(material.id, event.target.value)}
                      data-testid={`material-${material.id}-note`}
                    />
                  )}
                </li>
              );
            })}
          </ul>
          {props.photoError && (
            <p className="message message--error" role="alert">
              {props.photoError}
            </p>
          )}
          <fieldset className="materials__decision" data-testid="eligibility-decision">
            <legend>{t.decision}</legend>
            <button className="button" type="button" aria-pressed={props.decisionKind === 'reject'} disabled={props.busy} onClick={() => props.onDecision('reject')} data-testid="eligibility-decide-reject">
              {t.decisions.reject}
            </button>
            <button
              className="button"
              type="button"
              aria-pressed={props.decisionKind === 'pending'}
              disabled={props.busy || !review?.canPend}
              onClick={() => props.onDecision('pending')}
              data-testid="eligibility-decide-pending"
            >
              {t.decisions.pending}
            </button>
            <button className="button button--primary" type="button" disabled={props.busy || !review?.canPass} onClick={props.onPass} data-testid="eligibility-pass">
              {t.continue}
            </button>
          </fieldset>
          {props.decisionKind === 'reject' && (
            <div className="materials__reasons" data-testid="eligibility-reject-form">
              {rejectionReasonIds.map((reason) => (
                <label key={reason} className="checkbox">
                  <input type="checkbox" checked={props.reasons.includes(reason)} onChange={() => props.onToggleReason(reason)} data-testid={`reason-${reason}`} />
                  {t.rejectionReasons[reason]}
                </label>
              ))}
              <label className="field">
                <span>{t.reasonText}</span>
                <input className="input" type="text" maxLength={200} value={props.reasonText} onChange={(event) => props.onReasonText(event.target.value)} data-testid="reason-text" />
              </label>
              <button className="button button--danger" type="button" disabled={props.busy || props.blocker !== undefined} onClick={props.onReject} data-testid="eligibility-reject">
                {t.saveReject}
              </button>
            </div>
          )}
          {props.decisionKind === 'pending' && review && (
            <div className="materials__pending" data-testid="eligibility-pending-form">
              <p data-testid="pending-missing">{t.pendingMissing(review.outstanding.map((material) => material.label).join('、'))}</p>
              <label className="field">
                <span>{t.pendingUntil}</span>
                <input className="input" type="date" value={props.until} onChange={(event) => props.onUntil(event.target.value)} data-testid="pending-until" />
              </label>
              <label className="field">
                <span>{t.pendingNote}</span>
                <input className="input" type="text" maxLength={200} value={props.pendingNote} onChange={(event) => props.onPendingNote(event.target.value)} data-testid="pending-note" />
              </label>
              <button className="button button--primary" type="button" disabled={props.busy || props.blocker !== undefined} onClick={props.onPending} data-testid="eligibility-save-pending">
                {t.savePending}
              </button>
            </div>
          )}
          {props.blocker && props.decisionKind && (
            <p className="message message--warning" data-testid="eligibility-blocker">
              {props.blocker}
            </p>
          )}
        </>
      )}
    </section>
  );
}
