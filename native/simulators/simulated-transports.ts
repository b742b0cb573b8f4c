/**
 * ByteTransports in front of a simulated device (the ID card reader's VirtualSam, the fingerprint module's
 * VirtualR30x), so the driver runs the same code path as on hardware: SimulatedHidTransport goes through the
 * shared HID report framing (64-byte reports, report-id byte), SimulatedSerialTransport delivers a byte stream in
 * random-size chunks from a seeded PRNG, as a USB-serial bridge does.
 */
import { DeviceError } from '../../core/errors/station-error.js';
import type { ByteTransport } from '../transport/byte-transport.js';
import {
  defaultHidReportOptions,
  fromInputReport,
  fromOutputReport,
  toInputReports,
  toOutputReports,
  type HidReportOptions,
} from '../transport/hid-reports.js';
import { seededRandom } from './seeded-random.js';
import { TransportListeners } from '../transport/transport-listeners.js';

/** What a transport needs of a simulated device: bytes in, replies out, plugged or not. */
export interface SimulatedByteDevice {
  readonly plugged: boolean;
  receive(bytes: Uint8Array): void;
  onReply(listener: (bytes: Uint8Array) => void): () => void;
  onPlugChange(listener: (plugged: boolean) => void): () => void;
}

/** Timers, injectable so tests can pace deliveries by hand. */
export interface SimulatorScheduler {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const globalScheduler: SimulatorScheduler = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface PacingOptions {
  /** Gap between delivered chunks/reports; 0 (default) delivers a whole reply synchronously. */
  intervalMs?: number;
  scheduler?: SimulatorScheduler;
}

/** Open/close, listeners and unplug handling shared by both shims. */
abstract class SimulatedTransport implements ByteTransport {
  abstract readonly description: string;
  protected readonly device: SimulatedByteDevice;
  readonly #listeners = new TransportListeners();
  readonly #scheduler: SimulatorScheduler;
  readonly #intervalMs: number;
  #pending: Uint8Array[] = [];
  #pacer: unknown;
  #stops: (() => void)[] = [];

  constructor(device: SimulatedByteDevice, pacing: PacingOptions) {
    this.device = device;
    this.#scheduler = pacing.scheduler ?? globalScheduler;
    this.#intervalMs = pacing.intervalMs ?? 0;
  }

  get isOpen(): boolean {
    return this.#stops.length > 0;
  }

  open(): Promise<void> {
    if (!this.device.plugged) return Promise.reject(new DeviceError(`${this.description}: device not present`));
    if (!this.isOpen) {
      this.#stops = [
        this.device.onReply((reply) => this.#deliver(this.toHost(reply))),
        this.device.onPlugChange((plugged) => {
          if (!plugged) this.#lost('unplugged');
        }),
      ];
    }
    return Promise.resolve();
  }

  write(bytes: Uint8Array): Promise<void> {
    if (!this.isOpen) return Promise.reject(new DeviceError(`${this.description}: not open`));
    this.toDevice(bytes);
    return Promise.resolve();
  }

  onData(listener: (bytes: Uint8Array) => void): () => void {
    return this.#listeners.onData(listener);
  }

  onClose(listener: (reason: string) => void): () => void {
    return this.#listeners.onClose(listener);
  }

  /** Closing on purpose does not fire onClose (that is for the device going away). */
  close(): Promise<void> {
    this.#detach();
    return Promise.resolve();
  }

  /** Host → device: hand the written bytes to the device as it would receive them. */
  protected abstract toDevice(bytes: Uint8Array): void;
  /** Device → host: the pieces in which one reply reaches the host's read callback. */
  protected abstract toHost(reply: Uint8Array): Uint8Array[];

  #deliver(chunks: Uint8Array[]): void {
    if (this.#intervalMs <= 0) {
      for (const chunk of chunks) this.#emit(chunk);
      return;
    }
    this.#pending.push(...chunks);
    this.#pace();
  }

  #pace(): void {
    if (this.#pacer !== undefined) return;
    this.#pacer = this.#scheduler.setTimeout(() => {
      this.#pacer = undefined;
      const chunk = this.#pending.shift();
      if (chunk) this.#emit(chunk);
      if (this.#pending.length > 0) this.#pace();
    }, this.#intervalMs);
  }

  #emit(chunk: Uint8Array): void {
    this.#listeners.data(chunk);
  }

  #lost(reason: string): void {
    this.#detach();
    this.#listeners.closed(reason);
  }

  #detach(): void {
    for (const stop of this.#stops.splice(0)) stop();
    if (this.#pacer !== undefined) this.#scheduler.clearTimeout(this.#pacer);
    this.#pacer = undefined;
    this.#pending = [];
  }
}

export interface SimulatedHidOptions extends Partial<HidReportOptions>, PacingOptions {
  description?: string;
}

/** A HID reader (spec §9.3): commands and replies travel in fixed-size reports, as node-hid would see them. */
export class SimulatedHidTransport extends SimulatedTransport {
  readonly description: string;
  readonly #reports: HidReportOptions;

  constructor(device: SimulatedByteDevice, options: SimulatedHidOptions = {}) {
    super(device, options);
    this.description = options.description ?? 'Simulated HID 2B8B:2721';
    this.#reports = {
      reportSize: options.reportSize ?? defaultHidReportOptions.reportSize,
      reportId: options.reportId === undefined ? defaultHidReportOptions.reportId : options.reportId,
    };
  }

  protected toDevice(bytes: Uint8Array): void {
    for (const report of toOutputReports(bytes, this.#reports)) this.device.receive(fromOutputReport(report, this.#reports));
  }

  protected toHost(reply: Uint8Array): Uint8Array[] {
    return toInputReports(reply, this.#reports).map((report) => fromInputReport(report, this.#reports));
  }
}

export interface SimulatedSerialOptions extends PacingOptions {
  description?: string;
  /** PRNG seed for chunk sizes; a failing run can be replayed with the same seed. */
  seed?: number;
  /** Largest chunk a read returns (default 32); sizes are uniform in 1…maxChunk. */
  maxChunk?: number;
}

/** A UART device behind a USB-serial bridge: an unframed byte stream in arbitrary pieces, both ways. */
export class SimulatedSerialTransport extends SimulatedTransport {
  readonly description: string;
  readonly #random: () => number;
  readonly #maxChunk: number;

  constructor(device: SimulatedByteDevice, options: SimulatedSerialOptions = {}) {
    super(device, options);
    this.description = options.description ?? 'Simulated serial port';
    this.#random = seededRandom(options.seed ?? 1);
    this.#maxChunk = Math.max(1, options.maxChunk ?? 32);
  }

  protected toDevice(bytes: Uint8Array): void {
    for (const chunk of this.#split(bytes)) this.device.receive(chunk);
  }

  protected toHost(reply: Uint8Array): Uint8Array[] {
    return this.#split(reply);
  }

  #split(bytes: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let at = 0; at < bytes.length; ) {
      const size = 1 + Math.floor(this.#random() * this.#maxChunk);
      out.push(bytes.slice(at, at + size));
      at += size;
    }
    return out;
  }
}
