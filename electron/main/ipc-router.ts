import { toWireError } from '../../core/errors/station-error.js';
import { roles, type Role } from '../../core/contract/station-api.js';
import { ipcChannels } from '../../core/contract/channels.js';
import type { WireReply } from '../../core/contract/wire.js';
import { AccessDeniedError, toStationError } from '../../core/errors/station-error.js';
import type { Logger } from '../../core/logging/logger.js';
import type { StationHost } from '../../host/station-host.js';
import { APP_ORIGIN, isAppUrl } from './security.js';

/**
 * Minimal structural views of Electron's IPC objects: Electron's real ipcMain / WebContents satisfy them
 * (main.ts passes the real ones, so the compiler checks that), and tests pass small fakes.
 */
export interface WebContentsLike {
  /** Unique for the process lifetime and never reused, so it identifies a window's renderer. */
  readonly id: number;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

export interface IpcInvokeEventLike {
  readonly sender: { readonly id: number };
  readonly senderFrame?: { readonly url: string } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface IpcRouterOptions {
  ipcMain: IpcMainLike;
  host: Pick<StationHost, 'dispatch' | 'subscribe'>;
  /** The window currently serving a role; asked on every call and event, so recreated windows just work. */
  webContentsFor(role: Role): WebContentsLike | undefined;
  logger?: Logger;
}

export const callChannels: Readonly<Record<Role, string>> = {
  staff: ipcChannels.staffCall,
  kiosk: ipcChannels.kioskCall,
};

function denied(detail: string): WireReply {
  return { ok: false, error: toWireError(new AccessDeniedError(detail)) };
}

/**
 * Connects the StationHost to the two windows. The channel a call arrives on names a role, but a renderer
 * can invoke any channel, so the role is only trusted when the sender is that role's own window and the
 * calling frame shows one of our pages (not a page it was somehow navigated to). Everything is answered
 * with a WireReply; nothing is thrown across IPC, where Electron would mangle the error anyway.
 */
export function registerIpcRouter(options: IpcRouterOptions): () => void {
  const { ipcMain, host, webContentsFor, logger } = options;
  const unsubscribers: (() => void)[] = [];

  for (const role of roles) {
    const channel = callChannels[role];
    ipcMain.handle(channel, async (event, method, payload): Promise<WireReply> => {
      const owner = webContentsFor(role);
      if (owner === undefined || owner.isDestroyed() || event.sender.id !== owner.id) {
        logger?.warn('ipc call from a window without this role', { role });
        return denied(`call on the ${role} channel from another window`);
      }
      const frameUrl = event.senderFrame?.url;
      if (frameUrl === undefined || !isAppUrl(frameUrl)) {
        logger?.warn('ipc call from a frame outside the app', { role });
        return denied(`call on the ${role} channel from a frame outside ${APP_ORIGIN}`);
      }
      try {
        return await host.dispatch(role, method, payload);
      } catch (thrown) {
        // dispatch promises never to throw; should that break, the renderer still gets a well-formed reply.
        return { ok: false, error: toWireError(toStationError(thrown)) };
      }
    });

    unsubscribers.push(
      host.subscribe(role, (name, eventPayload) => {
        const target = webContentsFor(role);
        if (!target || target.isDestroyed()) return;
        try {
          target.send(ipcChannels.event, name, eventPayload);
        } catch (error) {
          // A renderer gone between the check and the send must not fail the call that raised the event.
          logger?.warn('event not delivered', { role, event: name, error: error instanceof Error ? error.name : typeof error });
        }
      }),
    );
  }

  let disposed = false;
  return () => {
    if (disposed) return;
    disposed = true;
    for (const role of roles) ipcMain.removeHandler(callChannels[role]);
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
