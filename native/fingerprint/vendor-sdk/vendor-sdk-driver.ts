/**
 * A FingerprintDriver over a vendor SDK binding (sdk-binding.ts). The binding is loaded on open(), so a
 * missing DLL shows up as the device's fault ('sdk-not-available') and never as a crash at start-up.
 * Capture polls the SDK's non-blocking acquire; the SDK reports no quality, so the image-based score is used.
 */
import { createHash } from 'node:crypto';
import { FingerprintError } from '../../../core/errors/fingerprint-error.js';
import type {
  CaptureOptions,
  FingerprintCapture,
  FingerprintCandidate,
  FingerprintDeviceInfo,
  FingerprintDriver,
  FingerprintDriverFactory,
  FingerprintStatus,
  FingerprintTemplate,
} from '../fingerprint-driver.js';
import { imageQuality } from '../quality.js';
import { loadVendorSdk, sdkError, zkfpCodes, type SdkHandle, type SdkLoadDependencies, type VendorSdkBinding } from './sdk-binding.js';
import { parseVendorSdkConfig, type VendorSdkConfig } from './sdk-config.js';

export interface VendorSdkDriverOptions {
  /** Raw configuration: validated here. */
  config: unknown;
  /** How the binding is obtained; tests pass a fake, production loads the DLL through koffi. */
  load?: (config: VendorSdkConfig) => Promise<VendorSdkBinding>;
  loadDependencies?: SdkLoadDependencies;
}

export class VendorSdkDriver implements FingerprintDriver {
  #info: FingerprintDeviceInfo;
  readonly matchThreshold: number;
  readonly #config: VendorSdkConfig;
  readonly #load: (config: VendorSdkConfig) => Promise<VendorSdkBinding>;
  readonly #listeners = new Set<(status: FingerprintStatus) => void>();
  #status: FingerprintStatus = { state: 'closed' };
  #binding: VendorSdkBinding | undefined;
  #handle: SdkHandle | undefined;
  #cancel: (() => void) | undefined;

