import { createStore, type StoreApi } from 'zustand/vanilla';
import type { StationClient } from '../../../core/api/client.js';
import { documentWarningText, parseDocumentNumber } from '../../../core/citizen-id/document-number.js';
import {
  initialFlowState,
  transition,
  type FlowState,
  type IdentificationSource,
  type FlowStep,
  type FieldSource,
} from '../../../core/confirmation-flow/confirmation-flow.js';
import type { KioskResponse } from '../../../core/contract/kiosk.js';
import type { CorrectableField, RecordOutcome } from '../../../core/contract/confirmation.js';
import type { RulesPledge } from '../../../core/rules/bundle.js';
import type { RosterEntry } from '../../../core/contract/roster.js';
import type { IdCardData } from '../../../core/contract/id-card.js';
import type { IdCardErrorEvent, IdCardReadEvent, KioskStatus } from '../../../core/contract/station-api.js';
import { checkCard, compareWithRoster } from '../../../core/idcard/card-checks.js';
import { toStationError } from '../../../core/errors/station-error.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { RosterRepository } from '../../roster/roster-repository.js';
import { answerSurvives, kioskViewFor, type KioskSync } from '../services/kiosk-view.js';

export type LookupState =
  | { status: 'idle' }
  | { status: 'searching' }
  /** The typed number is malformed. */
  | { status: 'invalid'; message: string }
  /** The lookup could not run (roster not loaded, database error); the number itself may be fine. */
  | { status: 'unavailable'; message: string }
  /** A valid number that this point's roster does not hold; `card` when it came from the reader. */
  | { status: 'not-found'; card?: IdCardData; warnings: string[] }
  /**
   * Found, but something needs a decision before the flow starts (already confirmed or rejected, or the card
   * is not a valid document today): `reasons` says what, staff acknowledge or cancel.
   */
  | {
      status: 'needs-ack';
      candidate: RosterEntry;
      source: IdentificationSource;
      reasons: string[];
      warnings: string[];
      card?: IdCardData;
      fieldSources?: Readonly<Record<string, FieldSource>>;
    }
  /** Six characters typed (the number's end): the point's candidates that end so, for staff to pick one. */
  | { status: 'choose'; last6: string; matches: RosterEntry[] }
  /** `warnings` are findings for staff (catalogue text), e.g. a name that differs between card and roster. */
  | { status: 'found'; warnings: string[] };

/** The short search: the number's last six characters (digits, the last may be the check character X). */
const LAST6 = /^\d{5}[\dX]$/;
/** More matches than this are not a pick list: staff type the whole number. */
export const MAX_LAST6_MATCHES = 8;


export interface CheckInState {
  input: string;
  lookup: LookupState;
  flow: FlowState;
  kiosk: KioskSync;
  /** The candidate's latest answer from the kiosk for the current session. */
  kioskResponse: KioskResponse | undefined;
  /** The card reader's latest problem or notice, in Chinese; cleared by the next good read or typing. */
  readerNotice: string | undefined;
  /** The last correction's outcome: an error to show, or that the kiosk shows the corrected data again. */
  correction: { status: 'idle' } | { status: 'failed'; message: string } | { status: 'resent' };
  setInput(value: string): void;
  /** Looks up the typed number, or with six characters lists the candidates whose number ends so. */
  submit(): Promise<void>;
  /** Picks one of the short search's matches (by its full number, as listed). */
  choose(citizenId: string): Promise<void>;
  /** Starts the flow for a found candidate; one already processed waits for acknowledge(). */
  identify(
    candidate: RosterEntry,
    source: IdentificationSource,
    findings?: { warnings?: string[]; blocking?: string[] },
    card?: IdCardData,
    fieldSources?: Readonly<Record<string, FieldSource>>,
  ): Promise<void>;
  /** A number read by OCR and checked by staff (see the OCR store). */
  identifyFromOcr(number: string, read: { name: string; fieldSources: Readonly<Record<string, FieldSource>> }): Promise<void>;
  /** A card was read on the reader: check it, find its holder, and start the flow as a typed number would. */
  readCard(event: IdCardReadEvent): Promise<void>;
  readerError(event: IdCardErrorEvent): void;
  acknowledge(): Promise<void>;
  receiveKioskResponse(response: KioskResponse): void;
  /**
   * Staff correct a field the candidate reported 有误 (before the candidate confirms): the record keeps the old
   * and new value, the field becomes `manual`, and the kiosk shows the data again for the candidate to check.
   */
  correctField(field: CorrectableField, value: string): Promise<void>;
  /** Shows the current step on the kiosk again (after a failure, or when the kiosk lost it). */
  resendToKiosk(): Promise<void>;
  /** Brings the staff side in line with what the kiosk shows and answered while this window was cut off. */
  syncWithKiosk(status: KioskStatus): Promise<void>;
  reset(): Promise<void>;
  /** The current step's work is done: move on and show the next view on the kiosk. */
  advance(step: FlowStep): Promise<void>;
  /** The record was saved with this outcome: the flow ends and the kiosk shows the result. */
  conclude(outcome: RecordOutcome): Promise<void>;
  /** Resume after a crash: the open confirmation's flow as it was kept; the kiosk is shown its step again. */
  resume(flow: FlowState): Promise<void>;
}

