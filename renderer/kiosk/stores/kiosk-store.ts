import { createStore, type StoreApi } from 'zustand/vanilla';
import type { StationClient } from '../../../core/api/client.js';
import type { KioskField, KioskResponse, KioskView } from '../../../core/contract/kiosk.js';
import { toStationError } from '../../../core/errors/station-error.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { ConnectionState } from '../../api/ws-transport.js';

/** viewing → (confirmed | reporting → reported | signed); a new view from staff starts over. */
export type KioskPhase = 'viewing' | 'reporting' | 'confirmed' | 'reported' | 'signed';

export type SignatureStroke = { x: number; y: number; t: number }[];

/** A signature shorter than this (in points) is a tap or a slip, not a name. */
const MIN_SIGNATURE_POINTS = 12;

export interface KioskState {
  connection: ConnectionState;
  view: KioskView;
  phase: KioskPhase;
  /** An answer is on its way to the host; buttons are disabled meanwhile. */
  busy: boolean;
  selectedFields: KioskField[];
  note: string;
  error: string | undefined;
  showView(view: KioskView): void;
  confirm(): Promise<void>;
  startReport(): void;
  cancelReport(): void;
  toggleField(field: KioskField): void;
  setNote(note: string): void;
  submitReport(): Promise<void>;
  /** The strokes drawn on the signature pad so far (normalised to the pad, ms since the first touch). */
  strokes: SignatureStroke[];
  /** Seconds the pledge must still stay on screen before the pad takes a signature (the rules' minimum). */
  readRemaining: number;
  /** The candidate scrolled the pledge to its last line (or the rules do not ask for it). */
  scrolledToEnd: boolean;
  /** The pledge's last line came into view. */
  markScrolledToEnd(): void;
  /** Whether the pledge has been read as the rules ask: only then does the pad take a signature. */
  pledgeRead(): boolean;
  addStroke(stroke: SignatureStroke): void;
  clearSignature(): void;
  submitSignature(): Promise<void>;
}

export function createKioskStore(api: Pick<StationClient<'kiosk'>, 'call'>): StoreApi<KioskState> {
  return createStore<KioskState>()((set, get) => {
    // One countdown at a time: a new view from staff stops the previous one.
    let countdown: ReturnType<typeof setInterval> | undefined;
    const startReading = (view: KioskView) => {
      if (countdown) clearInterval(countdown);
      countdown = undefined;
      const pledge = view.kind === 'pledge' ? view.pledge : undefined;
      set({ readRemaining: pledge?.minReadSeconds ?? 0, scrolledToEnd: !pledge?.requireScrollToEnd });
      if (!pledge || pledge.minReadSeconds === 0) return;
      const endsAt = Date.now() + pledge.minReadSeconds * 1000;
      countdown = setInterval(() => {
        const left = Math.max(0, Math.ceil((endsAt - Date.now()) / 1000));
        set({ readRemaining: left });
        if (left === 0 && countdown) {
          clearInterval(countdown);
          countdown = undefined;
        }
      }, 250);
    };
    const answer = async (build: (sessionId: string) => KioskResponse, done: KioskPhase) => {
      const { view, busy } = get();
      if ((view.kind !== 'verify-info' && view.kind !== 'pledge') || busy) return;
      set({ busy: true, error: undefined });
      try {
        await api.call('kiosk.respond', build(view.sessionId));
        set({ phase: done, busy: false });
      } catch (error) {
        set({ busy: false, error: toStationError(error).userMessage });
      }
    };
    return {
      connection: 'connecting',
      view: { kind: 'idle' },
      phase: 'viewing',
      busy: false,
      selectedFields: [],
      note: '',
      error: undefined,
      strokes: [],
      readRemaining: 0,
      scrolledToEnd: true,
      showView(view) {
        set({ view, phase: 'viewing', busy: false, selectedFields: [], note: '', error: undefined, strokes: [] });
        startReading(view);
      },
      markScrolledToEnd() {
        if (!get().scrolledToEnd) set({ scrolledToEnd: true });
      },
      pledgeRead() {
        return get().readRemaining === 0 && get().scrolledToEnd;
      },
      addStroke(stroke) {
        if (!get().pledgeRead()) return;
        if (stroke.length === 0 || get().strokes.length >= 200) return;
        set({ strokes: [...get().strokes, stroke.slice(0, 2000)], error: undefined });
      },
      clearSignature() {
        set({ strokes: [], error: undefined });
      },
      async submitSignature() {
        if (!get().pledgeRead()) {
          set({ error: zhCN.kiosk.readPledgeFirst });
          return;
        }
        const strokes = get().strokes;
        if (strokes.reduce((n, stroke) => n + stroke.length, 0) < MIN_SIGNATURE_POINTS) {
          set({ error: zhCN.kiosk.signatureTooShort });
          return;
        }
        await answer((sessionId) => ({ kind: 'signature', sessionId, strokes }), 'signed');
      },
      confirm: () => answer((sessionId) => ({ kind: 'confirm', sessionId }), 'confirmed'),
      startReport() {
        set({ phase: 'reporting', error: undefined });
      },
      cancelReport() {
        set({ phase: 'viewing', selectedFields: [], note: '' });
      },
      toggleField(field) {
        const selected = get().selectedFields;
        set({ selectedFields: selected.includes(field) ? selected.filter((f) => f !== field) : [...selected, field] });
      },
      setNote(note) {
        set({ note: note.slice(0, 200) });
      },
      submitReport: () =>
        answer(
          (sessionId) => ({ kind: 'report-error', sessionId, fields: get().selectedFields, note: get().note.trim() }),
          'reported',
        ),
    };
  });
}

export interface KioskSession {
  /** Re-reads what the kiosk should show: events sent while the connection was down are lost. */
  resync(): Promise<void>;
  stop(): void;
}

export async function startKioskSession(api: StationClient<'kiosk'>, store: StoreApi<KioskState>): Promise<KioskSession> {
  const stop = api.on('kiosk.view', (view) => store.getState().showView(view));
  const resync = async () => {
    const view = await api.call('kiosk.current', {});
    const shown = store.getState().view;
    // Same view as before the outage: keep the candidate's progress (e.g. an answer already given).
    if (JSON.stringify(view) !== JSON.stringify(shown)) store.getState().showView(view);
  };
  store.getState().showView(await api.call('kiosk.current', {}));
  return { resync, stop };
}
