import { afterEach, describe, expect, it, vi } from 'vitest';

import type { DeviceState, DeviceStatus } from '../../../core/contract/devices.js';
import { DeviceStatusList } from '../../../core/contract/devices.js';
import { DeviceError } from '../../../core/errors/station-error.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { silentLogger, type Logger } from '../../../core/logging/logger.js';
import { DeviceManager, type DeviceSlot, type HostDeviceKind, type SimulatorMode } from '../../../host/services/device-manager.js';
import type { FoundDevice } from '../../../native/discovery/hid-discovery.js';

const reader: FoundDevice = { bus: 'hid', vendorId: 0x2b8b, productId: 0x2721, path: '/dev/hidraw3', product: 'SS628' };
const scanner: FoundDevice = { bus: 'serial', vendorId: 0x0403, productId: 0x6001, path: 'COM7', product: undefined };

/** A probe whose result the test sets; counts calls. */
function fakeProbe(initial: FoundDevice[] | Error = []) {
  let next: FoundDevice[] | Error = initial;
  const probe = vi.fn(async (): Promise<FoundDevice[]> => {
    if (next instanceof Error) throw next;
    return next;
  });
  return {
    probe,
    set(value: FoundDevice[] | Error) {
      next = value;
    },
  };
}

function manager(mode: SimulatorMode, slots: Array<{ kind: HostDeviceKind; probe: DeviceSlot['probe'] }>, logger: Logger = silentLogger) {
  const onChange = vi.fn<(list: DeviceStatus[]) => void>();
  const devices = new DeviceManager({ mode, slots, onChange, logger });
  return { devices, onChange };
}

let started: DeviceManager[] = [];
afterEach(() => {
  for (const d of started) d.stop();
  started = [];
  vi.useRealTimers();
});

