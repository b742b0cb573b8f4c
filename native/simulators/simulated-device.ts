import type { DeviceState } from '../../core/contract/devices.js';

/**
 * Presence and state of a simulated device, for demos and tests on machines without hardware.
 * The byte-level protocol simulators (card reader, fingerprint scanner) attach to this as their transport matures.
 */
export class SimulatedDevice {
  #state: DeviceState = 'ready';
  readonly #listeners = new Set<(state: DeviceState) => void>();

  get state(): DeviceState {
    return this.#state;
  }

  setState(state: DeviceState): void {
    if (state === this.#state) return;
    this.#state = state;
    for (const listener of this.#listeners) listener(state);
  }

  onChange(listener: (state: DeviceState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
