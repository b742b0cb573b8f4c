import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { toStationError } from '../../core/errors/station-error.js';
import { connectStation } from '../api/connect-station.js';
import { StationDb } from '../db/station-db.js';
import { RosterRepository } from '../roster/roster-repository.js';
import { ConnectingScreen } from '../ui/ConnectingScreen.js';
import { FatalScreen } from '../ui/FatalScreen.js';
import '../ui/base.css';
import { StaffApp } from './StaffApp.js';
import { startStaffSession } from './services/staff-session.js';
import { createCheckInStore } from './stores/check-in-store.js';
import { StaffStoresContext, type StaffActions } from './stores/staff-context.js';
import { createApprovalStore } from './stores/approval-store.js';
import { createConfirmationStore } from './stores/confirmation-store.js';
import { overrideStaleRoster, watchRoster } from './services/roster-watch.js';
import { ConfirmationRepository } from '../confirmations/confirmation-repository.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { createStationStore } from './stores/station-store.js';
import { createSyncStore } from './stores/sync-store.js';

const DB_NAME = 'xianchang-station';

const root = createRoot(document.getElementById('root')!);
root.render(<ConnectingScreen />);

async function boot(): Promise<void> {
  const station = createStationStore();
  const session: { current?: Awaited<ReturnType<typeof startStaffSession>> } = {};
  const api = await connectStation('staff', (connection) => {
    station.setState({ connection });
    if (connection === 'open') void session.current?.resync().catch(() => undefined);
  });
  const db = new StationDb(DB_NAME);
  const roster = new RosterRepository(db);
  const checkIn = createCheckInStore({
    api,
    roster,
    rosterReady: () => station.getState().roster.status === 'ready',
    rosterBlocked: () => {
      const gate = station.getState().gate;
      return gate?.blocked ? zhCN.rosterAge.stale(gate.age.ageHours, gate.limitHours) : undefined;
    },
  });
  const approval = createApprovalStore({ api });
  const sync = createSyncStore({
    api,
    dbName: DB_NAME,
    createWorker: () => new Worker(new URL('../sync/worker/sync-worker.ts', import.meta.url), { type: 'module', name: 'sync' }),
  });
  const confirmation = createConfirmationStore({
    checkIn,
    repository: new ConfirmationRepository(db),
    rosterOverride: () => station.getState().rosterOverride,
    onSaved: () => sync.getState().wake(),
    collectors: [
      // collectors: standard photo
      // collectors: fingerprints
    ],
  });
  const actions: StaffActions = {
    overrideStaleRoster: () => overrideStaleRoster({ station, ask: (action) => approval.getState().ask(action) }),
  };
  root.render(
    <StrictMode>
      <StaffStoresContext.Provider value={{ station, checkIn, sync, confirmation, approval, actions }}>
        <StaffApp />
      </StaffStoresContext.Provider>
    </StrictMode>,
  );
  session.current = await startStaffSession({ api, roster, station, checkIn, media: navigator.mediaDevices });
  watchRoster({ station, sync, roster });
  await sync.getState().start();
}

boot().catch((error: unknown) => root.render(<FatalScreen message={toStationError(error).userMessage} />));