describe('DeviceManager: auto mode', () => {
  it('simulates a ready device when nothing is found', async () => {
    const r = fakeProbe();
    const { devices, onChange } = manager('auto', [{ kind: 'idcard-reader', probe: r.probe }]);
    await devices.refresh();
    const expected = [{ kind: 'idcard-reader', state: 'ready', simulated: true, model: '模拟身份证阅读器' }];
    expect(devices.list()).toStrictEqual(expected);
    expect(devices.simulatorsActive).toBe(true);
    expect(onChange).toHaveBeenCalledExactlyOnceWith(expected);
    expect(r.probe).toHaveBeenCalledTimes(1);
  });

  it('reports found hardware as ready and not simulated, with product and USB id', async () => {
    const r = fakeProbe([reader]);
    const s = fakeProbe([scanner]);
    const { devices } = manager('auto', [
      { kind: 'idcard-reader', probe: r.probe },
      { kind: 'fingerprint-scanner', probe: s.probe },
    ]);
    await devices.refresh();
    const list = devices.list();
    expect(list).toStrictEqual([
      { kind: 'idcard-reader', state: 'ready', simulated: false, model: 'SS628 2B8B:2721' },
      { kind: 'fingerprint-scanner', state: 'ready', simulated: false, model: '0403:6001' },
    ]);
    expect(list[0]!.model).toContain('2B8B:2721');
    expect(devices.simulatorsActive).toBe(false);
    expect(DeviceStatusList.safeParse(list).success).toBe(true);
  });

  it('uses the first device a probe reports', async () => {
    const { devices } = manager('auto', [
      { kind: 'idcard-reader', probe: async () => [{ ...reader, product: 'first' }, { ...reader, product: 'second' }] },
    ]);
    await devices.refresh();
    expect(devices.list()[0]!.model).toBe('first 2B8B:2721');
  });

  it('drops the simulator when hardware appears later and reports the change exactly once', async () => {
    const r = fakeProbe();
    const { devices, onChange } = manager('auto', [{ kind: 'idcard-reader', probe: r.probe }]);
    await devices.refresh();
    expect(devices.list()[0]!.simulated).toBe(true);
    onChange.mockClear();

    r.set([reader]);
    await devices.refresh();
    const expected = [{ kind: 'idcard-reader', state: 'ready', simulated: false, model: 'SS628 2B8B:2721' }];
    expect(onChange).toHaveBeenCalledExactlyOnceWith(expected);
    expect(devices.list()).toStrictEqual(expected);
    expect(devices.simulatorsActive).toBe(false);

    // Further refreshes with the same hardware change nothing.
    await devices.refresh();
    await devices.refresh();
    expect(onChange).toHaveBeenCalledTimes(1);
  });

  it('falls back to a fresh simulator when the hardware is unplugged', async () => {
    const r = fakeProbe([reader]);
    const { devices, onChange } = manager('auto', [{ kind: 'idcard-reader', probe: r.probe }]);
    await devices.refresh();
    r.set([]);
    await devices.refresh();
    expect(devices.list()).toStrictEqual([{ kind: 'idcard-reader', state: 'ready', simulated: true, model: '模拟身份证阅读器' }]);
    expect(onChange).toHaveBeenCalledTimes(2);
  });

  it('simulates when the probe throws (driver failed to load), and logs the failure once', async () => {
    const warn = vi.fn();
    const r = fakeProbe(new Error('libusb missing'));
    const { devices } = manager('auto', [{ kind: 'idcard-reader', probe: r.probe }], { ...silentLogger, warn });
    await devices.refresh();
    await devices.refresh();
    expect(devices.list()).toStrictEqual([{ kind: 'idcard-reader', state: 'ready', simulated: true, model: '模拟身份证阅读器' }]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith('device probe failed', expect.objectContaining({ kind: 'idcard-reader' }));
  });
});

describe('DeviceManager: off mode', () => {
  it('reports a missing device as disconnected with the catalogue message', async () => {
    const { devices, onChange } = manager('off', [
      { kind: 'idcard-reader', probe: fakeProbe().probe },
      { kind: 'fingerprint-scanner', probe: fakeProbe().probe },
    ]);
    await devices.refresh();
    const expected = [
      {
        kind: 'idcard-reader',
        state: 'disconnected',
        simulated: false,
        model: '身份证阅读器',
        message: zhCN.device.notFound('身份证阅读器'),
      },
      {
        kind: 'fingerprint-scanner',
        state: 'disconnected',
        simulated: false,
        model: '指纹仪',
        message: zhCN.device.notFound('指纹仪'),
      },
    ];
    expect(devices.list()).toStrictEqual(expected);
    expect(devices.list()[0]!.message).toBe('未检测到身份证阅读器，请检查USB连接；插好后会自动识别。');
    expect(devices.simulatorsActive).toBe(false);
    expect(onChange).toHaveBeenCalledExactlyOnceWith(expected);
  });

  it('reports a throwing probe as fault with the probe-failed message, and recovers when it works again', async () => {
    const r = fakeProbe(new Error('driver'));
    const { devices, onChange } = manager('off', [{ kind: 'idcard-reader', probe: r.probe }]);
    await devices.refresh();
    expect(devices.list()).toStrictEqual([
      {
        kind: 'idcard-reader',
        state: 'fault',
        simulated: false,
        model: '身份证阅读器',
        message: zhCN.device.probeFailed('身份证阅读器'),
      },
    ]);
    r.set([reader]);
    await devices.refresh();
    expect(devices.list()).toStrictEqual([{ kind: 'idcard-reader', state: 'ready', simulated: false, model: 'SS628 2B8B:2721' }]);
    r.set([]);
    await devices.refresh();
    expect(devices.list()[0]!.state).toBe('disconnected');
    expect(onChange).toHaveBeenCalledTimes(3);
  });

  it('refuses simulate() with a DeviceError', async () => {
    const { devices } = manager('off', [{ kind: 'idcard-reader', probe: fakeProbe().probe }]);
    await devices.refresh();
    expect(() => devices.simulate('idcard-reader', 'busy')).toThrow(DeviceError);
  });
});

describe('DeviceManager: on mode', () => {
  it('simulates every device without probing, even when hardware is present', async () => {
    const r = fakeProbe([reader]);
    const { devices } = manager('on', [{ kind: 'idcard-reader', probe: r.probe }]);
    await devices.refresh();
    expect(r.probe).not.toHaveBeenCalled();
    expect(devices.list()).toStrictEqual([{ kind: 'idcard-reader', state: 'ready', simulated: true, model: '模拟身份证阅读器' }]);
  });
});

describe('DeviceManager: simulate()', () => {
  it('changes a simulated device and reports the change once', async () => {
    const { devices, onChange } = manager('auto', [
      { kind: 'idcard-reader', probe: fakeProbe().probe },
      { kind: 'fingerprint-scanner', probe: fakeProbe().probe },
    ]);
    await devices.refresh();
    onChange.mockClear();
    devices.simulate('fingerprint-scanner', 'fault');
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange.mock.calls[0]![0]).toStrictEqual([
      { kind: 'idcard-reader', state: 'ready', simulated: true, model: '模拟身份证阅读器' },
      { kind: 'fingerprint-scanner', state: 'fault', simulated: true, model: '模拟指纹仪' },
    ]);
    // Same state again: nothing visible changed.
    devices.simulate('fingerprint-scanner', 'fault');
    expect(onChange).toHaveBeenCalledTimes(1);
    // The simulated state survives a refresh.
    await devices.refresh();
    expect(devices.list()[1]!.state).toBe('fault');
    expect(onChange).toHaveBeenCalledTimes(1);
  });

  it('throws DeviceError (catalogue message) for real hardware and changes nothing', async () => {
    const { devices, onChange } = manager('auto', [{ kind: 'idcard-reader', probe: fakeProbe([reader]).probe }]);
    await devices.refresh();
    onChange.mockClear();
    let thrown: unknown;
    try {
      devices.simulate('idcard-reader', 'fault');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DeviceError);
    expect((thrown as DeviceError).code).toBe('DEVICE');
    expect((thrown as DeviceError).userMessage).toBe(zhCN.device.notSimulated);
    expect(devices.list()[0]!.state).toBe('ready');
    expect(onChange).not.toHaveBeenCalled();
  });

  it('throws DeviceError for a kind without a slot', async () => {
    const { devices } = manager('auto', [{ kind: 'idcard-reader', probe: fakeProbe().probe }]);
    await devices.refresh();
    expect(() => devices.simulate('fingerprint-scanner', 'busy')).toThrow(DeviceError);
  });
});

