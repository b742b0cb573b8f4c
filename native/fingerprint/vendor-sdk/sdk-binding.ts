/**
 * The slot for Windows vendor fingerprint SDKs: a small synchronous binding interface (what every counter
 * scanner SDK offers in some form: init, open, non-blocking acquire, 1:1 match), the ZKFinger binding over
 * koffi, and the mapping of SDK return codes to FingerprintErrors.
 *
 * koffi is imported lazily and only after the DLL file was found, so Linux machines, CI and tests never
 * load a native library, and a station without the vendor's driver starts normally with a clear message.
 */
import { existsSync } from 'node:fs';
import type * as Koffi from 'koffi';
import { FingerprintError } from '../../../core/errors/fingerprint-error.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import type { VendorSdkConfig } from './sdk-config.js';

/** An opened device as the SDK knows it (a pointer from the DLL, or anything a fake uses). */
export type SdkHandle = unknown;

export interface VendorSdkBinding {
  readonly vendor: string;
  readonly templateFormat: string;
  init(): number;
  terminate(): number;
  deviceCount(): number;
  /** A handle, or a negative SDK code. */
  openDevice(index: number): SdkHandle | number;
  closeDevice(handle: SdkHandle): number;
  /** An integer parameter (1 width, 2 height, 3 dpi on ZKFinger), or undefined when unsupported. */
  getIntParameter(handle: SdkHandle, code: number): number | undefined;
  /** Fills `image` (8-bit) and `template`; returns the SDK code and the template's length. */
  acquire(handle: SdkHandle, image: Uint8Array, template: Uint8Array): { code: number; templateLength: number };
  /** 1:1 score (≥ 0) or a negative SDK code. */
  match?(a: Uint8Array, b: Uint8Array): number;
  unload(): void;
}

export interface SdkLoadDependencies {
  fileExists?: (path: string) => boolean;
  platform?: NodeJS.Platform;
  /** Replaced in tests to prove koffi is never touched when the DLL is missing. */
  importKoffi?: () => Promise<typeof Koffi>;
}

/** ZKFinger (libzkfp) return codes, as public SDK wrappers declare them. */
export const zkfpCodes = {
  ok: 0,
  alreadyInit: 1,
  initLib: -1,
  init: -2,
  noDevice: -3,
  notSupported: -4,
  invalidParam: -5,
  open: -6,
  invalidHandle: -7,
  capture: -8,
  extract: -9,
  abort: -10,
  memory: -11,
  busy: -12,
  cancel: -18,
  notOpened: -23,
  notInit: -24,
  timeout: -28,
} as const;

/** An SDK return code as a FingerprintError (`where` is the call, for the developer-facing detail). */
export function sdkError(code: number, where: string): FingerprintError {
  const detail = `${where} returned ${code}`;
  switch (code) {
    case zkfpCodes.initLib:
    case zkfpCodes.init:
      return new FingerprintError('sdk-load-failed', detail, { sdkCode: code });
    case zkfpCodes.noDevice:
      return new FingerprintError('sdk-error', detail, { sdkCode: code, userMessage: zhCN.fingerprint.sdkNoDevice });
    case zkfpCodes.invalidHandle:
    case zkfpCodes.notOpened:
    case zkfpCodes.notInit:
      return new FingerprintError('not-open', detail, { sdkCode: code });
    case zkfpCodes.capture:
      return new FingerprintError('no-finger', detail, { sdkCode: code });
    case zkfpCodes.extract:
      return new FingerprintError('poor-image', detail, { sdkCode: code });
    case zkfpCodes.abort:
    case zkfpCodes.cancel:
      return new FingerprintError('cancelled', detail, { sdkCode: code });
    case zkfpCodes.busy:
      return new FingerprintError('busy', detail, { sdkCode: code });
    case zkfpCodes.timeout:
      return new FingerprintError('timeout', detail, { sdkCode: code });
    default:
      return new FingerprintError('sdk-error', detail, { sdkCode: code });
  }
}

