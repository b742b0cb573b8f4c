import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { FingerprintCaptureResult, type FingerprintProgressEvent } from '../../../core/contract/fingerprint.js';
import { parseStationConfig } from '../../../host/config/station-config.js';
import { silentLogger } from '../../../core/logging/logger.js';
import { createStationHost, type StationHost } from '../../../host/station-host.js';
import { crc32, encodeGrayPng } from '../../../host/services/fingerprint-png.js';
import { until } from '../../support/eventually.js';

const SAMPLE = path.resolve('assets/roster/sample-roster.json');
const SESSION = '123e4567-e89b-42d3-a456-426614174000';
let host: StationHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

async function start(simulators: 'on' | 'off' = 'on', extra: Record<string, unknown> = {}) {
  host = await createStationHost({
    hostKind: 'browser',
    appVersion: 'test',
    config: parseStationConfig({ simulators, simulatorTiming: 'instant', idcardReader: { hid: [], serial: [] }, ...extra }, 't'),
    defaultRosterSeedFile: SAMPLE,
    logger: silentLogger,
  });
  const events: [string, unknown][] = [];
  host.subscribe('staff', (e, p) => events.push([e, p]));
  return { host, events };
}

async function ok<T = unknown>(reply: Promise<{ ok: boolean; value?: unknown; error?: unknown }>): Promise<T> {
  const r = await reply;
  if (!r.ok) throw new Error(`call failed: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

async function scannerState(h: StationHost): Promise<string | undefined> {
  const list = await ok<{ kind: string; state: string; simulated: boolean }[]>(h.dispatch('staff', 'devices.list', {}));
  return list.find((d) => d.kind === 'fingerprint-scanner')?.state;
}

describe('fingerprint PNG encoder', () => {
  it('writes a valid 8-bit grayscale PNG whose pixels inflate back unchanged', () => {
    const pixels = Uint8Array.from({ length: 7 * 5 }, (_, i) => (i * 37) & 0xff);
    const png = encodeGrayPng({ width: 7, height: 5, pixels, dpi: 500 });
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer);
    // IHDR: 7×5, depth 8, colour type 0, with a correct CRC.
    expect(String.fromCharCode(...png.subarray(12, 16))).toBe('IHDR');
    expect([view.getUint32(16), view.getUint32(20), png[24], png[25]]).toEqual([7, 5, 8, 0]);
    expect(view.getUint32(29)).toBe((crc32(png.subarray(12, 29)) ^ 0xffffffff) >>> 0);
    // Walk the chunks to IDAT.
    let at = 8;
    const idat: Uint8Array[] = [];
    const types: string[] = [];
    while (at < png.length) {
      const length = view.getUint32(at);
      const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
      types.push(type);
      if (type === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
      at += 12 + length;
    }
    expect(types).toEqual(['IHDR', 'pHYs', 'IDAT', 'IEND']);
    const raw = inflateSync(Buffer.concat(idat));
    for (let y = 0; y < 5; y += 1) {
      expect(raw[y * 8]).toBe(0);
      expect([...raw.subarray(y * 8 + 1, y * 8 + 8)]).toEqual([...pixels.subarray(y * 7, y * 7 + 7)]);
    }
  });

  it('refuses a pixel buffer that does not fit the size', () => {
    expect(() => encodeGrayPng({ width: 4, height: 4, pixels: new Uint8Array(15) })).toThrow(RangeError);
  });
});

describe('fingerprint scanner in the station host', () => {
  it('replaces the presence stand-in with the simulated R30x and captures through the real driver', async () => {
    const { host, events } = await start();
    await until(async () => (await scannerState(host)) === 'ready');
    expect(host.info.fingerprint).toEqual({ fingers: [2, 7], qualityThreshold: 40, maxAttempts: 3 });
    // The old stand-in could be switched by devices.simulate; the real simulator cannot.
    expect(await host.dispatch('staff', 'devices.simulate', { kind: 'fingerprint-scanner', state: 'fault' })).toMatchObject({ ok: false });

    await ok(host.dispatch('staff', 'simulator.fingerprint', { action: 'place', fingerId: 'cand-R2', quality: 0.9 }));
    const result = await ok<FingerprintCaptureResult>(host.dispatch('staff', 'fingerprint.capture', { finger: 2, sessionId: SESSION }));
    expect(FingerprintCaptureResult.safeParse(result).success).toBe(true);
    expect(result).toMatchObject({ finger: 2, accepted: true, attempts: 1, targetQuality: 40, qualityScale: 'image-v1', width: 256, height: 288, templateFormat: 'r30x-char' });
    expect(result.quality).toBeGreaterThanOrEqual(40);
    expect(Buffer.from(result.imagePng, 'base64').subarray(1, 4).toString()).toBe('PNG');
    const progress = events.filter(([e]) => e === 'fingerprint.progress').map(([, p]) => p as FingerprintProgressEvent);
    expect(progress.map((p) => p.phase)).toEqual(['waiting', 'result']);
    expect(progress[0]!.message).toContain('请将手指平放在指纹仪上');
  });

  it('retries a low-quality attempt and keeps the better one', async () => {
    const { host, events } = await start();
    await until(async () => (await scannerState(host)) === 'ready');
    await ok(host.dispatch('staff', 'simulator.fingerprint', { action: 'place', fingerId: 'cand-R2', quality: 0.9 }));
    // The next image only is poor (a smudge), the retry is clean.
    await ok(host.dispatch('staff', 'simulator.fingerprint', { action: 'fault', fault: { kind: 'poor-quality', quality: 0.3 } }));
    const result = await ok<FingerprintCaptureResult>(host.dispatch('staff', 'fingerprint.capture', { finger: 2, sessionId: SESSION, targetQuality: 40 }));
    expect(result.accepted).toBe(true);
    expect(result.attempts).toBe(2);
    const firstResult = events.map(([, p]) => p as FingerprintProgressEvent).find((p) => p.phase === 'result');
    expect(firstResult?.message).toMatch(/质量为 \d+，低于要求的 40|指纹图像不清晰/);
  });

  it('keeps the best of all attempts when none reaches the threshold', async () => {
    const { host } = await start();
    await until(async () => (await scannerState(host)) === 'ready');
    await ok(host.dispatch('staff', 'simulator.fingerprint', { action: 'place', fingerId: 'cand-R2', quality: 0.9 }));
    const result = await ok<FingerprintCaptureResult>(host.dispatch('staff', 'fingerprint.capture', { finger: 2, targetQuality: 100, maxAttempts: 2 }));
    expect(result.accepted).toBe(false);
    expect(result.attempts).toBe(2);
  });

  it('flags the same finger presented twice and passes two different fingers', async () => {
    const { host } = await start();
    await until(async () => (await scannerState(host)) === 'ready');
    const capture = async (fingerId: string, finger: number) => {
      await ok(host.dispatch('staff', 'simulator.fingerprint', { action: 'place', fingerId, quality: 0.9 }));
      return ok<FingerprintCaptureResult>(host.dispatch('staff', 'fingerprint.capture', { finger, sessionId: SESSION }));
    };
    const right = await capture('cand-R2', 2);
    const again = await capture('cand-R2', 7);
    const left = await capture('cand-L7', 7);
    const same = await ok<{ duplicate: boolean; evidence: { method: string }[] }>(
      host.dispatch('staff', 'fingerprint.checkDuplicate', { first: right.captureId, second: again.captureId }),
    );
    expect(same.duplicate).toBe(true);
    expect(same.evidence.map((e) => e.method)).toContain('device-match');
    const different = await ok<{ duplicate: boolean }>(host.dispatch('staff', 'fingerprint.checkDuplicate', { first: right.captureId, second: left.captureId }));
    expect(different.duplicate).toBe(false);
  });

  it('forgets the previous session’s captures when a new session captures', async () => {
    const { host } = await start();
    await until(async () => (await scannerState(host)) === 'ready');
    await ok(host.dispatch('staff', 'simulator.fingerprint', { action: 'place', fingerId: 'a', quality: 0.9 }));
    const first = await ok<FingerprintCaptureResult>(host.dispatch('staff', 'fingerprint.capture', { finger: 2, sessionId: SESSION }));
    const second = await ok<FingerprintCaptureResult>(host.dispatch('staff', 'fingerprint.capture', { finger: 7, sessionId: '123e4567-e89b-42d3-a456-426614174001' }));
    expect(await host.dispatch('staff', 'fingerprint.checkDuplicate', { first: first.captureId, second: second.captureId })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: '该次指纹采集已失效，请重新采集。' },
    });
  });

  it('fails with a Chinese message when no finger comes, and cancel ends a waiting capture', async () => {
    const { host, events } = await start();
    await until(async () => (await scannerState(host)) === 'ready');
    expect(await host.dispatch('staff', 'fingerprint.capture', { finger: 2, timeoutMs: 500, maxAttempts: 1 })).toMatchObject({
      ok: false,
      error: { code: 'TIMEOUT', reason: 'no-finger' },
    });
    const waitingSeen = events.filter(([e, p]) => e === 'fingerprint.progress' && (p as FingerprintProgressEvent).phase === 'waiting').length;
    const waiting = host.dispatch('staff', 'fingerprint.capture', { finger: 2, timeoutMs: 10_000 });
    // Cancel once the capture is really waiting for a finger (its progress event), not after a guessed delay.
    await until(
      () => events.filter(([e, p]) => e === 'fingerprint.progress' && (p as FingerprintProgressEvent).phase === 'waiting').length > waitingSeen,
      'second capture waiting',
    );
    expect(await host.dispatch('staff', 'fingerprint.cancel', {})).toEqual({ ok: true, value: { ok: true } });
    expect(await waiting).toMatchObject({ ok: false, error: { reason: 'cancelled', message: '指纹采集已取消。' } });
  });

  it('shows the scanner disconnected on unplug, refuses captures, and is ready again after replug', async () => {
    const { host } = await start();
    await until(async () => (await scannerState(host)) === 'ready');
    await ok(host.dispatch('staff', 'simulator.fingerprint', { action: 'unplug' }));
    await until(async () => (await scannerState(host)) === 'disconnected');
    expect(await host.dispatch('staff', 'fingerprint.capture', { finger: 2 })).toMatchObject({ ok: false, error: { code: 'DEVICE', reason: 'disconnected' } });
    await ok(host.dispatch('staff', 'simulator.fingerprint', { action: 'replug' }));
    await until(async () => (await scannerState(host)) === 'ready');
    await ok(host.dispatch('staff', 'simulator.fingerprint', { action: 'place', fingerId: 'a' }));
    await ok(host.dispatch('staff', 'fingerprint.capture', { finger: 2 }));
  });

  it('validates payloads and keeps simulator and capture calls away from the kiosk and from real hardware', async () => {
    const { host } = await start('off');
    expect(await host.dispatch('staff', 'fingerprint.capture', { finger: 11 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await host.dispatch('staff', 'simulator.fingerprint', { action: 'place', fingerId: 'x y' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await host.dispatch('staff', 'simulator.fingerprint', { action: 'fault', fault: { kind: 'melt' } })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await host.dispatch('kiosk', 'fingerprint.capture', { finger: 2 })).toMatchObject({ ok: false, error: { code: 'ACCESS_DENIED' } });
    expect(await host.dispatch('kiosk', 'simulator.fingerprint', { action: 'lift' })).toMatchObject({ ok: false, error: { code: 'ACCESS_DENIED' } });
    // Simulators off: the scanner is (would be) real hardware, the simulator is refused.
    expect(await host.dispatch('staff', 'simulator.fingerprint', { action: 'lift' })).toMatchObject({
      ok: false,
      error: { code: 'DEVICE', message: '该设备是真实硬件，不能切换模拟状态。' },
    });
    expect(await scannerState(host)).toBe('disconnected');
  });

  it('reads the fingerprint section of the station config', () => {
    const config = parseStationConfig(
      { fingerprintScanner: { serial: [{ vendorId: 0x1a86, productId: 0x7523 }], baudRate: 115200, password: 1, fingers: [3, 8], vendorSdk: { dllPath: 'C:\\zk\\libzkfp.dll' } } },
      't',
    );
    expect(config.fingerprintScanner).toMatchObject({ baudRate: 115200, password: 1, address: 0xffffffff, fingers: [3, 8], vendorSdk: { vendor: 'zkteco', deviceIndex: 0 } });
    expect(() => parseStationConfig({ fingerprintScanner: { baudRate: 12345 } }, 't')).toThrow();
  });
});