describe('DeviceManager: change reporting and refresh', () => {
  it('does not call onChange when a refresh finds nothing new', async () => {
    const { devices, onChange } = manager('auto', [
      { kind: 'idcard-reader', probe: fakeProbe([reader]).probe },
      { kind: 'fingerprint-scanner', probe: fakeProbe().probe },
    ]);
    await devices.refresh();
    expect(onChange).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 5; i += 1) await devices.refresh();
    expect(onChange).toHaveBeenCalledTimes(1);
  });

  it('coalesces refresh() calls made during a round into exactly one more round', async () => {
    const releases: ((found: FoundDevice[]) => void)[] = [];
    const probe = vi.fn(() => new Promise<FoundDevice[]>((resolve) => releases.push(resolve)));
    const { devices } = manager('auto', [{ kind: 'idcard-reader', probe }]);
    const a = devices.refresh();
    const b = devices.refresh();
    const c = devices.refresh();
    expect(a).toBe(b);
    expect(b).toBe(c);
    await Promise.resolve();
    expect(probe).toHaveBeenCalledTimes(1);
    releases[0]!([]);
    // The calls made while the first round ran are answered by one more round, not three.
    await vi.waitFor(() => expect(probe).toHaveBeenCalledTimes(2));
    releases[1]!([reader]);
    await Promise.all([a, b, c]);
    expect(probe).toHaveBeenCalledTimes(2);
    expect(devices.list()[0]).toMatchObject({ simulated: false, state: 'ready' });
    const d = devices.refresh();
    expect(d).not.toBe(a);
    releases[2]!([reader]);
    await d;
    expect(probe).toHaveBeenCalledTimes(3);
  });

  it('start() probes immediately and then on the interval until stop()', async () => {
    vi.useFakeTimers();
    const r = fakeProbe();
    const { devices, onChange } = manager('auto', [{ kind: 'idcard-reader', probe: r.probe }]);
    started.push(devices);
    await devices.start(1000);
    expect(r.probe).toHaveBeenCalledTimes(1);
    expect(onChange).toHaveBeenCalledTimes(1);

    r.set([reader]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(r.probe).toHaveBeenCalledTimes(2);
    expect(onChange).toHaveBeenCalledTimes(2);
    expect(onChange.mock.calls[1]![0][0]!.simulated).toBe(false);

    await vi.advanceTimersByTimeAsync(3000);
    expect(r.probe).toHaveBeenCalledTimes(5);
    expect(onChange).toHaveBeenCalledTimes(2);

    devices.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(r.probe).toHaveBeenCalledTimes(5);
  });
});

