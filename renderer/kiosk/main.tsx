import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { toStationError } from '../../core/errors/station-error.js';
import { connectStation } from '../api/connect-station.js';
import type { ConnectionState } from '../api/ws-transport.js';
import { ConnectingScreen } from '../ui/ConnectingScreen.js';
import { FatalScreen } from '../ui/FatalScreen.js';
import '../ui/base.css';
import { KioskApp } from './KioskApp.js';
import { createKioskStore, startKioskSession, type KioskSession } from './stores/kiosk-store.js';

const root = createRoot(document.getElementById('root')!);
root.render(<ConnectingScreen />);

async function boot(): Promise<void> {
  // The store needs the client, and the client reports connection changes into the store.
  let onConnection: (connection: ConnectionState) => void = () => undefined;
  const api = await connectStation('kiosk', (connection) => onConnection(connection));
  const store = createKioskStore(api);
  const session: { current?: KioskSession } = {};
  onConnection = (connection) => {
    store.setState({ connection });
    if (connection === 'open') void session.current?.resync().catch(() => undefined);
  };
  onConnection('open');
  root.render(
    <StrictMode>
      <KioskApp store={store} />
    </StrictMode>,
  );
  session.current = await startKioskSession(api, store);
}

boot().catch((error: unknown) => root.render(<FatalScreen message={toStationError(error).userMessage} />));
