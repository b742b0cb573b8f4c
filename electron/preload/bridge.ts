import type { StationTransport } from '../../core/api/client.js';
import { ipcChannels, isBridgeCall } from '../../core/contract/channels.js';
import type { Role } from '../../core/contract/station-api.js';
import type { WireReply } from '../../core/contract/wire.js';
import { AccessDeniedError, toWireError } from '../../core/errors/station-error.js';

/** The part of Electron's ipcRenderer the bridge uses; the real one satisfies it, tests pass a fake. */
export type IpcListener = (event: unknown, ...args: unknown[]) => void;
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: IpcListener): unknown;
  removeListener(channel: string, listener: IpcListener): unknown;
}

const callChannel: Readonly<Record<Role, string>> = {
  staff: ipcChannels.staffCall,
  kiosk: ipcChannels.kioskCall,
};

/**
 * The whole surface a page gets: StationTransport, nothing more. Methods outside the role's bridge are
 * refused here already, answered (not thrown) with the same WireReply the host would give, so a
 * compromised kiosk page learns nothing and the host never sees the call. The main process checks again:
 * this filter is a convenience, the router is the boundary.
 * The object is plain and frozen because contextBridge copies it into the page's world.
 */
export function createPreloadBridge(role: Role, ipcRenderer: IpcRendererLike): StationTransport {
  const channel = callChannel[role];
  const call = (method: string, payload: unknown): Promise<unknown> => {
    if (!isBridgeCall(role, method)) {
      const label = typeof method === 'string' ? method.slice(0, 100) : `<${typeof method}>`;
      const reply: WireReply = { ok: false, error: toWireError(new AccessDeniedError(`${role} bridge may not call ${label}`)) };
      return Promise.resolve(reply);
    }
    return ipcRenderer.invoke(channel, method, payload);
  };
  const onEvent = (listener: (event: string, payload: unknown) => void): (() => void) => {
    // The IpcRendererEvent carries `sender` (the ipcRenderer itself); handing it to the page would leak
    // the full IPC API past contextIsolation, so only the name and payload go through.
    const forward: IpcListener = (_event, name, payload) => {
      if (typeof name === 'string') listener(name, payload);
    };
    ipcRenderer.on(ipcChannels.event, forward);
    let attached = true;
    return () => {
      if (!attached) return;
      attached = false;
      ipcRenderer.removeListener(ipcChannels.event, forward);
    };
  };
  return Object.freeze({ call, onEvent });
}