describe('DeviceManager: a hanging driver', () => {
  afterEach(() => vi.useRealTimers());

  it('gives up on a probe after 10 s, reports the kind as faulty, and keeps discovering', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const probe = () => {
      calls += 1;
      return calls === 1 ? new Promise<FoundDevice[]>(() => undefined) : Promise.resolve([reader]);
    };
    const { devices } = manager('off', [{ kind: 'idcard-reader', probe }]);
    const first = devices.refresh();
    await vi.advanceTimersByTimeAsync(10_001);
    await first;
    expect(devices.list()[0]).toMatchObject({ state: 'fault', message: zhCN.device.probeFailed('身份证阅读器') });
    await devices.refresh();
    expect(devices.list()[0]).toMatchObject({ state: 'ready', simulated: false });
  });
});

describe('DeviceManager: drivers', () => {
  /** A driver whose state and loss the test controls. */
  function fakeDriver() {
    const stateListeners = new Set<(s: DeviceState) => void>();
    const lostListeners = new Set<() => void>();
    const driver = {
      state: 'ready' as DeviceState,
      detached: false,
      onState: (l: (s: DeviceState) => void) => (stateListeners.add(l), () => stateListeners.delete(l)),
      onLost: (l: () => void) => (lostListeners.add(l), () => lostListeners.delete(l)),
      detach: async () => {
        driver.detached = true;
      },
      setState(s: DeviceState) {
        driver.state = s;
        for (const l of stateListeners) l(s);
      },
      lose() {
        for (const l of lostListeners) l();
      },
    };
    return driver;
  }

  it('attaches a driver to found hardware, shows its state, detaches when the device goes, re-attaches after a loss', async () => {
    const r = fakeProbe([reader]);
    const drivers: ReturnType<typeof fakeDriver>[] = [];
    let failNext = false;
    const slot: DeviceSlot = {
      kind: 'idcard-reader',
      probe: r.probe,
      driver: async () => {
        if (failNext) {
          failNext = false;
          throw new Error('open failed');
        }
        const d = fakeDriver();
        drivers.push(d);
        return d;
      },
    };
    const onChange = vi.fn<(list: DeviceStatus[]) => void>();
    const devices = new DeviceManager({ mode: 'off', slots: [slot], onChange, logger: silentLogger });
    started.push(devices);
    await devices.refresh();
    expect(drivers).toHaveLength(1);
    expect(devices.list()[0]).toMatchObject({ state: 'ready', simulated: false });
    drivers[0]!.setState('busy');
    expect(devices.list()[0]!.state).toBe('busy');
    expect(onChange.mock.calls.at(-1)![0][0]!.state).toBe('busy');

    // The driver loses its device: it is detached and a new one attached on the next round.
    drivers[0]!.lose();
    await vi.waitFor(() => expect(drivers).toHaveLength(2));
    expect(drivers[0]!.detached).toBe(true);

    // The device disappears: the driver is detached and the light says so.
    r.set([]);
    await devices.refresh();
    expect(drivers[1]!.detached).toBe(true);
    expect(devices.list()[0]).toMatchObject({ state: 'disconnected' });

    // It comes back but cannot be opened: fault, and a retry next round succeeds.
    r.set([reader]);
    failNext = true;
    await devices.refresh();
    expect(devices.list()[0]).toMatchObject({ state: 'fault', message: zhCN.device.openFailed('身份证阅读器') });
    await devices.refresh();
    expect(drivers).toHaveLength(3);
    expect(devices.list()[0]!.state).toBe('ready');
    await devices.stop();
    expect(drivers[2]!.detached).toBe(true);
  });
});
