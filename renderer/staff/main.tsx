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
import { StaffStoresContext } from './stores/staff-context.js';
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
  const roster = new RosterRepository(new StationDb(DB_NAME));
  const checkIn = createCheckInStore({ api, roster, rosterReady: () => station.getState().roster.status === 'ready' });
  const sync = createSyncStore({
    api,
    dbName: DB_NAME,
    createWorker: () => new Worker(new URL('../sync/worker/sync-worker.ts', import.meta.url), { type: 'module', name: 'sync' }),
  });
  root.render(
    <StrictMode>
      <StaffStoresContext.Provider value={{ station, checkIn, sync }}>
        <StaffApp />
      </StaffStoresContext.Provider>
    </StrictMode>,
  );
  session.current = await startStaffSession({ api, roster, station, checkIn, media: navigator.mediaDevices });
  await sync.getState().start();
}

boot().catch((error: unknown) => root.render(<FatalScreen message={toStationError(error).userMessage} />));