/**
 * Loads the configured vendor's DLL and binds its functions. Throws FingerprintError:
 * 'sdk-not-available' (no DLL file), 'sdk-unsupported-platform' (not Windows), 'sdk-load-failed'
 * (koffi or the DLL would not load, a function is missing, 32/64-bit mismatch).
 */
export async function loadVendorSdk(config: VendorSdkConfig, deps: SdkLoadDependencies = {}): Promise<VendorSdkBinding> {
  const fileExists = deps.fileExists ?? existsSync;
  if (!fileExists(config.dllPath)) throw new FingerprintError('sdk-not-available', `${config.vendor}: DLL not found`);
  if ((deps.platform ?? process.platform) !== 'win32') {
    throw new FingerprintError('sdk-unsupported-platform', `${config.vendor}: vendor SDKs are Windows DLLs`);
  }
  let koffi: typeof Koffi;
  try {
    koffi = await (deps.importKoffi ?? defaultImportKoffi)();
  } catch (thrown) {
    throw new FingerprintError('sdk-load-failed', 'koffi unavailable', { cause: thrown });
  }
  try {
    return bindZkFinger(koffi, config);
  } catch (thrown) {
    if (thrown instanceof FingerprintError) throw thrown;
    throw new FingerprintError('sdk-load-failed', `${config.vendor}: ${thrown instanceof Error ? thrown.name : 'error'}`, { cause: thrown });
  }
}

async function defaultImportKoffi(): Promise<typeof Koffi> {
  const mod = (await import('koffi')) as typeof Koffi & { default?: typeof Koffi };
  return mod.default ?? mod;
}

/** ZKFinger SDK (libzkfp.dll): function list per spec §2.1; __stdcall on 32-bit Windows, ignored on x64. */
function bindZkFinger(koffi: typeof Koffi, config: VendorSdkConfig): VendorSdkBinding {
  const lib = koffi.load(config.dllPath);
  const fn = (name: string, result: string, args: string[]) => lib.func('__stdcall', name, result, args);
  const init = fn('ZKFPM_Init', 'int', []);
  const terminate = fn('ZKFPM_Terminate', 'int', []);
  const getDeviceCount = fn('ZKFPM_GetDeviceCount', 'int', []);
  const openDevice = fn('ZKFPM_OpenDevice', 'void *', ['int']);
  const closeDevice = fn('ZKFPM_CloseDevice', 'int', ['void *']);
  const getParameters = fn('ZKFPM_GetParameters', 'int', ['void *', 'int', '_Out_ uint8_t *', '_Inout_ uint32_t *']);
  const acquire = fn('ZKFPM_AcquireFingerprint', 'int', ['void *', '_Out_ uint8_t *', 'uint32_t', '_Out_ uint8_t *', '_Inout_ uint32_t *']);
  const dbInit = fn('ZKFPM_DBInit', 'void *', []);
  const dbMatch = fn('ZKFPM_DBMatch', 'int', ['void *', 'uint8_t *', 'uint32_t', 'uint8_t *', 'uint32_t']);
  let db: unknown;
  return {
    vendor: 'zkteco',
    templateFormat: 'zkfinger10',
    init: () => init() as number,
    terminate: () => terminate() as number,
    deviceCount: () => getDeviceCount() as number,
    openDevice: (index) => (openDevice(index) as unknown) ?? zkfpCodes.open,
    closeDevice: (handle) => closeDevice(handle) as number,
    getIntParameter: (handle, code) => {
      const value = new Uint8Array(4);
      const size = [4];
      const rc = getParameters(handle, code, value, size) as number;
      return rc === 0 ? new DataView(value.buffer).getUint32(0, true) : undefined;
    },
    acquire: (handle, image, template) => {
      const size = [template.length];
      const code = acquire(handle, image, image.length, template, size) as number;
      return { code, templateLength: size[0] ?? 0 };
    },
    match: (a, b) => {
      db ??= dbInit();
      return dbMatch(db, a, a.length, b, b.length) as number;
    },
    unload: () => lib.unload(),
  };
}
