/**
 * A ByteTransport in front of a VirtualR30x, as a USB-serial bridge would present the module: an unframed
 * byte stream delivered in random-size pieces (seeded, so a failing run replays). The driver runs exactly the
 * code path it runs on hardware.
 */
import { DeviceError } from '../../../core/errors/station-error.js';
import type { ByteTransport } from '../../transport/byte-transport.js';
import { TransportListeners } from '../../transport/transport-listeners.js';
import { seededRandom } from '../../simulators/seeded-random.js';
import type { VirtualR30x } from './virtual-r30x.js';

export interface SimulatedR30xTransportOptions {
  description?: string;
  /** PRNG seed for read sizes. */
  seed?: number;
  /** Largest piece a read returns (default 64); sizes are uniform in 1…maxChunk. */
  maxChunk?: number;
}

export class SimulatedR30xTransport implements ByteTransport {
  readonly description: string;
  readonly #module: VirtualR30x;
  readonly #listeners = new TransportListeners();
  readonly #random: () => number;
  readonly #maxChunk: number;
  #stops: (() => void)[] = [];

  constructor(module: VirtualR30x, options: SimulatedR30xTransportOptions = {}) {
    this.#module = module;
    this.description = options.description ?? 'Simulated R30x';
    this.#random = seededRandom(options.seed ?? 1);
    this.#maxChunk = Math.max(1, options.maxChunk ?? 64);
  }

  get isOpen(): boolean {
    return this.#stops.length > 0;
  }

  open(): Promise<void> {
    if (!this.#module.plugged) return Promise.reject(new DeviceError(`${this.description}: device not present`));
    if (!this.isOpen) {
      this.#stops = [
        this.#module.onReply((bytes) => {
          for (const piece of this.#split(bytes)) this.#listeners.data(piece);
        }),
        this.#module.onPlugChange((plugged) => {
          if (plugged) return;
          this.#detach();
          this.#listeners.closed('unplugged');
        }),
      ];
    }
    return Promise.resolve();
  }

  write(bytes: Uint8Array): Promise<void> {
    if (!this.isOpen) return Promise.reject(new DeviceError(`${this.description}: not open`));
    for (const piece of this.#split(bytes)) this.#module.receive(piece);
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

  #detach(): void {
    for (const stop of this.#stops.splice(0)) stop();
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
