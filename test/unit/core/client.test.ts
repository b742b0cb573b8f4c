import { defaultFaceConfig } from '../../../core/contract/face-config.js';
import { describe, expect, it, vi } from 'vitest';

import { RemoteStationError, createStationClient, type StationTransport } from '../../../core/api/client.js';
import { createDispatcher } from '../../../core/api/dispatcher.js';
import type { KioskView } from '../../../core/contract/kiosk.js';
import type { StationInfo } from '../../../core/contract/station-api.js';
import { StationError, TimeoutError } from '../../../core/errors/station-error.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';

const SESSION = '123e4567-e89b-42d3-a456-426614174000';
const info: StationInfo = { hostKind: 'electron', appVersion: '0.1.0', stationName: '2号工位', simulatorsActive: false, policy: { rosterMaxAgeHours: 24, faceCheck: 'required', standardPhoto: 'required', fingerprints: 'required' }, face: defaultFaceConfig };

/** A transport whose replies and events the test controls. */
class FakeTransport implements StationTransport {
  readonly listeners = new Set<(event: string, payload: unknown) => void>();
  readonly call = vi.fn<(method: string, payload: unknown) => Promise<unknown>>();

  reply(value: unknown): this {
    this.call.mockResolvedValue(value);
    return this;
  }

  onEvent(listener: (event: string, payload: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: string, payload: unknown): void {
    for (const listener of this.listeners) listener(event, payload);
  }
}

async function caught(promise: Promise<unknown>): Promise<StationError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(StationError);
    return error as StationError;
  }
  throw new Error('expected the call to throw');
}

describe('createStationClient: call', () => {
  it('sends method and payload unchanged and returns the parsed value', async () => {
    const transport = new FakeTransport().reply({ ok: true, value: info });
    const client = createStationClient('staff', transport);
    expect(client.role).toBe('staff');
    await expect(client.call('station.info', {})).resolves.toStrictEqual(info);
    expect(transport.call).toHaveBeenCalledTimes(1);
    expect(transport.call).toHaveBeenCalledWith('station.info', {});
  });

  it('returns kiosk values (discriminated union) as declared', async () => {
    const view: KioskView = { kind: 'idle' };
    const transport = new FakeTransport().reply({ ok: true, value: view });
    const client = createStationClient('kiosk', transport);
    await expect(client.call('kiosk.current', {})).resolves.toStrictEqual({ kind: 'idle' });
    transport.reply({ ok: true, value: { ok: true } });
    await expect(client.call('kiosk.respond', { kind: 'confirm', sessionId: SESSION })).resolves.toStrictEqual({ ok: true });
    expect(transport.call).toHaveBeenLastCalledWith('kiosk.respond', { kind: 'confirm', sessionId: SESSION });
  });

  it('rethrows an error reply as a RemoteStationError with code, user message and detail', async () => {
    const transport = new FakeTransport().reply({
      ok: false,
      error: { code: 'ACCESS_DENIED', message: zhCN.errors.accessDenied, detail: 'kiosk bridge may not call roster.loadSeed' },
    });
    const error = await caught(createStationClient('staff', transport).call('roster.loadSeed', {}));
    expect(error).toBeInstanceOf(RemoteStationError);
    expect(error.code).toBe('ACCESS_DENIED');
    expect(error.userMessage).toBe(zhCN.errors.accessDenied);
    expect(error.detail).toBe('kiosk bridge may not call roster.loadSeed');
    expect(error.name).toBe('RemoteStationError');
  });

  it('rethrows an error reply without a detail', async () => {
    const transport = new FakeTransport().reply({ ok: false, error: { code: 'VALIDATION', message: zhCN.kiosk.staleSession } });
    const error = await caught(createStationClient('kiosk', transport).call('kiosk.respond', { kind: 'confirm', sessionId: SESSION }));
    expect(error).toBeInstanceOf(RemoteStationError);
    expect([error.code, error.userMessage, error.detail]).toStrictEqual(['VALIDATION', zhCN.kiosk.staleSession, undefined]);
  });

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'ok'],
    ['ok as a string', { ok: 'true', value: info }],
    ['ok:true with an extra field', { ok: true, value: info, extra: 1 }],
    ['ok:false without an error', { ok: false }],
    ['an unknown error code', { ok: false, error: { code: 'TEAPOT', message: 'x' } }],
    ['an error without a message', { ok: false, error: { code: 'INTERNAL' } }],
    ['an error message over 2000 chars', { ok: false, error: { code: 'INTERNAL', message: 'x'.repeat(2001) } }],
  ])('throws INTERNAL for a malformed reply (%s)', async (_label, raw) => {
    const error = await caught(createStationClient('staff', new FakeTransport().reply(raw)).call('station.info', {}));
    expect(error).not.toBeInstanceOf(RemoteStationError);
    expect(error.code).toBe('INTERNAL');
    expect(error.userMessage).toBe(zhCN.errors.internal);
    expect(error.detail).toMatch(/^station\.info: malformed reply: /);
  });

  it.each<[string, unknown]>([
    ['a wrong type', { ...info, simulatorsActive: 1 }],
    ['an extra field', { ...info, secret: 'x' }],
    ['a missing field', { hostKind: 'electron' }],
    ['undefined', undefined],
  ])('throws INTERNAL for a reply value that violates the output schema (%s)', async (_label, value) => {
    const error = await caught(createStationClient('staff', new FakeTransport().reply({ ok: true, value })).call('station.info', {}));
    expect(error.code).toBe('INTERNAL');
    expect(error.detail).toMatch(/^station\.info: reply failed the contract: /);
  });

  it('throws INTERNAL when a kiosk view reply carries an unmasked citizen id', async () => {
    const transport = new FakeTransport().reply({
      ok: true,
      value: {
        kind: 'verify-info',
        sessionId: SESSION,
        candidate: {
          name: '林晓雨',
          citizenIdMasked: '410105200203140223',
          sex: 'female',
          candidateType: 'fresh-graduate',
          major: '计算机科学与技术',
          examCity: '郑州市',
          confirmationPoint: '郑州市金水区现场确认点',
          registrationNo: '202641000001',
        },
      },
    });
    const error = await caught(createStationClient('kiosk', transport).call('kiosk.current', {}));
    expect(error.code).toBe('INTERNAL');
    expect(error.detail).not.toContain('410105200203140223');
  });

  it('throws TRANSPORT (catalogue message) when the transport rejects with an Error or a non-Error', async () => {
    const transport = new FakeTransport();
    transport.call.mockRejectedValueOnce(new Error('socket closed'));
    const client = createStationClient('staff', transport);
    const error = await caught(client.call('devices.list', {}));
    expect(error.code).toBe('TRANSPORT');
    expect(error.userMessage).toBe(zhCN.errors.transport);
    expect(error.detail).toBe('devices.list: socket closed');

    transport.call.mockRejectedValueOnce('gone');
    const second = await caught(client.call('devices.list', {}));
    expect([second.code, second.detail]).toStrictEqual(['TRANSPORT', 'devices.list: failed']);
  });

  it('throws TRANSPORT when the transport throws synchronously', async () => {
    const transport = new FakeTransport();
    transport.call.mockImplementation(() => {
      throw new Error('ipc gone');
    });
    const error = await caught(createStationClient('staff', transport).call('station.info', {}));
    expect(error.code).toBe('TRANSPORT');
  });

  it('rethrows a StationError rejected by the transport unchanged', async () => {
    const timeout = new TimeoutError('station.info: no reply in 10s');
    const transport = new FakeTransport();
    transport.call.mockRejectedValue(timeout);
    await expect(createStationClient('staff', transport).call('station.info', {})).rejects.toBe(timeout);
  });

  it('works end to end over a dispatcher (host-side validation errors come back as RemoteStationError)', async () => {
    const dispatch = createDispatcher('kiosk', {
      'kiosk.current': () => ({ kind: 'idle' as const }),
      'kiosk.respond': () => ({ ok: true as const }),
    });
    const transport: StationTransport = { call: (method, payload) => dispatch(method, payload), onEvent: () => () => undefined };
    const client = createStationClient('kiosk', transport);
    await expect(client.call('kiosk.current', {})).resolves.toStrictEqual({ kind: 'idle' });
    const bad = await caught(client.call('kiosk.respond', { kind: 'confirm', sessionId: 'nope' }));
    expect(bad).toBeInstanceOf(RemoteStationError);
    expect([bad.code, bad.userMessage]).toStrictEqual(['VALIDATION', zhCN.errors.validation]);
  });
});

