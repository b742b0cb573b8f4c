/**
 * ByteTransport over a USB HID device through node-hid (hidapi), for readers of the spec §9.3 kind:
 * command frames go out in one zero-padded report, replies come back in 64-byte IN reports.
 */
import type { HIDAsync } from 'node-hid';
import { DeviceError } from '../../core/errors/station-error.js';
import type { ByteTransport } from './byte-transport.js';
import { TransportListeners } from './transport-listeners.js';
import {
  defaultHidReportOptions,
  fromInputReport,
  toOutputReports,
  type HidReportOptions,
} from './hid-reports.js';

export interface HidTransportOptions extends Partial<HidReportOptions> {
  /** OS device path from discovery (hidraw node, Windows device path). */
  path: string;
  /** For status and logs, e.g. "HID 2B8B:2721"; default names the path. */
  description?: string;
  /** Share the device with other processes (hidapi macOS option). */
  nonExclusive?: boolean;
}

export class HidTransport implements ByteTransport {
  readonly description: string;
  readonly #path: string;
  readonly #nonExclusive: boolean;
  readonly #reports: HidReportOptions;
  readonly #listeners = new TransportListeners();
  #device: HIDAsync | undefined;

  constructor(options: HidTransportOptions) {
    this.#path = options.path;
    this.description = options.description ?? `HID ${options.path}`;
    this.#nonExclusive = options.nonExclusive ?? false;
    this.#reports = {
      reportSize: options.reportSize ?? defaultHidReportOptions.reportSize,
      reportId: options.reportId === undefined ? defaultHidReportOptions.reportId : options.reportId,
    };
  }

  async open(): Promise<void> {
    if (this.#device) return;
    // Loaded lazily: a machine without a working native module still starts, with simulators.
    const { HIDAsync } = await import('node-hid');
    let device: HIDAsync;
    try {
      device = await HIDAsync.open(this.#path, { nonExclusive: this.#nonExclusive });
    } catch (error) {
      throw new DeviceError(`${this.description}: open failed (${errorText(error)})`);
    }
    this.#device = device;
    device.on('data', (report: Buffer) => {
      if (this.#device !== device) return;
      const bytes = fromInputReport(new Uint8Array(report), this.#reports);
      if (bytes.length > 0) this.#listeners.data(bytes);
    });
    // hidapi's read thread reports an unplugged device as a read error.
    device.on('error', (error: unknown) => {
      if (this.#device === device) this.#lost(`device error (${errorText(error)})`);
    });
  }

  async write(bytes: Uint8Array): Promise<void> {
    const device = this.#device;
    if (!device) throw new DeviceError(`${this.description}: not open`);
    try {
      for (const report of toOutputReports(bytes, this.#reports)) await device.write(Buffer.from(report));
    } catch (error) {
      this.#lost(`write failed (${errorText(error)})`);
      throw new DeviceError(`${this.description}: write failed (${errorText(error)})`);
    }
  }

  onData(listener: (bytes: Uint8Array) => void): () => void {
    return this.#listeners.onData(listener);
  }

  onClose(listener: (reason: string) => void): () => void {
    return this.#listeners.onClose(listener);
  }

  /** Closing on purpose does not fire onClose (that is for the device going away). */
  async close(): Promise<void> {
    const device = this.#device;
    this.#device = undefined;
    if (device) await closeQuietly(device);
  }

  #lost(reason: string): void {
    const device = this.#device;
    if (!device) return;
    this.#device = undefined;
    void closeQuietly(device);
    this.#listeners.closed(reason);
  }
}

async function closeQuietly(device: HIDAsync): Promise<void> {
  try {
    await device.close();
  } catch {
    // The handle of a vanished device may refuse to close; it is released either way.
  }
}

/** hidapi's message (e.g. "could not read from HID device"); it names no card data. */
function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 200);
}
