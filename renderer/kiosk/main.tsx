import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { toStationError } from '../../core/errors/station-error.js';
import { connectStation } from '../api/connect-station.js';
import { FatalScreen } from '../ui/FatalScreen.js';
import '../ui/base.css';
import { KioskApp } from './KioskApp.js';
import { createKioskStore, startKioskSession } from './stores/kiosk-store.js';

const root = createRoot(document.getElementById('root')!);

async function boot(): Promise<void> {
  let store: ReturnType<typeof createKioskStore> | undefined;
  const api = await connectStation('kiosk', (connection) => store?.setState({ connection }));
  store = createKioskStore(api);
  store.setState({ connection: 'open' });
  root.render(
    <StrictMode>
      <KioskApp store={store} />
    </StrictMode>,
  );
  await startKioskSession(api, store);
}

boot().catch((error: unknown) => root.render(<FatalScreen message={toStationError(error).userMessage} />));
