import { zhCN } from '../../../../core/i18n/zh-CN.js';
import type { SavedRecord } from '../../stores/confirmation-store.js';

const t = zhCN.done;

export function DonePanel(props: { saved: SavedRecord | undefined; onNext: () => void }) {
  const { saved } = props;
  if (!saved) return null;
  return (
    <section className="panel step" data-testid="step-done" data-outcome={saved.outcome} data-record={saved.id}>
      <p className={`message message--${saved.outcome === 'confirmed' ? 'success' : 'warning'}`}>
        {saved.outcome === 'confirmed' ? t.confirmed : t.rejected}
      </p>
      {saved.reasons.length > 0 && (
        <p>
          {t.reasons}
          {saved.reasons.join('；')}
        </p>
      )}
      <p className="hint">{t.syncNote}</p>
      <button className="button button--primary" type="button" onClick={props.onNext}>
        {zhCN.staff.newCandidate}
      </button>
    </section>
  );
}
