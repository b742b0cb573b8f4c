import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { ReadinessProblem } from '../services/readiness.js';

const t = zhCN.readiness;

/** The readiness check before each candidate: blocking problems first, each with what to do. */
export function ReadinessPanel(props: { problems: readonly ReadinessProblem[]; checking: boolean; onRecheck: () => void }) {
  if (props.problems.length === 0) return null;
  const blocking = props.problems.filter((p) => p.severity === 'blocking');
  const warnings = props.problems.filter((p) => p.severity === 'warning');
  return (
    <section className="panel readiness" aria-label={t.title} data-testid="readiness">
      <h2>{t.title}</h2>
      {blocking.length > 0 && <p className="message message--error">{t.blockingNote}</p>}
      <ul className="readiness__list">
        {[...blocking, ...warnings].map((problem) => (
          <li key={problem.id} className={`readiness__item readiness__item--${problem.severity}`} data-testid={`readiness-${problem.id}`}>
            {problem.message}
          </li>
        ))}
      </ul>
      <button className="button" type="button" onClick={props.onRecheck} disabled={props.checking}>
        {t.recheck}
      </button>
    </section>
  );
}
