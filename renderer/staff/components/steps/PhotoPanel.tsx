import { zhCN } from '../../../../core/i18n/zh-CN.js';
import type { PhotoShot } from '../../stores/photo-store.js';

const t = zhCN.face.photoStep;

/** 标准照: capture, the checks' retake instructions, the cropped photo to accept. */
export function PhotoPanel(props: { shot: PhotoShot; onCapture: () => void; onAccept: () => void; onRetake: () => void }) {
  const { shot } = props;
  return (
    <div className="photo-panel" data-testid="photo-panel" data-status={shot.status} data-accepted={shot.status === 'good' && shot.accepted}>
      <h3>{t.title}</h3>
      {shot.status === 'rejected' && (
        <div className="message message--warning" data-testid="photo-retake">
          <strong>{zhCN.face.photo.retakeTitle}</strong>
          <ul>
            {shot.messages.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        </div>
      )}
      {shot.status === 'error' && (
        <p className="message message--error" role="alert">
          {shot.message}
        </p>
      )}
      {shot.status === 'good' && (
        <figure className="photo-panel__preview">
          <img src={shot.previewUrl} alt={t.title} className="photo" data-testid="standard-photo" />
          <figcaption className="hint">
            {shot.size.width}×{shot.size.height} · {t.size(Math.ceil(shot.jpeg.length / 1024))} {shot.accepted && `· ${t.accepted}`}
          </figcaption>
        </figure>
      )}
      <div className="step__actions">
        {shot.status === 'good' && !shot.accepted && (
          <button className="button button--primary" type="button" onClick={props.onAccept} data-testid="photo-accept">
            {t.accept}
          </button>
        )}
        <button className="button" type="button" disabled={shot.status === 'checking'} onClick={shot.status === 'good' ? props.onRetake : props.onCapture} data-testid="photo-capture">
          {shot.status === 'checking' ? t.capturing : shot.status === 'good' ? t.retake : t.capture}
        </button>
      </div>
    </div>
  );
}
