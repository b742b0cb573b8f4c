import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWsTransport, type ConnectionState } from '../../../renderer/api/ws-transport.js';

/** A stand-in for the browser WebSocket that the test drives by hand. */
class FakeSocket {
  static readonly OPEN = 1;
  static instances: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
    this.onclose?.();
  }
  open() {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  receive(frame: unknown) {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }
}

beforeEach(() => {
  FakeSocket.instances = [];
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

function connect() {
  const states: ConnectionState[] = [];
  const transport = createWsTransport({
    url: 'ws://127.0.0.1:1/api?token=t',
    callTimeoutMs: 1000,
    onStateChange: (s) => states.push(s),
    WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
  });
  const socket = FakeSocket.instances[0]!;
  socket.open();
  return { transport, socket, states };
}

describe('WebSocket transport', () => {
  it('matches replies to calls by id and ignores junk frames', async () => {
    const { transport, socket } = connect();
    const first = transport.call('station.info', {});
    const second = transport.call('devices.list', {});
    const [a, b] = socket.sent.map((s) => JSON.parse(s) as { id: number; method: string });
    expect([a?.method, b?.method]).toEqual(['station.info', 'devices.list']);
    socket.receive('not json');
    socket.receive({ type: 'reply', id: 'x' });
    socket.receive({ type: 'reply', id: b!.id, reply: { ok: true, value: 2 } });
    socket.receive({ type: 'reply', id: a!.id, reply: { ok: true, value: 1 } });
    await expect(first).resolves.toEqual({ ok: true, value: 1 });
    await expect(second).resolves.toEqual({ ok: true, value: 2 });
  });

  it('delivers events to listeners until they unsubscribe', () => {
    const { transport, socket } = connect();
    const seen: unknown[] = [];
    const stop = transport.onEvent((event, payload) => seen.push([event, payload]));
    socket.receive({ type: 'event', event: 'kiosk.view', payload: { kind: 'idle' } });
    stop();
    socket.receive({ type: 'event', event: 'kiosk.view', payload: { kind: 'idle' } });
    expect(seen).toEqual([['kiosk.view', { kind: 'idle' }]]);
  });

  it('times out unanswered calls with a TIMEOUT error', async () => {
    const { transport } = connect();
    const call = transport.call('station.info', {});
    vi.advanceTimersByTime(1001);
    await expect(call).rejects.toMatchObject({ code: 'TIMEOUT', userMessage: '操作超时，请重试。' });
  });

  it('fails pending calls when the connection drops, fails fast while down, and reconnects', async () => {
    const { transport, socket, states } = connect();
    const call = transport.call('station.info', {});
    socket.close();
    await expect(call).rejects.toMatchObject({ code: 'TRANSPORT' });
    await expect(transport.call('station.info', {})).rejects.toMatchObject({ code: 'TRANSPORT' });
    vi.advanceTimersByTime(300);
    expect(FakeSocket.instances).toHaveLength(2);
    FakeSocket.instances[1]!.open();
    expect(states).toEqual(['connecting', 'open', 'closed', 'connecting', 'open']);
    transport.close();
    vi.advanceTimersByTime(10_000);
    expect(FakeSocket.instances).toHaveLength(2);
  });

  it('gives up at once when the very first connection is refused (stale or wrong token)', async () => {
    const transport = createWsTransport({
      url: 'ws://127.0.0.1:1/api?token=old',
      WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
    });
    FakeSocket.instances[0]!.close();
    await expect(transport.ready).rejects.toMatchObject({ code: 'TRANSPORT' });
    vi.advanceTimersByTime(10_000);
    expect(FakeSocket.instances).toHaveLength(1);
  });
});
