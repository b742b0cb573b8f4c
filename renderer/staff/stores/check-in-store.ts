import { createStore, type StoreApi } from 'zustand/vanilla';
import type { StationClient } from '../../../core/api/client.js';
import { parseCitizenId, type CitizenIdWarning } from '../../../core/citizen-id/citizen-id.js';
import {
  initialFlowState,
  transition,
  type FlowState,
  type IdentificationSource,
} from '../../../core/confirmation-flow/confirmation-flow.js';
import type { KioskResponse } from '../../../core/contract/kiosk.js';
import type { RosterEntry } from '../../../core/contract/roster.js';
import { toStationError } from '../../../core/errors/station-error.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { RosterRepository } from '../../roster/roster-repository.js';
import { kioskViewFor } from '../services/kiosk-view.js';

export type LookupState =
  | { status: 'idle' }
  | { status: 'searching' }
  | { status: 'invalid'; message: string }
  | { status: 'not-found' }
  | { status: 'found'; warnings: CitizenIdWarning[] };

export type KioskSync = { status: 'idle' } | { status: 'shown' } | { status: 'failed'; message: string };

export interface CheckInState {
  input: string;
  lookup: LookupState;
  flow: FlowState;
  kiosk: KioskSync;
  /** The candidate's latest answer from the kiosk for the current session. */
  kioskResponse: KioskResponse | undefined;
  setInput(value: string): void;
  submit(): Promise<void>;
  identify(candidate: RosterEntry, source: IdentificationSource, warnings?: CitizenIdWarning[]): Promise<void>;
  receiveKioskResponse(response: KioskResponse): void;
  reset(): Promise<void>;
}

export interface CheckInDeps {
  api: Pick<StationClient<'staff'>, 'call'>;
  roster: Pick<RosterRepository, 'findByCitizenId'>;
  today?: () => Date;
  newSessionId?: () => string;
}

/** The staff side of one confirmation: find the candidate, drive the flow, mirror it on the kiosk. */
export function createCheckInStore(deps: CheckInDeps): StoreApi<CheckInState> {
  const today = deps.today ?? (() => new Date());
  const newSessionId = deps.newSessionId ?? (() => crypto.randomUUID());

  return createStore<CheckInState>()((set, get) => {
    const showOnKiosk = async (flow: FlowState) => {
      try {
        await deps.api.call('kiosk.show', kioskViewFor(flow));
        set({ kiosk: flow.step === 'identify' ? { status: 'idle' } : { status: 'shown' } });
      } catch (error) {
        set({ kiosk: { status: 'failed', message: toStationError(error).userMessage } });
      }
    };

    return {
      input: '',
      lookup: { status: 'idle' },
      flow: initialFlowState,
      kiosk: { status: 'idle' },
      kioskResponse: undefined,

      setInput(value) {
        // Editing the number clears a stale verdict about the previous value.
        set({ input: value.slice(0, 40), lookup: { status: 'idle' } });
      },

      async submit() {
        if (get().flow.step !== 'identify' || get().lookup.status === 'searching') return;
        const parsed = parseCitizenId(get().input, { today: today() });
        if (!parsed.ok) {
          set({ lookup: { status: 'invalid', message: parsed.error.userMessage } });
          return;
        }
        set({ input: parsed.value.number, lookup: { status: 'searching' } });
        const candidate = await deps.roster.findByCitizenId(parsed.value.number);
        if (!candidate) {
          set({ lookup: { status: 'not-found' } });
          return;
        }
        await get().identify(candidate, 'manual', parsed.value.warnings);
      },

      async identify(candidate, source, warnings = []) {
        const flow = transition(get().flow, {
          type: 'candidate-identified',
          sessionId: newSessionId(),
          candidate,
          source,
        });
        set({ flow, input: candidate.citizenId, lookup: { status: 'found', warnings }, kioskResponse: undefined });
        await showOnKiosk(flow);
      },

      receiveKioskResponse(response) {
        const { flow } = get();
        if (flow.step === 'identify' || flow.sessionId !== response.sessionId) return;
        set({ kioskResponse: response });
      },

      async reset() {
        const flow = transition(get().flow, { type: 'reset' });
        set({ flow, input: '', lookup: { status: 'idle' }, kioskResponse: undefined });
        await showOnKiosk(flow);
      },
    };
  });
}

export const warningText = (warning: CitizenIdWarning): string =>
  warning === 'unknown-province' ? zhCN.citizenId.provinceWarning : zhCN.citizenId.oldBirthWarning;
