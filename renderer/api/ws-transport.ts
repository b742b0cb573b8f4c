import type { StationTransport } from '../../core/api/client.js';
import { WsServerFrame, type WireReply } from '../../core/contract/wire.js';
import { TimeoutError, TransportError } from '../../core/errors/station-error.js';

export type ConnectionState = 'connecting' | 'open' | 'closed';

interface Pending {
  resolve: (reply: WireReply) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * StationTransport over the browser host's WebSocket. Reconnects with backoff; calls made while
 * disconnected fail fast with a TransportError so the UI can say so instead of hanging.
 */
export function createWsTransport(options: {
  url: string;
  callTimeoutMs?: number;
  onStateChange?: (state: ConnectionState) => void;
  WebSocketImpl?: typeof WebSocket;
}): StationTransport & { close(): void; ready: Promise<void> } {
  const Impl = options.WebSocketImpl ?? WebSocket;
  const timeoutMs = options.callTimeoutMs ?? 15_000;
  const pending = new Map<number, Pending>();
  const listeners = new Set<(event: string, payload: unknown) => void>();
  let socket: WebSocket | undefined;
  let nextId = 1;
  let closedByUs = false;
  let retryDelay = 250;
  let opened = false;
  let markReady: () => void = () => undefined;
  let failFirst: (error: Error) => void = () => undefined;
  // Resolves on the first open; rejects if the very first attempt fails (wrong or stale token, no host),
  // because retrying cannot fix that. Later drops reconnect with backoff.
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failFirst = reject;
  });

  const failAll = (why: string) => {
    for (const [id, call] of pending) {
      clearTimeout(call.timer);
      call.reject(new TransportError(why));
      pending.delete(id);
    }
  };

  const connect = () => {
    options.onStateChange?.('connecting');
    const ws = new Impl(options.url);
    socket = ws;
    ws.onopen = () => {
      opened = true;
      retryDelay = 250;
      options.onStateChange?.('open');
      markReady();
    };
    ws.onmessage = (message: MessageEvent) => {
      let frame: WsServerFrame;
      try {
        const parsed = WsServerFrame.safeParse(JSON.parse(String(message.data)));
        if (!parsed.success) return;
        frame = parsed.data;
      } catch {
        return;
      }
      if (frame.type === 'reply') {
        const call = pending.get(frame.id);
        if (!call) return;
        pending.delete(frame.id);
        clearTimeout(call.timer);
        call.resolve(frame.reply);
      } else if (frame.type === 'event') {
        for (const listener of listeners) listener(frame.event, frame.payload);
      }
    };
    ws.onclose = () => {
      socket = undefined;
      failAll('connection closed');
      options.onStateChange?.('closed');
      if (!opened) {
        closedByUs = true;
        failFirst(new TransportError('first connection failed'));
        return;
      }
      if (closedByUs) return;
      setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 5000);
    };
  };
  connect();

  return {
    ready,
    call(method, payload) {
      const ws = socket;
      if (!ws || ws.readyState !== Impl.OPEN) return Promise.reject(new TransportError('not connected'));
      const id = nextId++;
      return new Promise<WireReply>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new TimeoutError(`${method} timed out`));
        }, timeoutMs);
        pending.set(id, { resolve, reject, timer });
        ws.send(JSON.stringify({ type: 'call', id, method, payload }));
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closedByUs = true;
      socket?.close();
      failAll('closed');
    },
  };
}
