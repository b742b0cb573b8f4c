import { useState, type FormEvent, type ReactNode } from 'react';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { ReviewReason } from '../../ocr/schema.js';
import type { OcrFieldKey, OcrPhase } from '../stores/ocr-store.js';

const t = zhCN.ocrPanel;
const labels: Record<OcrFieldKey, string> = {
  name: zhCN.ocr.fields.name,
  sex: zhCN.ocr.fields.sex,
  nation: zhCN.ocr.fields.nation,
  birthDate: zhCN.ocr.fields.birthDate,
  address: zhCN.ocr.fields.address,
  idNumber: zhCN.ocr.fields.idNumber,
  issuingAuthority: zhCN.ocr.fields.issuingAuthority,
  validFrom: `${zhCN.ocr.fields.validity}（起）`,
  validTo: `${zhCN.ocr.fields.validity}（止）`,
};
const reasonText: Record<ReviewReason, string> = {
  'low-confidence': zhCN.ocr.review.lowConfidence,
  'not-read': zhCN.ocr.review.notRead,
  'check-digit': zhCN.ocr.review.checkDigit,
  corrected: zhCN.ocr.review.corrected,
  'birth-mismatch': zhCN.ocr.review.birthMismatch,
  'sex-mismatch': zhCN.ocr.review.sexMismatch,
  'unknown-nation': zhCN.ocr.review.unknownNation,
  'validity-invalid': zhCN.ocr.review.validityInvalid,
  'card-uncertain': zhCN.ocr.review.cardUncertain,
};

/** Open card images, then check the prefilled fields (highlighted where OCR is unsure) before the lookup. */
export function OcrPanel(props: {
  phase: OcrPhase;
  disabled: boolean;
  /** The camera preview (with its card-shaped guide) when staff capture instead of opening files. */
  camera?: ReactNode;
  captured: { front: boolean; back: boolean };
  onCapture: (side: 'front' | 'back') => void;
  onReadCaptured: () => void;
  /** The panel was unfolded: a card is coming, the engines may start loading. */
  onOpen?: () => void;
  onRead: (front: File, back?: File) => void;
  onEdit: (key: OcrFieldKey, value: string) => void;
  onConfirmField: (key: OcrFieldKey) => void;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { phase } = props;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const front = form.get('front');
    const back = form.get('back');
    if (front instanceof File && front.size > 0) props.onRead(front, back instanceof File && back.size > 0 ? back : undefined);
  };
  return (
    // Folded until asked for: the chip read is the usual way, OCR the fallback.
    <details
      className="panel ocr"
      data-testid="ocr-panel"
      data-status={phase.status}
      open={phase.status !== 'idle' ? true : undefined}
      onToggle={(event) => {
        if (event.currentTarget.open) props.onOpen?.();
      }}
    >
      <summary>
        <h2>{t.title}</h2>
        <span className="hint">{t.foldedHint}</span>
      </summary>
      {phase.status !== 'review' && (
        <form className="ocr__open" onSubmit={submit}>
          <FilePick name="front" label={t.front} required disabled={props.disabled} testId="ocr-front" />
          <FilePick name="back" label={t.back} disabled={props.disabled} testId="ocr-back" />
          <button className="button" type="submit" disabled={props.disabled || phase.status === 'reading'} data-testid="ocr-read">
            {phase.status === 'reading' ? t.reading : t.read}
          </button>
        </form>
      )}
      {phase.status !== 'review' && props.camera && (
        <div className="ocr__camera">
          {props.camera}
          <div className="step__actions">
            <button className="button" type="button" disabled={props.disabled} onClick={() => props.onCapture('front')} data-testid="ocr-capture-front">
              {props.captured.front ? t.recaptureFront : t.captureFront}
            </button>
            <button className="button" type="button" disabled={props.disabled} onClick={() => props.onCapture('back')}>
              {props.captured.back ? t.recaptureBack : t.captureBack}
            </button>
            <button className="button button--primary" type="button" disabled={props.disabled || !props.captured.front || phase.status === 'reading'} onClick={props.onReadCaptured}>
              {phase.status === 'reading' ? t.reading : t.readCaptured}
            </button>
          </div>
        </div>
      )}
      {phase.status === 'error' && (
        <p className="message message--error" role="alert">
          {phase.message}
        </p>
      )}
      {phase.status === 'review' && (
        <>
          <ul className="ocr__fields">
            {phase.fields.map((field) => (
              <li key={field.key} className={`ocr__field${field.needsReview ? ' ocr__field--review' : ''}`} data-testid={`ocr-field-${field.key}`} data-review={field.needsReview} data-source={field.source}>
                <label className="field">
                  <span>
                    {labels[field.key]} <span className="hint">{t.confidence(Math.round(field.confidence * 100))}</span>
                  </span>
                  <input value={field.value} onChange={(event) => props.onEdit(field.key, event.target.value)} />
                </label>
                {field.needsReview && (
                  <span className="ocr__why">
                    {field.reasons.map((reason) => reasonText[reason]).join('；')}
                    <button className="button" type="button" onClick={() => props.onConfirmField(field.key)}>
                      {t.confirmField}
                    </button>
                  </span>
                )}
              </li>
            ))}
          </ul>
          {phase.message && <p className="message message--warning">{phase.message}</p>}
          <div className="step__actions">
            <button className="button" type="button" onClick={props.onCancel}>
              {t.cancel}
            </button>
            <button className="button button--primary" type="button" onClick={props.onConfirm} data-testid="ocr-confirm">
              {t.confirm}
            </button>
          </div>
        </>
      )}
    </details>
  );
}

/**
 * A file input in Chinese: the browser's own button speaks the OS language (Choose File / No file chosen), so a
 * styled label shows ours and the input itself stays hidden but focusable.
 */
function FilePick(props: { name: string; label: string; required?: boolean; disabled: boolean; testId: string }) {
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  return (
    <label className="field file-pick">
      <span>{props.label}</span>
      <input
        className="file-pick__input"
        name={props.name}
        type="file"
        accept="image/jpeg,image/png"
        required={props.required}
        disabled={props.disabled}
        data-testid={props.testId}
        onChange={(event) => setChosen(event.target.files?.[0]?.name)}
      />
      <span className="file-pick__row">
        <span className="button" aria-hidden="true">
          {t.chooseFile}
        </span>
        <span className="hint">{chosen ?? t.noFile}</span>
      </span>
    </label>
  );
}
