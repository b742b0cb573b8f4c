/**
 * ByteTransport over a serial port (native UART or USB-serial bridge) through the serialport package.
 * Frames go out as-is; replies arrive in whatever pieces the OS reads (spec §9.1).
 */
import type { SerialPort } from 'serialport';
import { DeviceError } from '../../core/errors/station-error.js';
import type { ByteTransport } from './byte-transport.js';
import { TransportListeners } from './transport-listeners.js';

export interface SerialTransportOptions {
  /** COM3, /dev/ttyUSB0, … */
  path: string;
  /** 115 200 by default; 57 600 / 38 400 / 19 200 / 9 600 after a CMD 60 change (spec §4). */
  baudRate?: number;
  description?: string;
}

export const DEFAULT_BAUD_RATE = 115_200;

export class SerialTransport implements ByteTransport {
  readonly description: string;
  readonly #path: string;
  readonly #baudRate: number;
  readonly #listeners = new TransportListeners();
  #port: SerialPort | undefined;

  constructor(options: SerialTransportOptions) {
    this.#path = options.path;
    this.#baudRate = options.baudRate ?? DEFAULT_BAUD_RATE;
    this.description = options.description ?? options.path;
  }

  async open(): Promise<void> {
    if (this.#port) return;
    // Loaded lazily: a machine without a working native module still starts, with simulators.
    const { SerialPort } = await import('serialport');
    // 8N1 (spec §9.1); opened explicitly so the error reaches the caller instead of an 'error' event.
    const port = new SerialPort({
      path: this.#path,
      baudRate: this.#baudRate,
      dataBits: 8,
      parity: 'none',
      stopBits: 1,
      autoOpen: false,
    });
    await new Promise<void>((resolve, reject) => {
      port.open((error) =>
        error ? reject(new DeviceError(`${this.description}: open failed (${errorText(error)})`)) : resolve(),
      );
    });
    this.#port = port;
    port.on('data', (chunk: Buffer) => {
      if (this.#port !== port) return;
      const bytes = new Uint8Array(chunk);
      this.#listeners.data(bytes);
    });
    // serialport emits 'close' with a DisconnectedError when the USB bridge is pulled out.
    port.on('close', (error: unknown) => this.#lost(port, error ? `closed (${errorText(error)})` : 'closed'));
    port.on('error', (error: unknown) => this.#lost(port, `port error (${errorText(error)})`));
  }

  write(bytes: Uint8Array): Promise<void> {
    const port = this.#port;
    if (!port) return Promise.reject(new DeviceError(`${this.description}: not open`));
    return new Promise<void>((resolve, reject) => {
      port.write(Buffer.from(bytes), (error) => {
        if (!error) return resolve();
        this.#lost(port, `write failed (${errorText(error)})`);
        reject(new DeviceError(`${this.description}: write failed (${errorText(error)})`));
      });
    });
  }

  onData(listener: (bytes: Uint8Array) => void): () => void {
    return this.#listeners.onData(listener);
  }

  onClose(listener: (reason: string) => void): () => void {
    return this.#listeners.onClose(listener);
  }

  /** Closing on purpose does not fire onClose (that is for the device going away). */
  async close(): Promise<void> {
    const port = this.#port;
    this.#port = undefined;
    if (port) await closeQuietly(port);
  }

  #lost(port: SerialPort, reason: string): void {
    if (this.#port !== port) return;
    this.#port = undefined;
    void closeQuietly(port);
    this.#listeners.closed(reason);
  }
}

function closeQuietly(port: SerialPort): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!port.isOpen) return resolve();
    // A port whose device vanished may report an error here; it is released either way.
    port.close(() => resolve());
  });
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 200);
}
