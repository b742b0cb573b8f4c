import { useStore, type StoreApi } from 'zustand';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { Pledge } from './components/Pledge.js';
import { ReportError } from './components/ReportError.js';
import { VerifyInfo } from './components/VerifyInfo.js';
import type { KioskState } from './stores/kiosk-store.js';

const doneText = { confirmed: zhCN.kiosk.doneConfirmed, rejected: zhCN.kiosk.doneRejected, 'pending-materials': zhCN.kiosk.donePendingMaterials } as const;

/** What the kiosk seat shows: a waiting screen, the candidate's own data to check, or the answer given. */
export function KioskApp({ store }: { store: StoreApi<KioskState> }) {
  const s = useStore(store, (state) => state);
  const { view } = s;
  return (
    <div className="kiosk" data-testid="kiosk" data-view={view.kind} data-phase={s.phase}>
      {s.connection !== 'open' && <p className="message message--warning">{zhCN.kiosk.connecting}</p>}
      {view.kind === 'idle' && <p className="kiosk__idle">{zhCN.kiosk.idle}</p>}
      {view.kind === 'verify-info' && s.phase === 'viewing' && (
        <VerifyInfo candidate={view.candidate} busy={s.busy} onConfirm={() => void s.confirm()} onReport={s.startReport} />
      )}
      {view.kind === 'verify-info' && s.phase === 'reporting' && (
        <ReportError
          candidate={view.candidate}
          selected={s.selectedFields}
          note={s.note}
          busy={s.busy}
          onToggle={s.toggleField}
          onNote={s.setNote}
          onSubmit={() => void s.submitReport()}
          onCancel={s.cancelReport}
        />
      )}
      {view.kind === 'verify-info' && s.phase === 'confirmed' && <p className="kiosk__done" data-testid="kiosk-done">{zhCN.kiosk.thanksConfirm}</p>}
      {view.kind === 'verify-info' && s.phase === 'reported' && <p className="kiosk__done" data-testid="kiosk-done">{zhCN.kiosk.thanksReport}</p>}
      {view.kind === 'pledge' && s.phase !== 'signed' && (
        <Pledge
          candidate={view.candidate}
          pledge={view.pledge}
          readRemaining={s.readRemaining}
          scrolledToEnd={s.scrolledToEnd}
          onScrolledToEnd={s.markScrolledToEnd}
          strokes={s.strokes}
          busy={s.busy}
          onStroke={s.addStroke}
          onClear={s.clearSignature}
          onSubmit={() => void s.submitSignature()}
        />
      )}
      {view.kind === 'pledge' && s.phase === 'signed' && <p className="kiosk__done" data-testid="kiosk-done">{zhCN.kiosk.thanksSigned}</p>}
      {view.kind === 'done' && (
        <p className="kiosk__done" data-testid="kiosk-done">
          {doneText[view.outcome]}
        </p>
      )}
      {s.error && (
        <p className="message message--error" role="alert">
          {s.error}
        </p>
      )}
    </div>
  );
}
