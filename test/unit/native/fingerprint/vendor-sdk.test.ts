/**
 * The Windows vendor SDK slot without any DLL: absence gives a typed 'sdk-not-available' and never touches
 * koffi; bad config is a VALIDATION-coded error; a fake binding drives capture and the SDK code mapping.
 */
import { describe, expect, it } from 'vitest';
import { FingerprintError } from '../../../../core/errors/fingerprint-error.js';
import { loadVendorSdk, sdkError, type VendorSdkBinding } from '../../../../native/fingerprint/vendor-sdk/sdk-binding.js';
import { parseVendorSdkConfig } from '../../../../native/fingerprint/vendor-sdk/sdk-config.js';
import { VendorSdkDriver, vendorSdkFactory } from '../../../../native/fingerprint/vendor-sdk/vendor-sdk-driver.js';
import { renderFinger } from '../../../../native/fingerprint/simulator/synthetic-finger.js';

const missing = { dllPath: 'C:\\nowhere\\libzkfp-does-not-exist.dll' };

async function rejection(promise: Promise<unknown>): Promise<FingerprintError> {
  try {
    await promise;
  } catch (thrown) {
    expect(thrown).toBeInstanceOf(FingerprintError);
    return thrown as FingerprintError;
  }
  throw new Error('expected a rejection');
}

describe('vendor SDK slot', () => {
  it('gives sdk-not-available for a missing DLL without importing koffi, on any platform', async () => {
    for (const platform of ['win32', 'linux'] as const) {
      let imported = 0;
      const error = await rejection(
        loadVendorSdk(parseVendorSdkConfig(missing), {
          platform,
          importKoffi: () => {
            imported += 1;
            return Promise.reject(new Error('must not load'));
          },
        }),
      );
      expect(error.reason).toBe('sdk-not-available');
      expect(error.userMessage).toContain('DLL');
      expect(error.retryable).toBe(false);
      expect(imported).toBe(0);
    }
  });

  it('refuses a present DLL on a non-Windows machine before loading anything', async () => {
    let imported = 0;
    const error = await rejection(
      loadVendorSdk(parseVendorSdkConfig(missing), {
        platform: 'linux',
        fileExists: () => true,
        importKoffi: () => {
          imported += 1;
          return Promise.reject(new Error('must not load'));
        },
      }),
    );
    expect(error.reason).toBe('sdk-unsupported-platform');
    expect(imported).toBe(0);
  });

  it('turns a koffi that cannot load into sdk-load-failed', async () => {
    const error = await rejection(
      loadVendorSdk(parseVendorSdkConfig(missing), { platform: 'win32', fileExists: () => true, importKoffi: () => Promise.reject(new Error('no addon')) }),
    );
    expect(error.reason).toBe('sdk-load-failed');
  });

  it('the driver opens into a fault state with the typed error when the DLL is absent', async () => {
    const driver = new VendorSdkDriver({ config: missing });
    const error = await rejection(driver.open());
    expect(error.reason).toBe('sdk-not-available');
    expect(driver.status()).toMatchObject({ state: 'fault', error: { reason: 'sdk-not-available' } });
    expect((await rejection(driver.capture({ timeoutMs: 100 }))).reason).toBe('not-open');
    await driver.close();
  });

  it('discovery reports nothing when the DLL is absent', async () => {
    expect(await vendorSdkFactory(missing).discover()).toEqual([]);
    expect(await vendorSdkFactory(missing, { loadDependencies: { fileExists: () => true } }).discover()).toHaveLength(1);
  });

  it('rejects invalid configuration with a VALIDATION-coded error naming the field only', () => {
    let error: unknown;
    try {
      parseVendorSdkConfig({ dllPath: '', pollIntervalMs: 1 });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(FingerprintError);
    expect((error as FingerprintError).code).toBe('VALIDATION');
    expect((error as FingerprintError).detail).toContain('dllPath');
  });

  it('maps ZKFinger return codes to reasons', () => {
    expect(sdkError(-8, 'acquire').reason).toBe('no-finger');
    expect(sdkError(-9, 'acquire').reason).toBe('poor-image');
    expect(sdkError(-12, 'acquire').reason).toBe('busy');
    expect(sdkError(-3, 'open').userMessage).toContain('未找到指纹仪');
    expect(sdkError(-99, 'x')).toMatchObject({ reason: 'sdk-error', sdkCode: -99 });
  });

  it('captures through a binding: polls past "no finger", then image + template + quality', async () => {
    const print = renderFinger({ fingerId: 'sdk', quality: 0.9 }).image;
    let polls = 0;
    const binding: VendorSdkBinding = {
      vendor: 'zkteco',
      templateFormat: 'zkfinger10',
      init: () => 0,
      terminate: () => 0,
      deviceCount: () => 1,
      openDevice: () => ({ device: 0 }),
      closeDevice: () => 0,
      getIntParameter: (_h, code) => (code === 1 ? 256 : code === 2 ? 288 : undefined),
      acquire: (_h, image, template) => {
        polls += 1;
        if (polls < 3) return { code: -8, templateLength: 0 };
        image.set(print.pixels);
        template.set([1, 2, 3]);
        return { code: 0, templateLength: 3 };
      },
      match: () => 77,
      unload: () => undefined,
    };
    const driver = new VendorSdkDriver({ config: { ...missing, pollIntervalMs: 20 }, load: () => Promise.resolve(binding) });
    await driver.open();
    expect(driver.info).toMatchObject({ width: 256, height: 288 });
    const capture = await driver.capture({ timeoutMs: 2000, targetQuality: 40 });
    expect(polls).toBe(3);
    expect(capture.template).toEqual({ format: 'zkfinger10', bytes: Uint8Array.of(1, 2, 3) });
    expect(capture.quality.value).toBeGreaterThan(60);
    expect(await driver.match(capture.template!, capture.template!)).toBe(77);
    await driver.close();
  });
});
