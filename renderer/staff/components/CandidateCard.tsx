import type { RosterEntry } from '../../../core/contract/roster.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { candidateRows } from '../../ui/candidate-fields.js';
import { statusLabel } from '../../ui/labels.js';
import { FieldList } from '../../ui/FieldList.js';
import { Photo } from '../../ui/Photo.js';

const f = zhCN.candidate.fields;

export function CandidateCard({ candidate, warnings }: { candidate: RosterEntry; warnings: readonly string[] }) {
  const rows = candidateRows(candidate);
  return (
    <section className="panel candidate" data-testid="candidate-card" aria-labelledby="candidate-title">
      <header className="candidate__header">
        <h2 id="candidate-title">{zhCN.staff.candidateTitle}</h2>
        <span className={`status status--${candidate.status}`} data-testid="candidate-status">
          {f.status}：{statusLabel(candidate.status)}
        </span>
      </header>
      <div className="candidate__body">
        <Photo src={candidate.photo} alt={candidate.name} />
        <FieldList rows={rows} />
      </div>
      {warnings.map((w) => (
        <p key={w} className="message message--warning">
          {w}
        </p>
      ))}
    </section>
  );
}
