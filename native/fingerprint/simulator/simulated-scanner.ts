/**
 * The simulated fingerprint scanner as the host's device manager uses it for demos and e2e runs: a virtual
 * R30x module, the serial-like transport in front of it and the real driver on top. Control it through
 * `control()` (which finger lies on the sensor, its quality, faults, unplug) — the driver only sees bytes.
 */
import { R30xDriver, type R30xDriverOptions } from '../r30x-driver.js';
import { SimulatedSerialTransport } from '../../simulators/simulated-transports.js';
import { VirtualR30x, type R30xFault, type R30xFaultOptions, type R30xTiming } from './virtual-r30x.js';

export type FingerprintSimulatorCommand =
  /** A finger on the sensor: any stable id (the same id always has the same ridges), quality 0..1. */
  | { action: 'place'; fingerId: string; quality?: number }
  | { action: 'lift' }
  | { action: 'fault'; fault: R30xFault; options?: R30xFaultOptions }
  | { action: 'clear-faults' }
  | { action: 'unplug' }
  | { action: 'replug' };

export interface SimulatedScannerOptions {
  timing?: R30xTiming;
  seed?: number;
  driver?: Omit<R30xDriverOptions, 'transport'>;
}

export interface SimulatedScanner {
  module: VirtualR30x;
  /** A fresh transport per (re)open, as a replugged bridge would give. */
  transport(): SimulatedSerialTransport;
  /** A driver over a fresh transport. */
  createDriver(): R30xDriver;
  control(command: FingerprintSimulatorCommand): void;
}

export function createSimulatedScanner(options: SimulatedScannerOptions = {}): SimulatedScanner {
  const module = new VirtualR30x({ timing: options.timing ?? 'realistic', seed: options.seed ?? 1 });
  let opened = 0;
  const transport = () => new SimulatedSerialTransport(module, { seed: (options.seed ?? 1) + opened++, maxChunk: 64, description: 'Simulated R30x' });
  return {
    module,
    transport,
    createDriver: () => new R30xDriver({ ...options.driver, transport: transport() }),
    control(command) {
      switch (command.action) {
        case 'place':
          module.placeFinger(command.fingerId, command.quality);
          return;
        case 'lift':
          module.liftFinger();
          return;
        case 'fault':
          module.injectFault(command.fault, command.options);
          return;
        case 'clear-faults':
          module.clearFaults();
          return;
        case 'unplug':
          module.unplug();
          return;
        case 'replug':
          module.replug();
          return;
      }
    },
  };
}