  constructor(options: VendorSdkDriverOptions) {
    this.#config = parseVendorSdkConfig(options.config);
    this.#load = options.load ?? ((config) => loadVendorSdk(config, options.loadDependencies));
    this.matchThreshold = this.#config.matchThreshold;
    this.#info = {
      driver: `vendor-sdk:${this.#config.vendor}`,
      description: `${this.#config.vendor} SDK #${this.#config.deviceIndex}`,
      width: this.#config.imageWidth ?? 0,
      height: this.#config.imageHeight ?? 0,
      dpi: this.#config.dpi,
      templateFormat: this.#config.vendor === 'zkteco' ? 'zkfinger10' : this.#config.vendor,
      supports: { onDeviceMatch: true, imageUpload: true, antiSpoof: false },
    };
  }

  /** Image size is known only after open() (the SDK reports it) unless configured. */
  get info(): FingerprintDeviceInfo {
    return this.#info;
  }

  status(): FingerprintStatus {
    return this.#status;
  }

  onStatus(listener: (status: FingerprintStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async open(): Promise<void> {
    if (this.#handle !== undefined) return;
    this.#setStatus({ state: 'opening' });
    try {
      const binding = (this.#binding ??= await this.#load(this.#config));
      const rc = binding.init();
      if (rc !== zkfpCodes.ok && rc !== zkfpCodes.alreadyInit) throw sdkError(rc, 'init');
      const count = binding.deviceCount();
      if (count <= this.#config.deviceIndex) throw sdkError(count < 0 ? count : zkfpCodes.noDevice, 'deviceCount');
      const handle = binding.openDevice(this.#config.deviceIndex);
      if (typeof handle === 'number' && handle < 0) throw sdkError(handle, 'openDevice');
      if (handle === null || handle === undefined) throw sdkError(zkfpCodes.open, 'openDevice');
      this.#handle = handle;
      const width = this.#config.imageWidth ?? binding.getIntParameter(handle, 1) ?? 0;
      const height = this.#config.imageHeight ?? binding.getIntParameter(handle, 2) ?? 0;
      this.#info = { ...this.#info, width, height };
      if (width <= 0 || height <= 0) throw new FingerprintError('config-invalid', 'image size unknown: set imageWidth/imageHeight');
      this.#setStatus({ state: 'ready' });
    } catch (thrown) {
      const error = thrown instanceof FingerprintError ? thrown : new FingerprintError('sdk-error', 'open failed', { cause: thrown });
      this.#setStatus({ state: 'fault', error });
      throw error;
    }
  }

  async close(): Promise<void> {
    this.cancel();
    const binding = this.#binding;
    if (binding && this.#handle !== undefined) binding.closeDevice(this.#handle);
    this.#handle = undefined;
    if (binding) {
      binding.terminate();
      binding.unload();
    }
    this.#binding = undefined;
    this.#setStatus({ state: 'closed' });
  }

  cancel(): void {
    this.#cancel?.();
  }

  async capture(options: CaptureOptions): Promise<FingerprintCapture> {
    const binding = this.#binding;
    const handle = this.#handle;
    if (this.#status.state === 'capturing') throw new FingerprintError('busy', 'a capture is running');
    if (!binding || handle === undefined) throw new FingerprintError('not-open', `state ${this.#status.state}`);
    this.#setStatus({ state: 'capturing' });
    const started = performance.now();
    const deadline = Date.now() + options.timeoutMs;
    const image = new Uint8Array(this.info.width * this.info.height);
    const template = new Uint8Array(this.#config.templateBufferSize);
    let cancelled = options.signal?.aborted ?? false;
    this.#cancel = () => {
      cancelled = true;
    };
    const onAbort = () => this.cancel();
    options.signal?.addEventListener('abort', onAbort);
    try {
      for (;;) {
        if (cancelled) throw new FingerprintError('cancelled', 'capture cancelled');
        const { code, templateLength } = binding.acquire(handle, image, template);
        if (code === zkfpCodes.ok) {
          const pixels = image.slice();
          const gray = { width: this.info.width, height: this.info.height, dpi: this.info.dpi, pixels };
          const quality = imageQuality(gray);
          return {
            image: gray,
            template: templateLength > 0 ? { format: this.info.templateFormat, bytes: template.slice(0, templateLength) } : undefined,
            quality: { scale: quality.scale, value: quality.value },
            targetQuality: options.targetQuality ?? 0,
            imageSha256: createHash('sha256').update(pixels).digest('hex'),
            capturedAt: new Date().toISOString(),
            durationMs: Math.round(performance.now() - started),
          };
        }
        // -8: nothing captured on this poll (no finger yet); anything else is a real failure.
        if (code !== zkfpCodes.capture) throw sdkError(code, 'acquire');
        if (Date.now() + this.#config.pollIntervalMs >= deadline) throw new FingerprintError('no-finger', 'no finger before the deadline');
        await new Promise((resolve) => setTimeout(resolve, this.#config.pollIntervalMs));
      }
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      this.#cancel = undefined;
      if (this.status().state === 'capturing') this.#setStatus({ state: 'ready' });
    }
  }

  async match(a: FingerprintTemplate, b: FingerprintTemplate): Promise<number> {
    const binding = this.#binding;
    if (!binding?.match) throw new FingerprintError('not-open', 'no SDK matcher');
    if (a.format !== this.info.templateFormat || b.format !== this.info.templateFormat) return 0;
    const score = binding.match(a.bytes, b.bytes);
    if (score < 0) throw sdkError(score, 'match');
    return score;
  }

  #setStatus(status: FingerprintStatus): void {
    this.#status = status;
    for (const listener of this.#listeners) {
      try {
        listener(status);
      } catch {
        // A failing consumer must not stop the driver.
      }
    }
  }
}

/**
 * The vendor SDK as a driver family. Discovery never loads the DLL: it reports the configured device only
 * when the DLL file exists, so the device manager can show "not found" without touching native code.
 */
export function vendorSdkFactory(rawConfig: unknown, options: Omit<VendorSdkDriverOptions, 'config'> = {}): FingerprintDriverFactory {
  const config = parseVendorSdkConfig(rawConfig);
  const exists = options.loadDependencies?.fileExists;
  return {
    driver: `vendor-sdk:${config.vendor}`,
    async discover(): Promise<FingerprintCandidate[]> {
      const { existsSync } = await import('node:fs');
      if (!(exists ?? existsSync)(config.dllPath)) return [];
      return [{ driver: `vendor-sdk:${config.vendor}`, id: `${config.vendor}:${config.deviceIndex}`, description: `${config.vendor} SDK #${config.deviceIndex}` }];
    },
    create: () => new VendorSdkDriver({ ...options, config }),
  };
}
