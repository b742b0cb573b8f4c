import type { FormEvent } from 'react';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { maskCitizenId } from '../../../core/citizen-id/citizen-id.js';
import { maskName } from '../../../core/contract/receipt.js';
import type { RosterEntry } from '../../../core/contract/roster.js';
import type { LookupState } from '../stores/check-in-store.js';

export function LookupPanel(props: {
  input: string;
  lookup: LookupState;
  disabled: boolean;
  readerNotice: string | undefined;
  onInput: (value: string) => void;
  onSubmit: () => void;
  onAcknowledge: () => void;
  onCancel: () => void;
  onChoose: (citizenId: string) => void;
}) {
  const { input, lookup } = props;
  const searching = lookup.status === 'searching';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmit();
  };
  return (
    <section className="panel lookup" aria-labelledby="lookup-title">
      <h2 id="lookup-title">{zhCN.staff.lookupTitle}</h2>
      <p className="hint">{zhCN.staff.lookupHint}</p>
      <form className="lookup__form" onSubmit={submit}>
        <input
          className="lookup__input"
          name="citizenId"
          // Text, not numeric: a 2017 foreign permanent resident number starts with three letters.
          inputMode="text"
          autoCapitalize="characters"
          autoComplete="off"
          spellCheck={false}
          autoFocus
          maxLength={40}
          placeholder={zhCN.staff.citizenIdPlaceholder}
          aria-label={zhCN.candidate.fields.citizenId}
          aria-invalid={lookup.status === 'invalid'}
          aria-describedby="lookup-message"
          value={input}
          onChange={(e) => props.onInput(e.target.value)}
        />
        <button className="button button--primary" type="submit" disabled={searching || props.disabled}>
          {searching ? zhCN.staff.searching : zhCN.staff.search}
        </button>
      </form>
      {props.readerNotice && (
        <p className="message message--warning" data-testid="reader-notice">
          {props.readerNotice}
        </p>
      )}
      <div id="lookup-message" role="alert" data-testid="lookup-message">
        {(lookup.status === 'invalid' || lookup.status === 'unavailable') && <p className="message message--error">{lookup.message}</p>}
      </div>
      {lookup.status === 'choose' && <Last6Matches last6={lookup.last6} matches={lookup.matches} onChoose={props.onChoose} />}
      {lookup.status === 'not-found' && <NotFound fromCard={lookup.card !== undefined} warnings={lookup.warnings} />}
      {lookup.status === 'needs-ack' && (
        <div className="message message--warning ack" data-testid="needs-ack">
          <p>
            <strong>{lookup.candidate.name}</strong>
          </p>
          <ul>
            {lookup.reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
          <div className="ack__actions">
            <button className="button" type="button" onClick={props.onCancel}>
              {zhCN.staff.cancel}
            </button>
            <button className="button button--primary" type="button" onClick={props.onAcknowledge}>
              {zhCN.staff.continueAnyway}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

/** The short search's pick list: masked, but with the photo and what staff can ask the person in front of them. */
function Last6Matches(props: { last6: string; matches: readonly RosterEntry[]; onChoose: (citizenId: string) => void }) {
  return (
    <div className="last6" data-testid="last6-matches">
      <p>{zhCN.staff.last6Title(props.last6, props.matches.length)}</p>
      <ul className="last6__list">
        {props.matches.map((entry) => (
          <li key={entry.citizenId} className="last6__item" data-testid="last6-match">
            {entry.photo ? <img className="last6__photo" src={entry.photo} alt="" /> : <span className="last6__photo last6__photo--none" aria-hidden="true" />}
            <span className="last6__name">{maskName(entry.name)}</span>
            <span className="tabular">{maskCitizenId(entry.citizenId)}</span>
            <span>{zhCN.candidate.sex[entry.sex]}</span>
            <span className="last6__major">{entry.major}</span>
            <button className="button button--primary" type="button" onClick={() => props.onChoose(entry.citizenId)}>
              {zhCN.staff.last6Pick}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function NotFound({ fromCard, warnings }: { fromCard: boolean; warnings: readonly string[] }) {
  return (
    <div className="message message--warning not-found" data-testid="not-found">
      {fromCard && <p>{zhCN.cardReader.checks.notInRoster}</p>}
      {warnings.map((w) => (
        <p key={w}>{w}</p>
      ))}
      <strong>{zhCN.roster.notFound}</strong>
      <ol>
        {zhCN.roster.notFoundHelp.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ol>
    </div>
  );
}