export interface CheckInDeps {
  api: Pick<StationClient<'staff'>, 'call'>;
  roster: Pick<RosterRepository, 'findByCitizenId' | 'findByLast6'>;
  /** Lookups run only against a loaded roster; an empty one would send registered candidates away. */
  rosterReady: () => boolean;
  /** Why confirmations are paused (a stale roster without a supervisor's approval, an unanswered resume offer), if they are. */
  rosterBlocked?: () => string | undefined;
  today?: () => Date;
  newSessionId?: () => string;
  /** The active rules' pledge (text and reading gate) for the kiosk; absent, the catalogue's. */
  pledge?: () => RulesPledge | undefined;
}

/** The staff side of one confirmation: find the candidate, drive the flow, mirror it on the kiosk. */
export function createCheckInStore(deps: CheckInDeps): StoreApi<CheckInState> {
  const today = deps.today ?? (() => new Date());
  const newSessionId = deps.newSessionId ?? (() => crypto.randomUUID());
  // Each lookup takes a ticket; editing the number or starting over voids older tickets, so a slow
  // result can never land on a newer input.
  let ticket = 0;

  return createStore<CheckInState>()((set, get) => {
    const showOnKiosk = async (flow: FlowState) => {
      try {
        await deps.api.call('kiosk.show', kioskViewFor(flow, deps.pledge?.()));
        set({ kiosk: flow.step === 'identify' ? { status: 'idle' } : { status: 'shown' } });
      } catch (error) {
        set({ kiosk: { status: 'failed', message: toStationError(error).userMessage } });
      }
    };

    const start = async (
      candidate: RosterEntry,
      source: IdentificationSource,
      warnings: string[],
      card?: IdCardData,
      fieldSources?: Readonly<Record<string, FieldSource>>,
    ) => {
      const flow = transition(get().flow, {
        type: 'candidate-identified',
        sessionId: newSessionId(),
        candidate,
        source,
        ...(card ? { card } : {}),
        ...(fieldSources ? { fieldSources } : {}),
      });
      set({ flow, input: candidate.citizenId, lookup: { status: 'found', warnings }, kioskResponse: undefined, correction: { status: 'idle' } });
      await showOnKiosk(flow);
    };

    /**
     * The roster lookup every way of identifying shares: the roster must be loaded and not paused, a failure
     * says why, and a result for an older ticket is dropped. Undefined: nothing to continue with (the lookup
     * state already says why); null: the roster does not hold this number.
     */
    const search = async <T>(mine: number, query: () => Promise<T>): Promise<T | undefined> => {
      if (!deps.rosterReady()) {
        set({ lookup: { status: 'unavailable', message: zhCN.roster.notReady } });
        return undefined;
      }
      const blocked = deps.rosterBlocked?.();
      if (blocked) {
        set({ lookup: { status: 'unavailable', message: blocked } });
        return undefined;
      }
      set({ lookup: { status: 'searching' } });
      try {
        const found = await query();
        return mine === ticket ? found : undefined;
      } catch (error) {
        if (mine === ticket) set({ lookup: { status: 'unavailable', message: zhCN.roster.lookupFailed + toStationError(error).userMessage } });
        return undefined;
      }
    };
    const lookUp = (number: string, mine: number): Promise<RosterEntry | null | undefined> =>
      search(mine, async () => (await deps.roster.findByCitizenId(number)) ?? null);

    return {
      input: '',
      lookup: { status: 'idle' },
      flow: initialFlowState,
      kiosk: { status: 'idle' },
      kioskResponse: undefined,
      readerNotice: undefined,
      correction: { status: 'idle' },

      setInput(value) {
        if (get().flow.step !== 'identify') return;
        ticket += 1;
        // Editing the number clears a verdict about the previous value.
        set({ input: value.slice(0, 40), lookup: { status: 'idle' }, readerNotice: undefined });
      },

      async submit() {
        if (get().flow.step !== 'identify') return;
        const mine = ++ticket;
        const short = get().input.trim().toUpperCase();
        if (LAST6.test(short)) {
          const matches = await search(mine, () => deps.roster.findByLast6(short));
          if (matches === undefined) return;
          if (matches.length === 0) set({ lookup: { status: 'not-found', warnings: [] } });
          else if (matches.length > MAX_LAST6_MATCHES) set({ lookup: { status: 'invalid', message: zhCN.staff.last6TooMany(matches.length) } });
          else set({ input: short, lookup: { status: 'choose', last6: short, matches: [...matches].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')) } });
          return;
        }
        // A resident number, or a foreign permanent resident card's (15 characters with letters, or 18 from 9).
        const parsed = parseDocumentNumber(get().input, { today: today() });
        if (!parsed.ok) {
          set({ lookup: { status: 'invalid', message: parsed.error.userMessage } });
          return;
        }
        const { kind, normalized } = parsed.value;
        set({ input: normalized });
        const candidate = await lookUp(normalized, mine);
        if (candidate === undefined) return;
        const warnings = parsed.value.warnings.map((warning) => documentWarningText(kind, warning));
        if (!candidate) {
          set({ lookup: { status: 'not-found', warnings } });
          return;
        }
        await get().identify(candidate, 'manual', { warnings });
      },

      async choose(citizenId) {
        const lookup = get().lookup;
        if (get().flow.step !== 'identify' || lookup.status !== 'choose') return;
        const candidate = lookup.matches.find((match) => match.citizenId === citizenId);
        if (!candidate) return;
        ticket += 1;
        await get().identify(candidate, 'manual', { warnings: [] });
      },

      async identify(candidate, source, findings = {}, card, fieldSources) {
        const warnings = findings.warnings ?? [];
        const reasons = [...(findings.blocking ?? [])];
        if (candidate.status !== 'pending') reasons.unshift(zhCN.staff.alreadyProcessed(zhCN.candidate.status[candidate.status]));
        if (reasons.length > 0) {
          set({
            input: candidate.citizenId,
            lookup: { status: 'needs-ack', candidate, source, reasons, warnings, ...(card ? { card } : {}), ...(fieldSources ? { fieldSources } : {}) },
          });
          return;
        }
        await start(candidate, source, warnings, card, fieldSources);
      },

      async identifyFromOcr(number, read) {
        if (get().flow.step !== 'identify') return;
        const mine = ++ticket;
        set({ input: number, readerNotice: undefined });
        const candidate = await lookUp(number, mine);
        if (candidate === undefined) return;
        if (!candidate) {
          set({ lookup: { status: 'not-found', warnings: [] } });
          return;
        }
        const warnings = read.name && read.name !== candidate.name ? [zhCN.ocrPanel.nameDiffers(read.name, candidate.name)] : [];
        await get().identify(candidate, 'ocr', { warnings }, undefined, read.fieldSources);
      },

      async acknowledge() {
        const { lookup } = get();
        if (lookup.status !== 'needs-ack') return;
        await start(lookup.candidate, lookup.source, lookup.warnings, lookup.card, lookup.fieldSources);
      },

      async readCard({ card }) {
        if (get().flow.step !== 'identify') {
          set({ readerNotice: zhCN.cardReader.busyWithCandidate });
          return;
        }
        const mine = ++ticket;
        const cardChecks = checkCard(card, { today: today() });
        const cardWarnings = cardChecks.map((check) => check.message);
        set({ input: card.idNumber, readerNotice: undefined });
        const candidate = await lookUp(card.idNumber, mine);
        if (candidate === undefined) return;
        if (!candidate) {
          set({ lookup: { status: 'not-found', card, warnings: cardWarnings } });
          return;
        }
        const checks = [...cardChecks, ...compareWithRoster(card, candidate)];
        // An invalid document (expired, number or fields inconsistent) needs a decision; the rest are notes.
        await get().identify(
          candidate,
          'chip',
          {
            blocking: checks.filter((c) => c.severity === 'error').map((c) => c.message),
            warnings: checks.filter((c) => c.severity === 'warning').map((c) => c.message),
          },
          card,
          chipFieldSources,
        );
      },

      readerError({ message }) {
        set({ readerNotice: message });
      },

      receiveKioskResponse(response) {
        const { flow, kioskResponse } = get();
        if (flow.step === 'identify' || flow.sessionId !== response.sessionId) return;
        // The same answer again (a replay after a reconnect) is not a second report.
        if (kioskResponse && JSON.stringify(kioskResponse) === JSON.stringify(response)) return;
        if (response.kind === 'report-error') {
          try {
            const next = transition(flow, { type: 'candidate-reported', report: { fields: [...response.fields], note: response.note, at: today().toISOString() } });
            set({ flow: next, kioskResponse: response, correction: { status: 'idle' } });
          } catch {
            // A report while the kiosk shows the pledge or the result is not about the data: shown, not kept.
            set({ kioskResponse: response });
          }
          return;
        }
        set({ kioskResponse: response });
      },

      async correctField(field, value) {
        const { flow, kioskResponse } = get();
        if (flow.step === 'identify' || kioskResponse?.kind !== 'report-error') return;
        let next: FlowState;
        try {
          next = transition(flow, { type: 'field-corrected', field, to: value.trim(), at: today().toISOString() });
        } catch (error) {
          set({ correction: { status: 'failed', message: toStationError(error).userMessage } });
          return;
        }
        set({ flow: next, kioskResponse: undefined, correction: { status: 'resent' } });
        await showOnKiosk(next);
      },

      resendToKiosk: () => showOnKiosk(get().flow),

      async syncWithKiosk(status) {
        const { flow } = get();
        const expected = kioskViewFor(flow, deps.pledge?.());
        if (JSON.stringify(status.view) !== JSON.stringify(expected)) {
          await showOnKiosk(flow);
          return;
        }
        set({ kiosk: flow.step === 'identify' ? { status: 'idle' } : { status: 'shown' } });
        if (status.answer) get().receiveKioskResponse(status.answer);
      },

      async advance(step) {
        const before = get().flow;
        const flow = transition(before, { type: 'step-completed', step });
        // The candidate's 信息无误 still stands while the kiosk keeps showing the same data.
        set({ flow, ...(answerSurvives(before, flow) ? {} : { kioskResponse: undefined }) });
        await showOnKiosk(flow);
      },

      async conclude(outcome) {
        const flow = transition(get().flow, { type: 'concluded', outcome });
        set({ flow });
        await showOnKiosk(flow);
      },

      async resume(flow) {
        if (get().flow.step !== 'identify' || flow.step === 'identify') return;
        ticket += 1;
        set({ flow, input: flow.candidate.citizenId, lookup: { status: 'found', warnings: [] }, kioskResponse: undefined, readerNotice: undefined, correction: { status: 'idle' } });
        await showOnKiosk(flow);
      },

      async reset() {
        ticket += 1;
        const flow = transition(get().flow, { type: 'reset' });
        set({ flow, input: '', lookup: { status: 'idle' }, kioskResponse: undefined, readerNotice: undefined, correction: { status: 'idle' } });
        await showOnKiosk(flow);
      },
    };
  });
}

/** A chip read supplies every printed field. */
const chipFieldSources: Readonly<Record<string, FieldSource>> = Object.fromEntries(
  ['name', 'sex', 'nation', 'birthDate', 'address', 'idNumber', 'issuingAuthority', 'validFrom', 'validTo'].map((key) => [key, 'chip' as const]),
);
