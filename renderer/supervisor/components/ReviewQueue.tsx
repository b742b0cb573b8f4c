import { zhCN } from '../../../core/i18n/zh-CN.js';
import { formatLocalTime } from '../../ui/format-time.js';
import { exceptionKindLabel } from '../../../core/day-log/build-day-log.js';
import { exceptionKinds } from '../../../core/day-log/day-log.js';
import { isQueueOnlyKind, queueOnlyKinds, type ReviewFilter, type ReviewItem, type ReviewKind } from '../review-queue.js';
import type { OpenReview } from '../review-store.js';

const t = zhCN.supervisorDesk.review;
const kinds: readonly ReviewKind[] = [...exceptionKinds, ...queueOnlyKinds];
/** The day log's label for an exception kind (one catalogue entry per kind); the sync-only kinds are the queue's own. */
const kindLabel = (kind: ReviewKind): string => (isQueueOnlyKind(kind) ? t.kinds[kind] : exceptionKindLabel(kind));

function decisionText(item: ReviewItem): string {
  if (!item.review) return t.pending;
  return item.review.decision === 'approved' ? t.approved(item.review.by.name) : t.annotated(item.review.by.name);
}

/** 待复核: everything that needs a second look, newest first, filterable by state and kind. */
export function ReviewQueue(props: {
  status: 'idle' | 'loading' | 'ready' | 'failed';
  items: readonly ReviewItem[];
  filter: ReviewFilter;
  error: string | undefined;
  onFilter: (filter: Partial<ReviewFilter>) => void;
  onOpen: (recordId: string) => void;
}) {
  return (
    <section className="panel review" aria-label={zhCN.supervisorDesk.tabs.review} data-testid="review-queue">
      <div className="review__filters">
        {(['open', 'done', 'all'] as const).map((state) => (
          <button
            key={state}
            type="button"
            className={`button${props.filter.state === state ? ' button--primary' : ''}`}
            onClick={() => props.onFilter({ state })}
            data-testid={`review-filter-${state}`}
          >
            {t.filterState[state]}
          </button>
        ))}
        <label className="field field--inline">
          <span>{t.filterKind}</span>
          <select value={props.filter.kind} onChange={(event) => props.onFilter({ kind: event.target.value as ReviewKind | 'all' })} data-testid="review-filter-kind">
            <option value="all">{t.allKinds}</option>
            {kinds.map((kind) => (
              <option key={kind} value={kind}>
                {kindLabel(kind)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {props.error && <p className="message message--error">{props.error}</p>}
      {props.status === 'loading' && <p className="hint">{t.loading}</p>}
      {props.status === 'ready' && props.items.length === 0 && <p className="hint" data-testid="review-empty">{t.empty}</p>}
      {props.items.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>{t.columns.time}</th>
              <th>{t.columns.name}</th>
              <th>{t.columns.citizenId}</th>
              <th>{t.columns.kinds}</th>
              <th>{t.columns.state}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {props.items.map((item) => (
              <tr key={item.recordId} data-testid="review-item" data-kinds={item.kinds.join(' ')}>
                <td>{formatLocalTime(Date.parse(item.decidedAt))}</td>
                <td>{item.name}</td>
                <td className="tabular">{item.citizenIdMasked}</td>
                <td>{item.kinds.map(kindLabel).join('、')}</td>
                <td>{decisionText(item)}</td>
                <td>
                  <button className="button" type="button" onClick={() => props.onOpen(item.recordId)}>
                    {t.open}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** One record opened for review: what needs a look, the images, and the decision (a new version of the record). */
export function ReviewDetail(props: {
  open: OpenReview;
  busy: boolean;
  error: string | undefined;
  onDecide: (decision: 'approved' | 'annotated', note: string) => void;
  onClose: () => void;
}) {
  const { item, content, images, referencePhoto } = props.open;
  const roleLabel = (role: string) => (role.startsWith('fingerprint-image-') ? t.roles.fingerprint : (t.roles as Record<string, string>)[role] ?? role);
  return (
    <div className="dialog-backdrop">
      <form
        className="panel dialog dialog--wide"
        data-testid="review-detail"
        onSubmit={(event) => {
          event.preventDefault();
          const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
          const note = String(new FormData(event.currentTarget).get('note') ?? '');
          props.onDecide(submitter?.value === 'annotated' ? 'annotated' : 'approved', note);
        }}
      >
        <h2>
          {item.name} · <span className="tabular">{item.citizenIdMasked}</span>
        </h2>
        <ul className="review__kinds">
          {item.kinds.map((kind, i) => (
            <li key={`${kind}-${i}`}>
              <strong>{kindLabel(kind)}</strong>
              {item.details[i] ? `：${item.details[i]}` : ''}
            </li>
          ))}
        </ul>
        {content.reasons.length > 0 && <p className="hint">{content.reasons.join('；')}</p>}
        <div className="review__images">
          {referencePhoto && (
            <figure>
              <img className="photo" src={referencePhoto} alt={t.referencePhoto} />
              <figcaption>{t.referencePhoto}</figcaption>
            </figure>
          )}
          {images.map((image) => (
            <figure key={image.role}>
              <img className="photo" src={image.url} alt={roleLabel(image.role)} data-testid={`review-image-${image.role}`} />
              <figcaption>{roleLabel(image.role)}</figcaption>
            </figure>
          ))}
        </div>
        <label className="field">
          <span>{t.note}</span>
          <textarea name="note" maxLength={500} data-testid="review-note" />
        </label>
        {props.error && (
          <p className="message message--error" role="alert">
            {props.error}
          </p>
        )}
        <div className="dialog__actions">
          <button className="button" type="button" onClick={props.onClose}>
            {t.close}
          </button>
          <button className="button" type="submit" value="annotated" disabled={props.busy} data-testid="review-annotate">
            {t.annotate}
          </button>
          <button className="button button--primary" type="submit" value="approved" disabled={props.busy} data-testid="review-approve">
            {props.busy ? t.saving : t.approve}
          </button>
        </div>
      </form>
    </div>
  );
}