describe('createStationClient: events', () => {
  const devices = [{ kind: 'idcard-reader', state: 'fault', simulated: true, model: '模拟身份证阅读器' }];

  it('delivers only the subscribed event, parsed', () => {
    const transport = new FakeTransport();
    const client = createStationClient('staff', transport);
    const listener = vi.fn();
    client.on('devices.changed', listener);
    transport.emit('kiosk.responded', { kind: 'confirm', sessionId: SESSION });
    transport.emit('devices.changed', devices);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith(devices);
  });

  it.each<[string, unknown]>([
    ['an object instead of a list', { kind: 'idcard-reader' }],
    ['an unknown state', [{ ...devices[0], state: 'exploded' }]],
    ['an extra field', [{ ...devices[0], debug: true }]],
    ['more than 16 devices', Array.from({ length: 17 }, () => devices[0])],
    ['null', null],
  ])('drops a devices.changed event with an invalid payload (%s)', (_label, payload) => {
    const transport = new FakeTransport();
    const listener = vi.fn();
    createStationClient('staff', transport).on('devices.changed', listener);
    transport.emit('devices.changed', payload);
    expect(listener).not.toHaveBeenCalled();
    // A valid event afterwards still arrives: the invalid one did not break the subscription.
    transport.emit('devices.changed', devices);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('does not deliver another bridge’s events to a kiosk client, nor invalid views', () => {
    const transport = new FakeTransport();
    const listener = vi.fn();
    createStationClient('kiosk', transport).on('kiosk.view', listener);
    transport.emit('devices.changed', devices);
    transport.emit('kiosk.responded', { kind: 'confirm', sessionId: SESSION });
    transport.emit('kiosk.view', { kind: 'verify-info', sessionId: SESSION });
    transport.emit('kiosk.view', { kind: 'idle', extra: true });
    expect(listener).not.toHaveBeenCalled();
    transport.emit('kiosk.view', { kind: 'idle' });
    expect(listener).toHaveBeenCalledExactlyOnceWith({ kind: 'idle' });
  });

  it('stops delivering after unsubscribe, and other subscriptions continue', () => {
    const transport = new FakeTransport();
    const client = createStationClient('staff', transport);
    const first = vi.fn();
    const second = vi.fn();
    const off = client.on('kiosk.responded', first);
    client.on('kiosk.responded', second);
    const response = { kind: 'report-error', sessionId: SESSION, fields: ['name'], note: '' };
    transport.emit('kiosk.responded', response);
    off();
    transport.emit('kiosk.responded', response);
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledTimes(2);
    expect(transport.listeners.size).toBe(1);
  });
});
