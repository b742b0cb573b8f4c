import type { DeviceKind, DeviceState, DeviceStatus } from '../../core/contract/devices.js';
import { DeviceError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import type { FoundDevice } from '../../native/discovery/hid-discovery.js';
import { formatUsbId } from '../../native/discovery/usb-id.js';
import { SimulatedDevice } from '../../native/simulators/simulated-device.js';
import type { Logger } from '../logger.js';

export type HostDeviceKind = Exclude<DeviceKind, 'camera'>;
export type SimulatorMode = 'auto' | 'on' | 'off';

/** How one kind of device is looked for. Probes list present hardware; they may throw if a driver fails to load. */
export interface DeviceSlot {
  kind: HostDeviceKind;
  probe: () => Promise<FoundDevice[]>;
}

interface SlotState {
  slot: DeviceSlot;
  found: FoundDevice | undefined;
  probeFailed: boolean;
  simulator: SimulatedDevice | undefined;
}

/** A driver that hangs while enumerating must not stop discovery for good. */
const PROBE_TIMEOUT_MS = 10_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`probe timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function sameStatus(a: readonly DeviceStatus[], b: readonly DeviceStatus[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Finds hardware for each device kind, falls back to a simulator when allowed, keeps looking
 * (hot-plug), and reports each device's state. Emits only when something visible changed.
 */
export class DeviceManager {
  readonly #mode: SimulatorMode;
  readonly #slots: SlotState[];
  readonly #onChange: (list: DeviceStatus[]) => void;
  readonly #log: Logger;
  #timer: ReturnType<typeof setInterval> | undefined;
  #last: DeviceStatus[] = [];
  #refreshing: Promise<void> | undefined;

  constructor(options: { mode: SimulatorMode; slots: DeviceSlot[]; onChange: (list: DeviceStatus[]) => void; logger: Logger }) {
    this.#mode = options.mode;
    this.#slots = options.slots.map((slot) => ({ slot, found: undefined, probeFailed: false, simulator: undefined }));
    this.#onChange = options.onChange;
    this.#log = options.logger;
  }

  async start(intervalMs: number): Promise<void> {
    await this.refresh();
    this.#timer = setInterval(() => {
      this.refresh().catch((error: unknown) => this.#log.error('device refresh failed', { error: String(error) }));
    }, intervalMs);
    this.#timer.unref?.();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  get simulatorsActive(): boolean {
    return this.#slots.some((s) => s.simulator !== undefined);
  }

  list(): DeviceStatus[] {
    return this.#slots.map((s) => this.#statusOf(s));
  }

  /** Re-probe all slots; concurrent callers share one probe round. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#probeAll().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  simulate(kind: HostDeviceKind, state: DeviceState): void {
    const slot = this.#slots.find((s) => s.slot.kind === kind);
    if (!slot?.simulator) throw new DeviceError(`${kind} is not simulated`, zhCN.device.notSimulated);
    slot.simulator.setState(state);
  }

  async #probeAll(): Promise<void> {
    for (const state of this.#slots) {
      if (this.#mode === 'on') {
        state.found = undefined;
      } else {
        try {
          state.found = (await withTimeout(state.slot.probe(), PROBE_TIMEOUT_MS))[0];
          state.probeFailed = false;
        } catch (error) {
          if (!state.probeFailed) this.#log.warn('device probe failed', { kind: state.slot.kind, error: String(error) });
          state.found = undefined;
          state.probeFailed = true;
        }
      }
      const wantSimulator = this.#mode === 'on' || (this.#mode === 'auto' && state.found === undefined);
      if (wantSimulator && !state.simulator) {
        state.simulator = new SimulatedDevice();
        state.simulator.onChange(() => this.#emitIfChanged());
      } else if (!wantSimulator && state.simulator) {
        // Hardware appeared: the real device takes over, the simulator is dropped.
        state.simulator = undefined;
      }
    }
    this.#emitIfChanged();
  }

  #emitIfChanged(): void {
    const next = this.list();
    if (sameStatus(next, this.#last)) return;
    this.#last = next;
    this.#onChange(next);
  }

  #statusOf(s: SlotState): DeviceStatus {
    const label = zhCN.device.kinds[s.slot.kind];
    if (s.simulator) {
      return { kind: s.slot.kind, state: s.simulator.state, simulated: true, model: zhCN.device.simulatorModel(label) };
    }
    if (s.found) {
      const model = [s.found.product, formatUsbId(s.found)].filter(Boolean).join(' ');
      return { kind: s.slot.kind, state: 'ready', simulated: false, model };
    }
    const message = s.probeFailed ? zhCN.device.probeFailed(label) : zhCN.device.notFound(label);
    return {
      kind: s.slot.kind,
      state: s.probeFailed ? 'fault' : 'disconnected',
      simulated: false,
      model: label,
      message,
    };
  }
}
