import { createStationClient, type StationClient, type StationTransport } from '../../core/api/client.js';
import type { Role } from '../../core/contract/station-api.js';
import { UnauthorizedError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { createWsTransport, type ConnectionState } from './ws-transport.js';

declare global {
  interface Window {
    /** Set by the Electron preload of this window's bridge; absent in the browser host. */
    readonly stationBridge?: StationTransport;
  }
}

/** The launch token arrives in the URL fragment; it is removed from the address bar once read. */
function takeLaunchToken(): string | undefined {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const token = params.get('token') ?? sessionStorage.getItem('station.token') ?? undefined;
  if (token) {
    sessionStorage.setItem('station.token', token);
    history.replaceState(null, '', window.location.pathname);
  }
  return token;
}

/**
 * The renderer's one way to reach its host: the Electron preload bridge when present,
 * otherwise the browser host's WebSocket. Either way the same typed, validated client.
 */
export async function connectStation<R extends Role>(
  role: R,
  onConnectionChange: (state: ConnectionState) => void,
): Promise<StationClient<R>> {
  if (window.stationBridge) {
    onConnectionChange('open');
    return createStationClient(role, window.stationBridge);
  }
  const token = takeLaunchToken();
  if (!token) throw new UnauthorizedError('no launch token in the page URL');
  const url = `ws://${window.location.host}/api?token=${encodeURIComponent(token)}`;
  const transport = createWsTransport({ url, onStateChange: onConnectionChange });
  try {
    await transport.ready;
  } catch {
    // A token that no longer opens the host belongs to an earlier launch; forget it.
    sessionStorage.removeItem('station.token');
    throw new UnauthorizedError('could not open the host connection', zhCN.app.connectFailed);
  }
  return createStationClient(role, transport);
}
