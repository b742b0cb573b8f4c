import type { DeviceState } from '../../core/contract/devices.js';
import type { IdCardErrorEvent, IdCardReadEvent } from '../../core/contract/station-api.js';
import type { FoundDevice } from '../../native/discovery/hid-discovery.js';
import { ReaderSession, type ReaderSessionOptions, type ReaderState } from '../../native/idcard-reader/reader-session.js';
import type { ByteTransport } from '../../native/transport/byte-transport.js';
import type { Logger } from '../../core/logging/logger.js';
import type { DeviceDriver } from './device-manager.js';

export interface IdCardReaderSink {
  card(event: IdCardReadEvent): void;
  removed(): void;
  error(event: IdCardErrorEvent): void;
}

const lightFor: Record<ReaderState, DeviceState> = {
  idle: 'ready',
  reading: 'busy',
  fault: 'fault',
  closed: 'disconnected',
};

/**
 * Runs a ReaderSession on whatever transport the found device needs and turns its events into
 * StationApi events and a status light. One instance per attached reader.
 */
export function idCardReaderDriver(deps: {
  openTransport: (found: FoundDevice) => ByteTransport;
  /** Session options, including a site's WLT photo decoder when one is installed. */
  session?: Omit<ReaderSessionOptions, 'transport'>;
  sink: IdCardReaderSink;
  logger: Logger;
}): (found: FoundDevice) => Promise<DeviceDriver> {
  return async (found) => {
    const session = new ReaderSession({ ...deps.session, transport: deps.openTransport(found) });
    const stateListeners = new Set<(state: DeviceState) => void>();
    const lostListeners = new Set<() => void>();
    let detaching = false;

    session.on('state', (state) => {
      for (const listener of stateListeners) listener(lightFor[state]);
      if (state === 'closed' && !detaching) for (const listener of lostListeners) listener();
    });
    session.on('card', (card, timing) => deps.sink.card({ card, readMs: timing.readMs }));
    session.on('removed', () => deps.sink.removed());
    session.on('error', (error) => {
      // Codes only: the card's content never reaches the log.
      deps.logger.warn('card reader error', { reason: error.reason, sw3: error.sw3 });
      deps.sink.error({ reason: error.reason, message: error.userMessage });
    });
    await session.start();
    // The SAM id names the reader in the audit trail; it is not personal data.
    deps.logger.info('card reader attached', { device: found.bus, sam: session.samId?.display });
    return {
      get state() {
        return lightFor[session.state];
      },
      onState: (listener) => {
        stateListeners.add(listener);
        return () => stateListeners.delete(listener);
      },
      onLost: (listener) => {
        lostListeners.add(listener);
        // Lost between start() and this registration: say so now rather than never.
        if (session.state === 'closed' && !detaching) queueMicrotask(() => lostListeners.has(listener) && listener());
        return () => lostListeners.delete(listener);
      },
      detach: async () => {
        detaching = true;
        await session.stop();
      },
    };
  };
}
