import { zhCN } from '../../../../core/i18n/zh-CN.js';
import type { FingerSlot } from '../../stores/fingerprint-store.js';

const t = zhCN.fingerprint;
const fingerName = (finger: number) => t.fingers[finger] ?? String(finger);
const allFingers = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/** 指纹采集: one row per finger asked for — capture, preview and quality, confirm; or the exceptions. */
export function FingerprintPanel(props: {
  slots: readonly FingerSlot[];
  prompt: string | undefined;
  busy: boolean;
  /** The scanner is attached and not at fault. */
  scannerReady: boolean;
  /** The ID card chip carried fingerprint data (kept with the record). */
  chipFingerprint: boolean;
  onCapture: (index: number) => void;
  onConfirm: (index: number) => void;
  onChooseFinger: (index: number, finger: number) => void;
  onMarkUnavailable: (index: number) => void;
  onCancel: () => void;
}) {
  return (
    <section className="fingerprints" data-testid="fingerprint-panel" aria-label={t.panel.title}>
      <h3>{t.panel.title}</h3>
      {!props.scannerReady && (
        <p className="message message--warning" data-testid="fingerprint-no-scanner">
          {t.panel.noScanner}
        </p>
      )}
      {props.chipFingerprint && (
        <p className="hint" data-testid="fingerprint-chip">
          {t.panel.chipFingerprint}
        </p>
      )}
      {props.prompt && (
        <p className="message message--info" role="status" data-testid="fingerprint-prompt">
          {props.prompt}
        </p>
      )}
      <ol className="fingerprints__list">
        {props.slots.map((slot, index) => {
          const used = new Set(props.slots.filter((_, i) => i !== index).map((other) => other.finger));
          const editable = slot.status === 'pending' || slot.status === 'captured';
          return (
            <li key={index} className="fingerprints__slot" data-testid={`fingerprint-slot-${index}`} data-status={slot.status} data-finger={slot.finger}>
              <p>
                <strong>{fingerName(slot.finger)}</strong> · <span data-testid="fingerprint-status">{t.panel.status[slot.status]}</span>
              </p>
              {slot.capture && (
                <figure className="fingerprints__capture">
                  <img
                    src={`data:image/png;base64,${slot.capture.imagePng}`}
                    alt={t.panel.imageAlt(fingerName(slot.finger))}
                    width={Math.round(slot.capture.width / 2)}
                    height={Math.round(slot.capture.height / 2)}
                    data-testid="fingerprint-image"
                  />
                  <figcaption data-testid="fingerprint-quality" data-quality={slot.capture.quality}>
                    {t.panel.quality(slot.capture.quality, slot.capture.targetQuality)} · {t.panel.attempts(slot.attempts)}
                  </figcaption>
                </figure>
              )}
              {slot.status === 'unavailable' && slot.approval && (
                <p className="hint" data-testid="fingerprint-approval">
                  {t.panel.approvedBy(slot.approval.supervisorName, slot.approval.reason)}
                </p>
              )}
              {slot.message && (
                <p className={`message message--${slot.message.kind}`} role={slot.message.kind === 'error' ? 'alert' : undefined} data-testid="fingerprint-message">
                  {slot.message.text}
                </p>
              )}
              <div className="step__actions">
                {slot.status === 'capturing' ? (
                  <button className="button" type="button" onClick={props.onCancel} data-testid="fingerprint-cancel">
                    {t.panel.cancel}
                  </button>
                ) : (
                  editable && (
                    <>
                      <button
                        className={slot.status === 'pending' ? 'button button--primary' : 'button'}
                        type="button"
                        disabled={props.busy || !props.scannerReady}
                        onClick={() => props.onCapture(index)}
                        data-testid="fingerprint-capture"
                      >
                        {slot.status === 'pending' ? t.panel.capture : t.panel.retake}
                      </button>
                      {slot.status === 'captured' && (
                        <button className="button button--primary" type="button" disabled={props.busy} onClick={() => props.onConfirm(index)} data-testid="fingerprint-confirm">
                          {t.panel.confirm}
                        </button>
                      )}
                      <label className="field fingerprints__choose">
                        <span>{t.panel.chooseOtherLabel}</span>
                        <select
                          value={slot.finger}
                          disabled={props.busy}
                          onChange={(event) => props.onChooseFinger(index, Number(event.currentTarget.value))}
                          data-testid="fingerprint-choose"
                        >
                          {allFingers.map((finger) => (
                            <option key={finger} value={finger} disabled={used.has(finger)}>
                              {fingerName(finger)}
                            </option>
                          ))}
                        </select>
                      </label>
                      <button className="button" type="button" disabled={props.busy} onClick={() => props.onMarkUnavailable(index)} data-testid="fingerprint-unavailable">
                        {t.panel.markUnavailable}
                      </button>
                    </>
                  )
                )}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
