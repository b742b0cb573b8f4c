import type { DeviceKind, DeviceState, DeviceStatus } from '../../core/contract/devices.js';
import { DeviceError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import type { FoundDevice } from '../../native/discovery/hid-discovery.js';
import { formatUsbId } from '../../native/discovery/usb-id.js';
import { SimulatedDevice } from '../../native/simulators/simulated-device.js';
import type { Logger } from '../../core/logging/logger.js';

export type HostDeviceKind = Exclude<DeviceKind, 'camera'>;
export type SimulatorMode = 'auto' | 'on' | 'off';

/** A running driver for one found device; its state feeds the status light. */
export interface DeviceDriver {
  readonly state: DeviceState;
  onState(listener: (state: DeviceState) => void): () => void;
  /** The device stopped answering or went away (unplugged, port closed). */
  onLost(listener: () => void): () => void;
  detach(): Promise<void>;
}

/** Virtual hardware: shows up in discovery while "plugged in", so the real driver code runs against it. */
export interface SimulatedHardware {
  readonly found: FoundDevice | undefined;
  onChange(listener: () => void): () => void;
}

/** How one kind of device is looked for and driven. Probes list present hardware; they may throw. */
export interface DeviceSlot {
  kind: HostDeviceKind;
  probe: () => Promise<FoundDevice[]>;
  /** Virtual hardware used when simulators are on (or auto with nothing found). */
  simulator?: SimulatedHardware;
  /** Opens a driver on a found device; without one, presence alone makes the device 'ready'. */
  driver?: (found: FoundDevice) => Promise<DeviceDriver>;
}

interface Attached {
  path: string;
  driver: DeviceDriver;
  stops: (() => void)[];
}

interface SlotState {
  slot: DeviceSlot;
  /** The device in use: real hardware, or the simulator's virtual one. */
  target: FoundDevice | undefined;
  simulated: boolean;
  probeFailed: boolean;
  attachFailed: boolean;
  attached: Attached | undefined;
  /** Presence-only stand-in for kinds without virtual hardware yet. */
  presence: SimulatedDevice | undefined;
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

export const isSimulatedPath = (path: string): boolean => path.startsWith('sim:');

/**
 * Finds hardware for each device kind, falls back to simulators when allowed, keeps looking (hot-plug),
 * attaches and detaches drivers as devices come and go, and reports each device's state.
 * Emits only when something visible changed.
 */
export class DeviceManager {
  readonly #mode: SimulatorMode;
  readonly #slots: SlotState[];
  readonly #onChange: (list: DeviceStatus[]) => void;
  readonly #log: Logger;
  readonly #stops: (() => void)[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;
  #last: DeviceStatus[] = [];
  #refreshing: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(options: { mode: SimulatorMode; slots: DeviceSlot[]; onChange: (list: DeviceStatus[]) => void; logger: Logger }) {
    this.#mode = options.mode;
    this.#slots = options.slots.map((slot) => ({
      slot,
      target: undefined,
      simulated: false,
      probeFailed: false,
      attachFailed: false,
      attached: undefined,
      presence: undefined,
    }));
    this.#onChange = options.onChange;
    this.#log = options.logger;
    for (const { slot } of this.#slots) {
      if (slot.simulator) this.#stops.push(slot.simulator.onChange(() => this.#refreshSoon()));
    }
  }

  async start(intervalMs: number): Promise<void> {
    await this.refresh();
    this.#timer = setInterval(() => this.#refreshSoon(), intervalMs);
    this.#timer.unref?.();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    for (const stop of this.#stops.splice(0)) stop();
    await this.#refreshing?.catch(() => undefined);
    await Promise.all(this.#slots.map((s) => this.#detach(s)));
  }

  /** Whether the kind is currently served by a simulator (its virtual hardware or a presence stand-in). */
  isSimulated(kind: HostDeviceKind): boolean {
    const slot = this.#slots.find((s) => s.slot.kind === kind);
    return slot !== undefined && (slot.simulated || slot.presence !== undefined);
  }

  get simulatorsActive(): boolean {
    return this.#slots.some((s) => s.simulated || s.presence !== undefined);
  }

  list(): DeviceStatus[] {
    return this.#slots.map((s) => this.#statusOf(s));
  }

  /** Re-probe all slots; a call during a round schedules one more round instead of overlapping. */
  refresh(): Promise<void> {
    if (this.#refreshing) {
      this.#again = true;
      return this.#refreshing;
    }
    const rounds = async () => {
      try {
        do {
          this.#again = false;
          await this.#probeAll();
        } while (this.#again && !this.#stopped);
      } finally {
        // Cleared in the same tick as the last #again check: a request arriving later starts a new run
        // instead of landing on a run that has already decided to stop.
        this.#refreshing = undefined;
      }
    };
    this.#refreshing = rounds();
    return this.#refreshing;
  }

  /** Sets the state of a presence-only simulated device (demo and tests). */
  simulate(kind: HostDeviceKind, state: DeviceState): void {
    const slot = this.#slots.find((s) => s.slot.kind === kind);
    if (!slot?.presence) throw new DeviceError(`${kind} is not simulated`, zhCN.device.notSimulated);
    slot.presence.setState(state);
  }

  #refreshSoon(): void {
    this.refresh().catch((error: unknown) => this.#log.error('device refresh failed', { error: String(error) }));
  }

  async #probeAll(): Promise<void> {
    for (const state of this.#slots) {
      if (this.#stopped) return;
      await this.#probeSlot(state);
    }
    this.#emitIfChanged();
  }

  async #probeSlot(state: SlotState): Promise<void> {
    const { slot } = state;
    let real: FoundDevice | undefined;
    if (this.#mode !== 'on') {
      try {
        real = (await withTimeout(slot.probe(), PROBE_TIMEOUT_MS))[0];
        state.probeFailed = false;
      } catch (error) {
        if (!state.probeFailed) this.#log.warn('device probe failed', { kind: slot.kind, error: String(error) });
        state.probeFailed = true;
      }
    }
    const simulate = this.#mode === 'on' || (this.#mode === 'auto' && real === undefined);
    state.simulated = simulate && slot.simulator !== undefined;
    state.target = real ?? (state.simulated ? slot.simulator?.found : undefined);

    if (simulate && !slot.simulator && !state.presence) {
      state.presence = new SimulatedDevice();
      state.presence.onChange(() => this.#emitIfChanged());
    } else if (!simulate && state.presence) {
      // Hardware appeared: the real device takes over, the stand-in is dropped.
      state.presence = undefined;
    }

    if (!slot.driver) return;
    if (state.attached && state.attached.path !== state.target?.path) await this.#detach(state);
    if (state.target && !state.attached) await this.#attach(state, state.target);
  }

  async #attach(state: SlotState, found: FoundDevice): Promise<void> {
    try {
      const driver = await state.slot.driver!(found);
      const attached: Attached = { path: found.path, driver, stops: [] };
      attached.stops.push(driver.onState(() => this.#emitIfChanged()));
      attached.stops.push(
        driver.onLost(() => {
          // Forget the dead driver; the next round re-attaches if the device is still (or again) there.
          if (state.attached === attached) void this.#detach(state).then(() => this.#refreshSoon());
        }),
      );
      state.attached = attached;
      state.attachFailed = false;
    } catch (error) {
      if (!state.attachFailed) this.#log.warn('device open failed', { kind: state.slot.kind, error: String(error) });
      state.attachFailed = true;
    }
  }

  async #detach(state: SlotState): Promise<void> {
    const attached = state.attached;
    if (!attached) return;
    state.attached = undefined;
    for (const stop of attached.stops) stop();
    await attached.driver.detach().catch((error: unknown) => this.#log.warn('device close failed', { error: String(error) }));
  }

  #emitIfChanged(): void {
    const next = this.list();
    if (sameStatus(next, this.#last)) return;
    this.#last = next;
    this.#onChange(next);
  }

  #statusOf(s: SlotState): DeviceStatus {
    const kind = s.slot.kind;
    const label = zhCN.device.kinds[kind];
    if (s.presence) {
      return { kind, state: s.presence.state, simulated: true, model: zhCN.device.simulatorModel(label) };
    }
    if (s.target) {
      const model = s.simulated
        ? zhCN.device.simulatorModel(label)
        : [s.target.product, formatUsbId(s.target)].filter(Boolean).join(' ');
      if (s.attachFailed) return { kind, state: 'fault', simulated: s.simulated, model, message: zhCN.device.openFailed(label) };
      // Without a driver yet, a present device counts as ready; with one, the driver knows better.
      const state = s.slot.driver ? (s.attached?.driver.state ?? 'disconnected') : 'ready';
      return { kind, state, simulated: s.simulated, model };
    }
    const message = s.probeFailed && !s.simulated ? zhCN.device.probeFailed(label) : zhCN.device.notFound(label);
    return {
      kind,
      state: s.probeFailed && !s.simulated ? 'fault' : 'disconnected',
      simulated: s.simulated,
      model: s.simulated ? zhCN.device.simulatorModel(label) : label,
      message,
    };
  }
}
