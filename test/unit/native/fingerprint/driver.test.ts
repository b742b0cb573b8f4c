/**
 * The R30x driver against the virtual module, end to end over the byte protocol (random read sizes):
 * open, capture, quality retries, no finger, transfer faults and their recovery, cancel, unplug, Match.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FingerprintError } from '../../../../core/errors/fingerprint-error.js';
import { captureWithRetries } from '../../../../native/fingerprint/capture-session.js';
import { R30xDriver } from '../../../../native/fingerprint/r30x-driver.js';
import { instruction, IMAGE_HEIGHT, IMAGE_WIDTH } from '../../../../native/fingerprint/r30x-protocol.js';
import { createSimulatedScanner, type SimulatedScanner } from '../../../../native/fingerprint/simulator/simulated-scanner.js';
import { SimulatedSerialTransport } from '../../../../native/simulators/simulated-transports.js';
import { VirtualR30x } from '../../../../native/fingerprint/simulator/virtual-r30x.js';

// Generous reply budgets: the simulator renders a print (tens of ms) inside GenImg, and CI machines are busy.
const fast = { timeouts: { command: 1000, genImg: 1000, img2Tz: 1000, dataIdle: 300 }, pollIntervalMs: 10 };
const rigs: SimulatedScanner[] = [];
const drivers: R30xDriver[] = [];

async function rig(seed = 1): Promise<{ sim: SimulatedScanner; driver: R30xDriver }> {
  const sim = createSimulatedScanner({ timing: 'instant', seed, driver: fast });
  const driver = sim.createDriver();
  rigs.push(sim);
  drivers.push(driver);
  await driver.open();
  return { sim, driver };
}

afterEach(async () => {
  for (const d of drivers.splice(0)) await d.close();
  for (const r of rigs.splice(0)) r.module.dispose();
});

async function rejection(promise: Promise<unknown>): Promise<FingerprintError> {
  try {
    await promise;
  } catch (thrown) {
    expect(thrown).toBeInstanceOf(FingerprintError);
    return thrown as FingerprintError;
  }
  throw new Error('expected a rejection');
}

describe('R30x driver over the simulator', () => {
  it('opens (password + ReadSysPara) and captures image, template and quality', async () => {
    const { sim, driver } = await rig();
    expect(driver.status().state).toBe('ready');
    expect(driver.packetSize).toBe(128);
    sim.control({ action: 'place', fingerId: 'cand-1/right-index', quality: 0.9 });
    const capture = await driver.capture({ timeoutMs: 3000, targetQuality: 40 });
    expect(capture.image.width).toBe(IMAGE_WIDTH);
    expect(capture.image.height).toBe(IMAGE_HEIGHT);
    expect(capture.image.pixels).toHaveLength(IMAGE_WIDTH * IMAGE_HEIGHT);
    // 4-bit sensor: every pixel is a multiple of 17.
    expect(capture.image.pixels.every((v) => v % 17 === 0)).toBe(true);
    expect(capture.template?.format).toBe('r30x-char');
    expect(capture.template?.bytes).toHaveLength(512);
    expect(capture.quality.scale).toBe('image-v1');
    expect(capture.quality.value).toBeGreaterThanOrEqual(60);
    expect(capture.targetQuality).toBe(40);
    expect(capture.imageSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(driver.status().state).toBe('ready');
  });

  it('refuses a wrong password with a typed error', async () => {
    const module = new VirtualR30x({ timing: 'instant', password: 0x1234 });
    const driver = new R30xDriver({ transport: new SimulatedSerialTransport(module, { maxChunk: 64 }), ...fast, password: 1 });
    const error = await rejection(driver.open());
    expect(error.reason).toBe('wrong-password');
    expect(driver.status().state).toBe('fault');
    const good = new R30xDriver({ transport: new SimulatedSerialTransport(module, { maxChunk: 64 }), ...fast, password: 0x1234 });
    await good.open();
    expect(good.status().state).toBe('ready');
    await good.close();
  });

  it('reports no finger as a TIMEOUT-coded error after the capture timeout', async () => {
    const { sim, driver } = await rig();
    let polls = 0;
    sim.module.onCommand((e) => {
      if (e.instruction === 'genImg') polls += 1;
    });
    // The test's own timeout is the hang guard; what matters is that the driver kept polling and then gave up.
    const error = await rejection(driver.capture({ timeoutMs: 300 }));
    expect(error.reason).toBe('no-finger');
    expect(error.code).toBe('TIMEOUT');
    expect(error.userMessage).toContain('手指');
    expect(polls).toBeGreaterThan(1);
    expect(driver.status().state).toBe('ready');
  });

  it('waits for a finger placed while polling', async () => {
    const { sim, driver } = await rig();
    setTimeout(() => sim.control({ action: 'place', fingerId: 'late' }), 80);
    const capture = await driver.capture({ timeoutMs: 2000 });
    expect(capture.quality.value).toBeGreaterThan(40);
  });

  it('retries a poor capture and keeps the best (capture session)', async () => {
    const { sim, driver } = await rig();
    sim.control({ action: 'place', fingerId: 'cand-2/left-index', quality: 0.9 });
    sim.control({ action: 'fault', fault: { kind: 'poor-quality', quality: 0.28 } });
    const seen: number[] = [];
    const result = await captureWithRetries(driver, { config: { maxAttempts: 3, attemptTimeoutMs: 3000 }, onAttempt: (n) => seen.push(n) });
    expect(result.attempts.map((a) => a.quality), JSON.stringify(result.attempts)).toHaveLength(2);
    expect(seen).toEqual([1, 2]);
    expect(result.attempts[0]!.quality).toBeLessThan(40);
    expect(result.attempts[1]!.quality).toBeGreaterThanOrEqual(40);
    expect(result.accepted).toBe(true);
    expect(result.best?.quality.value).toBe(result.attempts[1]!.quality);
  });

  it('keeps the best of all attempts when none reaches the threshold', async () => {
    const { sim, driver } = await rig();
    sim.control({ action: 'place', fingerId: 'dry-finger', quality: 0.3 });
    const result = await captureWithRetries(driver, { config: { maxAttempts: 3, qualityThreshold: 90, attemptTimeoutMs: 3000 } });
    expect(result.attempts).toHaveLength(3);
    expect(result.accepted).toBe(false);
    const qualities = result.attempts.map((a) => a.quality ?? -1);
    expect(result.best?.quality.value).toBe(Math.max(...qualities));
  });

  it('counts a missing finger as a failed attempt and goes on', async () => {
    const { sim, driver } = await rig();
    setTimeout(() => sim.control({ action: 'place', fingerId: 'slow' }), 650);
    const result = await captureWithRetries(driver, { config: { maxAttempts: 2, attemptTimeoutMs: 500 } });
    expect(result.attempts[0]!.error?.reason).toBe('no-finger');
    expect(result.accepted).toBe(true);
  });

  it('recovers from a bad checksum on an acknowledge and on a data packet', async () => {
    const { sim, driver } = await rig();
    sim.control({ action: 'place', fingerId: 'noisy-line' });
    sim.control({ action: 'fault', fault: { kind: 'bad-checksum' }, options: { on: 'genImg' } });
    sim.control({ action: 'fault', fault: { kind: 'bad-checksum', dataPacket: 100 }, options: { on: 'upImage' } });
    sim.control({ action: 'fault', fault: { kind: 'stray-bytes' }, options: { on: 'img2Tz' } });
    const commands: string[] = [];
    sim.module.onCommand((e) => commands.push(e.instruction));
    const capture = await driver.capture({ timeoutMs: 3000 });
    expect(capture.template).toBeDefined();
    expect(commands.filter((c) => c === 'upImage')).toHaveLength(2);
    expect(sim.module.pendingFaults).toEqual([]);
  });

  it('fails with bad-checksum when the line stays bad, and works again once it is clean', async () => {
    const { sim, driver } = await rig();
    sim.control({ action: 'place', fingerId: 'x' });
    sim.control({ action: 'fault', fault: { kind: 'bad-checksum' }, options: { on: 'genImg', sticky: true } });
    const error = await rejection(driver.capture({ timeoutMs: 2000 }));
    expect(error.reason).toBe('bad-checksum');
    expect(driver.status().state).toBe('fault');
    sim.control({ action: 'clear-faults' });
    // A fault state does not block the next capture: the module answered, only the line was bad.
    expect(driver.status().error?.reason).toBe('bad-checksum');
  });

  it('retries a lost reply (timeout) and a finger lifted mid-upload', async () => {
    const { sim, driver } = await rig();
    sim.control({ action: 'place', fingerId: 'y' });
    sim.control({ action: 'fault', fault: { kind: 'no-reply' }, options: { on: 'img2Tz' } });
    sim.control({ action: 'fault', fault: { kind: 'removed-mid-upload', afterPackets: 50 } });
    const capture = await driver.capture({ timeoutMs: 3000 });
    // The module keeps its image buffer after the finger left, so the repeated UpImage completes.
    expect(capture.image.pixels).toHaveLength(IMAGE_WIDTH * IMAGE_HEIGHT);
    expect(sim.module.finger).toBeUndefined();
  });

  it('gives up with truncated when every upload stops half-way', async () => {
    const { sim, driver } = await rig();
    sim.control({ action: 'place', fingerId: 'z' });
    sim.control({ action: 'fault', fault: { kind: 'removed-mid-upload', afterPackets: 10 }, options: { on: 'upImage', sticky: true } });
    const error = await rejection(driver.capture({ timeoutMs: 3000 }));
    expect(error.reason).toBe('truncated');
  });

  it('maps a messy image (Img2Tz 06) to poor-image with the confirmation code', async () => {
    const { sim, driver } = await rig();
    sim.control({ action: 'place', fingerId: 'w' });
    sim.control({ action: 'fault', fault: { kind: 'confirm', code: 0x06 }, options: { on: 'img2Tz' } });
    const error = await rejection(driver.capture({ timeoutMs: 3000 }));
    expect(error.reason).toBe('poor-image');
    expect(error.confirmationCode).toBe(0x06);
    expect(error.userMessage).toContain('指纹');
  });

  it('cancels a capture waiting for a finger (cancel() and AbortSignal) and stays usable', async () => {
    const { sim, driver } = await rig();
    setTimeout(() => driver.cancel(), 60);
    expect((await rejection(driver.capture({ timeoutMs: 5000 }))).reason).toBe('cancelled');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 60);
    expect((await rejection(driver.capture({ timeoutMs: 5000, signal: controller.signal }))).reason).toBe('cancelled');
    expect(driver.status().state).toBe('ready');
    sim.control({ action: 'place', fingerId: 'after-cancel' });
    expect((await driver.capture({ timeoutMs: 3000 })).template).toBeDefined();
  });

  it('cancels during a slow upload and the next capture gets a clean link', async () => {
    const { sim, driver } = await rig();
    sim.module.setTiming({ genImg: 0, img2Tz: 0, match: 0, other: 0, baudRate: 2_000_000 });
    sim.control({ action: 'place', fingerId: 'slow-link' });
    const uploading = new Promise<void>((resolve) => {
      sim.module.onCommand((e) => {
        if (e.instruction === 'upImage') resolve();
      });
    });
    const capture = driver.capture({ timeoutMs: 5000 });
    capture.catch(() => undefined);
    await uploading;
    // Cancel in the same turn the module took up UpImage: the paced link has ~36 KB still to send.
    driver.cancel();
    expect((await rejection(capture)).reason).toBe('cancelled');
    const next = await driver.capture({ timeoutMs: 5000 });
    expect(next.template?.bytes).toHaveLength(512);
  });

  it('rejects a second capture while one runs (busy)', async () => {
    const { driver } = await rig();
    const first = driver.capture({ timeoutMs: 300 });
    expect((await rejection(driver.capture({ timeoutMs: 300 }))).reason).toBe('busy');
    await first.catch(() => undefined);
  });

  it('reports an unplug mid-capture as disconnected', async () => {
    const { sim, driver } = await rig();
    const states: string[] = [];
    driver.onStatus((s) => states.push(s.state));
    setTimeout(() => sim.control({ action: 'unplug' }), 50);
    expect((await rejection(driver.capture({ timeoutMs: 3000 }))).reason).toBe('disconnected');
    expect(driver.status().state).toBe('disconnected');
    expect(states).toContain('disconnected');
  });

  it('compares templates on the module with DownChar + Match', async () => {
    const { sim, driver } = await rig();
    const take = async (fingerId: string) => {
      sim.control({ action: 'place', fingerId });
      const c = await driver.capture({ timeoutMs: 3000 });
      sim.control({ action: 'lift' });
      return c.template!;
    };
    const a1 = await take('cand-3/right-index');
    const a2 = await take('cand-3/right-index');
    const b = await take('cand-3/left-index');
    const commands: string[] = [];
    sim.module.onCommand((e) => commands.push(e.instruction));
    expect(await driver.match(a1, a2)).toBeGreaterThanOrEqual(driver.matchThreshold);
    expect(await driver.match(a1, b)).toBeLessThan(driver.matchThreshold);
    expect(commands.slice(0, 3)).toEqual(['downChar', 'downChar', 'match']);
  });

  it('speaks the real packet bytes (GenImg first on capture)', async () => {
    const module = new VirtualR30x({ timing: 'instant' });
    const transport = new SimulatedSerialTransport(module, { maxChunk: 64 });
    const written: number[][] = [];
    const write = transport.write.bind(transport);
    transport.write = (bytes) => {
      written.push(Array.from(bytes));
      return write(bytes);
    };
    const driver = new R30xDriver({ transport, ...fast });
    await driver.open();
    module.placeFinger('bytes');
    await driver.capture({ timeoutMs: 2000 });
    await driver.close();
    expect(written[0]!.slice(0, 10)).toEqual([0xef, 0x01, 0xff, 0xff, 0xff, 0xff, 0x01, 0x00, 0x07, instruction.vfyPwd]);
    expect(written[2]).toEqual([0xef, 0x01, 0xff, 0xff, 0xff, 0xff, 0x01, 0x00, 0x03, 0x01, 0x00, 0x05]);
  });
});
