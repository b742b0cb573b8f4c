/**
 * The fingerprint scanner behind the StationApi: its device-manager slot (R30x modules on a USB-serial
 * bridge, a Windows vendor SDK, or the simulator), and the service that runs captures and the duplicate
 * check where the driver is. Captures stay in this process for one confirmation session; the window only
 * gets a preview PNG, figures and an id to name a capture by.
 */
import { randomUUID } from 'node:crypto';
import type { DeviceState } from '../../core/contract/devices.js';
import type {
  FingerprintCaptureRequest,
  FingerprintCaptureResult,
  FingerprintDuplicateRequest,
  FingerprintDuplicateVerdict,
  FingerprintProgressEvent,
  SimulatedScannerAction,
  SimulatedScannerFault,
} from '../../core/contract/fingerprint.js';
import { FingerprintError } from '../../core/errors/fingerprint-error.js';
import { NotFoundError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import type { FoundDevice } from '../../native/discovery/hid-discovery.js';
import { findSerialDevices } from '../../native/discovery/serial-discovery.js';
import { captureWithRetries, type CaptureAttempt } from '../../native/fingerprint/capture-session.js';
import { checkDuplicate } from '../../native/fingerprint/duplicate-check.js';
import type { FingerprintCapture, FingerprintDriver, FingerprintDriverFactory, FingerprintState } from '../../native/fingerprint/fingerprint-driver.js';
import { DEFAULT_QUALITY_THRESHOLD } from '../../native/fingerprint/quality.js';
import { R30xDriver } from '../../native/fingerprint/r30x-driver.js';
import { createSimulatedScanner, type SimulatedScanner } from '../../native/fingerprint/simulator/simulated-scanner.js';
import { realisticDelays, type R30xFault, type R30xTiming } from '../../native/fingerprint/simulator/virtual-r30x.js';
import { vendorSdkFactory } from '../../native/fingerprint/vendor-sdk/vendor-sdk-driver.js';
import { SerialTransport } from '../../native/transport/serial-transport.js';
import type { StationConfig } from '../config/station-config.js';
import type { Logger } from '../../core/logging/logger.js';
import type { DeviceDriver, DeviceSlot, SimulatedHardware } from './device-manager.js';
import { encodeGrayPng } from './fingerprint-png.js';

const text = zhCN.fingerprint;

/** The simulator appears as an R30x behind a CH340 bridge (1A86:7523), a common pairing. */
const SIMULATED_SCANNER: FoundDevice = { bus: 'sim', vendorId: 0x1a86, productId: 0x7523, path: 'sim:fingerprint-scanner', product: undefined };
/** Vendor SDK devices are found by the SDK, not by USB id: their paths carry this prefix. */
const VENDOR_SDK_PREFIX = 'vendor-sdk:';

/**
 * Demo timing: the module's own delays, but data at a fast bridge's rate. At the real 57 600 baud an image
 * upload takes ~6 s, which makes a demo drag without showing anything new.
 */
const demoTiming: R30xTiming = { ...realisticDelays, baudRate: 921_600 };

/** A simulated R30x that shows up in discovery while "plugged in", so the real driver runs against it. */
export class SimulatedScannerRig implements SimulatedHardware {
  readonly scanner: SimulatedScanner;

  constructor(options: { timing: 'realistic' | 'instant'; seed?: number }) {
    this.scanner = createSimulatedScanner({ timing: options.timing === 'instant' ? 'instant' : demoTiming, seed: options.seed ?? 7 });
  }

  get found(): FoundDevice | undefined {
    return this.scanner.module.plugged ? SIMULATED_SCANNER : undefined;
  }

  onChange(listener: () => void): () => void {
    return this.scanner.module.onPlugChange(() => listener());
  }

  createDriver(): FingerprintDriver {
    return this.scanner.createDriver();
  }

  act(action: SimulatedScannerAction): void {
    switch (action.action) {
      case 'place':
        this.scanner.control({ action: 'place', fingerId: action.fingerId, ...(action.quality !== undefined ? { quality: action.quality } : {}) });
        return;
      case 'fault': {
        const options = action.options
          ? { ...(action.options.on ? { on: action.options.on } : {}), ...(action.options.sticky !== undefined ? { sticky: action.options.sticky } : {}) }
          : undefined;
        this.scanner.control({ action: 'fault', fault: simulatorFault(action.fault), ...(options ? { options } : {}) });
        return;
      }
      default:
        this.scanner.control({ action: action.action });
    }
  }
}

/** The validated contract shape to the simulator's own type (optional fields dropped, not set to undefined). */
function simulatorFault(fault: SimulatedScannerFault): R30xFault {
  switch (fault.kind) {
    case 'bad-checksum':
      return fault.dataPacket !== undefined ? { kind: 'bad-checksum', dataPacket: fault.dataPacket } : { kind: 'bad-checksum' };
    case 'poor-quality':
      return fault.quality !== undefined ? { kind: 'poor-quality', quality: fault.quality } : { kind: 'poor-quality' };
    case 'removed-mid-upload':
      return fault.afterPackets !== undefined ? { kind: 'removed-mid-upload', afterPackets: fault.afterPackets } : { kind: 'removed-mid-upload' };
    default:
      return fault;
  }
}

const lightFor: Record<FingerprintState, DeviceState> = {
  closed: 'disconnected',
  opening: 'busy',
  ready: 'ready',
  capturing: 'busy',
  fault: 'fault',
  disconnected: 'disconnected',
};

/** Captures of the current session kept for the duplicate check; a session needs two, a few retakes more. */
const MAX_HELD_CAPTURES = 12;
/** Nothing personal outlives the desk: held captures are forgotten after this long. */
const HELD_CAPTURE_TTL_MS = 30 * 60_000;

interface Held {
  capture: FingerprintCapture;
  heldAt: number;
}

/** Runs captures and duplicate checks on whichever scanner the device manager has attached. */
export class FingerprintService {
  #driver: FingerprintDriver | undefined;
  #session: string | undefined;
  readonly #held = new Map<string, Held>();
  #running: AbortController | undefined;
  readonly #now: () => number;

  constructor(
    private readonly deps: {
      /** Progress of a running capture, for the staff window. */
      progress: (event: FingerprintProgressEvent) => void;
      logger: Logger;
      now?: () => number;
    },
  ) {
    this.#now = deps.now ?? Date.now;
  }

  get attached(): boolean {
    return this.#driver !== undefined;
  }

  attach(driver: FingerprintDriver): void {
    this.#driver = driver;
  }

  detach(driver: FingerprintDriver): void {
    if (this.#driver !== driver) return;
    this.#running?.abort();
    this.#driver = undefined;
  }

  async capture(request: FingerprintCaptureRequest): Promise<FingerprintCaptureResult> {
    const driver = this.#driver;
    if (!driver) throw new FingerprintError('disconnected', 'no scanner attached');
    if (this.#running) throw new FingerprintError('busy', 'a capture is running');
    if (request.sessionId !== this.#session) {
      // A new candidate: the previous one's fingerprints are of no further use here.
      this.#held.clear();
      this.#session = request.sessionId;
    }
    const controller = new AbortController();
    this.#running = controller;
    const targetQuality = request.targetQuality ?? DEFAULT_QUALITY_THRESHOLD;
    const { finger } = request;
    let lastError: FingerprintError | undefined;
    try {
      const result = await captureWithRetries(driver, {
        config: {
          qualityThreshold: targetQuality,
          ...(request.maxAttempts !== undefined ? { maxAttempts: request.maxAttempts } : {}),
          ...(request.timeoutMs !== undefined ? { attemptTimeoutMs: request.timeoutMs } : {}),
        },
        signal: controller.signal,
        onAttempt: (attempt, maxAttempts) =>
          this.#emit({ finger, attempt, maxAttempts, phase: 'waiting', message: `${text.prompts.attempt(attempt, maxAttempts)}：${text.prompts.place}` }),
        onResult: (attempt: CaptureAttempt) => {
          if (attempt.error) lastError = attempt.error;
          const maxAttempts = request.maxAttempts ?? 3;
          const message = attempt.error
            ? attempt.error.userMessage
            : attempt.quality !== undefined && attempt.quality < targetQuality
              ? text.poorQuality(attempt.quality, targetQuality)
              : text.prompts.lift;
          this.#emit({ finger, attempt: attempt.attempt, maxAttempts, phase: 'result', ...(attempt.quality !== undefined ? { quality: attempt.quality } : {}), message });
        },
      });
      const best = result.best;
      if (!best) throw lastError ?? new FingerprintError('no-finger', 'no attempt gave a capture');
      const captureId = randomUUID();
      this.#hold(captureId, best);
      // Figures only: the image, template and hash are the candidate's biometric data.
      this.deps.logger.info('fingerprint captured', { finger, quality: best.quality.value, attempts: result.attempts.length, accepted: result.accepted });
      return {
        captureId,
        finger,
        quality: Math.round(best.quality.value),
        qualityScale: best.quality.scale,
        targetQuality,
        attempts: result.attempts.length,
        accepted: result.accepted,
        imagePng: Buffer.from(encodeGrayPng(best.image)).toString('base64'),
        width: best.image.width,
        height: best.image.height,
        dpi: best.image.dpi,
        ...(best.template ? { template: Buffer.from(best.template.bytes).toString('base64'), templateFormat: best.template.format } : {}),
        imageSha256: best.imageSha256,
        capturedAt: best.capturedAt,
      };
    } catch (thrown) {
      if (thrown instanceof FingerprintError) this.deps.logger.warn('fingerprint capture failed', { finger, reason: thrown.reason });
      throw thrown;
    } finally {
      if (this.#running === controller) this.#running = undefined;
    }
  }

  cancel(): void {
    this.#running?.abort();
    this.#driver?.cancel();
  }

  async checkDuplicate(request: FingerprintDuplicateRequest): Promise<FingerprintDuplicateVerdict> {
    const a = this.#get(request.first);
    const b = this.#get(request.second);
    const driver = this.#driver;
    // The device's own comparison when the scanner is there and idle; the image comparison always.
    const usable = driver && (driver.status().state === 'ready' || driver.status().state === 'fault');
    let verdict;
    try {
      verdict = await checkDuplicate(a, b, usable ? { driver } : {});
    } catch {
      // The scanner went away mid-check: the images alone still answer.
      verdict = await checkDuplicate(a, b, {});
    }
    this.deps.logger.info('fingerprint duplicate check', { duplicate: verdict.duplicate, methods: verdict.evidence.map((e) => e.method).join(',') });
    return verdict;
  }

  /** Drops everything held (host shutdown, tests). */
  clear(): void {
    this.#held.clear();
    this.#session = undefined;
  }

  #get(id: string): FingerprintCapture {
    this.#expire();
    const held = this.#held.get(id);
    if (!held) throw new NotFoundError('capture not held', text.captureExpired);
    return held.capture;
  }

  #hold(id: string, capture: FingerprintCapture): void {
    this.#expire();
    this.#held.set(id, { capture, heldAt: this.#now() });
    while (this.#held.size > MAX_HELD_CAPTURES) this.#held.delete(this.#held.keys().next().value!);
  }

  #expire(): void {
    const cutoff = this.#now() - HELD_CAPTURE_TTL_MS;
    for (const [id, held] of this.#held) if (held.heldAt < cutoff) this.#held.delete(id);
  }

  #emit(event: FingerprintProgressEvent): void {
    try {
      this.deps.progress(event);
    } catch {
      // A failing listener must not end a capture.
    }
  }
}

/**
 * Opens a FingerprintDriver on a found device and presents it to the device manager: its status light, and
 * "lost" when the link goes away. The service gets the driver while it is attached.
 */
export function fingerprintScannerDriver(deps: {
  createDriver: (found: FoundDevice) => FingerprintDriver;
  service: FingerprintService;
  logger: Logger;
}): (found: FoundDevice) => Promise<DeviceDriver> {
  return async (found) => {
    const driver = deps.createDriver(found);
    const stateListeners = new Set<(state: DeviceState) => void>();
    const lostListeners = new Set<() => void>();
    let detaching = false;
    driver.onStatus((status) => {
      for (const listener of stateListeners) listener(lightFor[status.state]);
      if (status.state === 'disconnected' && !detaching) {
        deps.service.detach(driver);
        for (const listener of lostListeners) listener();
      }
    });
    try {
      await driver.open();
    } catch (error) {
      await driver.close().catch(() => undefined);
      throw error;
    }
    deps.service.attach(driver);
    deps.logger.info('fingerprint scanner attached', { device: found.bus, driver: driver.info.driver });
    return {
      get state() {
        return lightFor[driver.status().state];
      },
      onState: (listener) => {
        stateListeners.add(listener);
        return () => stateListeners.delete(listener);
      },
      onLost: (listener) => {
        lostListeners.add(listener);
        if (driver.status().state === 'disconnected' && !detaching) queueMicrotask(() => lostListeners.has(listener) && listener());
        return () => lostListeners.delete(listener);
      },
      detach: async () => {
        detaching = true;
        deps.service.detach(driver);
        await driver.close();
      },
    };
  };
}

/** The fingerprint-scanner slot of the device manager: R30x over serial, the vendor SDK, or the simulator. */
export function fingerprintScannerSlot(
  config: StationConfig,
  deps: { rig: SimulatedScannerRig; service: FingerprintService; logger: Logger; vendorSdk?: FingerprintDriverFactory | undefined },
): DeviceSlot {
  const scanner = config.fingerprintScanner;
  const sdk = deps.vendorSdk ?? (scanner.vendorSdk ? vendorSdkFactory(scanner.vendorSdk) : undefined);
  return {
    kind: 'fingerprint-scanner',
    probe: async () => {
      const found = await findSerialDevices(scanner.serial, scanner.serialPaths);
      if (!sdk) return found;
      const candidates = await sdk.discover();
      // The SDK finds its own devices; they have no USB id of ours to show.
      return [...found, ...candidates.map((c): FoundDevice => ({ bus: 'hid', vendorId: 0, productId: 0, path: `${VENDOR_SDK_PREFIX}${c.id}`, product: c.description }))];
    },
    simulator: deps.rig,
    driver: fingerprintScannerDriver({
      service: deps.service,
      logger: deps.logger,
      createDriver: (found) => {
        if (found.bus === 'sim') return deps.rig.createDriver();
        if (sdk && found.path.startsWith(VENDOR_SDK_PREFIX)) {
          const id = found.path.slice(VENDOR_SDK_PREFIX.length);
          return sdk.create({ driver: sdk.driver, id, description: found.product ?? id });
        }
        return new R30xDriver({
          transport: new SerialTransport({ path: found.path, baudRate: scanner.baudRate, description: `R30x ${found.path}` }),
          address: scanner.address,
          password: scanner.password,
        });
      },
    }),
  };
}
