/**
 * The FingerprintDriver for R30x/AS60x/ZFM UART modules over any ByteTransport (SerialTransport on hardware,
 * the simulators' SimulatedSerialTransport in tests and demos). One command at a time: command packet → acknowledge, then data
 * packets for uploads. Transfer glitches (bad checksum, cut-short packets, a lost reply) are retried a set
 * number of times, since every command used here can be repeated safely; what the module itself reports
 * (no finger, messy image …) becomes a FingerprintError with the catalogue's message.
 */
import { createHash } from 'node:crypto';
import { FingerprintError } from '../../core/errors/fingerprint-error.js';
import type { ByteTransport } from '../transport/byte-transport.js';
import type {
  CaptureOptions,
  FingerprintCapture,
  FingerprintDeviceInfo,
  FingerprintDriver,
  FingerprintStatus,
  FingerprintTemplate,
  GrayImage,
} from './fingerprint-driver.js';
import { R30xPacketParser } from './packet-parser.js';
import { imageQuality } from './quality.js';
import {
  confirm,
  decodeSysParams,
  DEFAULT_ADDRESS,
  DEFAULT_PASSWORD,
  encodeCommand,
  encodeDataPackets,
  IMAGE_BYTES,
  IMAGE_HEIGHT,
  IMAGE_WIDTH,
  instruction,
  instructionName,
  packetSizes,
  pid,
  u32be,
  unpackImage4,
  type R30xPacket,
} from './r30x-protocol.js';

export const R30X_TEMPLATE_FORMAT = 'r30x-char';
/** Module match scores at or above this mean the same finger (security level 3 on common firmware). */
export const R30X_MATCH_THRESHOLD = 50;

export interface R30xTimeouts {
  /** Acknowledge of a quick command. */
  command: number;
  /** GenImg: the sensor exposes and checks for a finger. */
  genImg: number;
  /** Img2Tz: feature extraction on the module's DSP. */
  img2Tz: number;
  /** Longest gap between two data packets of an upload. */
  dataIdle: number;
}

export const defaultR30xTimeouts: Readonly<R30xTimeouts> = { command: 1000, genImg: 2000, img2Tz: 3000, dataIdle: 1000 };

export interface R30xDriverOptions {
  transport: ByteTransport;
  address?: number;
  password?: number;
  timeouts?: Partial<R30xTimeouts>;
  /** Between GenImg polls while no finger is on the sensor. */
  pollIntervalMs?: number;
  /** Repeats of a command after a transfer error (bad checksum, lost or cut-short reply). Default 2. */
  transferRetries?: number;
  /** Shown as the model; defaults to the transport's description. */
  description?: string;
}

/** Transfer errors a repeat can cure; the module's own answers are not retried here. */
const transferReasons: ReadonlySet<string> = new Set(['bad-checksum', 'bad-length', 'bad-packet-id', 'truncated', 'timeout']);

interface Ack {
  confirmation: number;
  data: Uint8Array;
}

/** Whoever waits for the module's next packets; it ignores packets it has no use for (stale ones). */
interface Waiter {
  onPacket: (packet: R30xPacket) => void;
  reject: (error: FingerprintError) => void;
}

export class R30xDriver implements FingerprintDriver {
  readonly info: FingerprintDeviceInfo;
  readonly matchThreshold = R30X_MATCH_THRESHOLD;
  readonly #transport: ByteTransport;
  readonly #parser = new R30xPacketParser();
  readonly #address: number;
  readonly #password: number;
  readonly #timeouts: R30xTimeouts;
  readonly #pollMs: number;
  readonly #retries: number;
  readonly #statusListeners = new Set<(status: FingerprintStatus) => void>();
  #status: FingerprintStatus = { state: 'closed' };
  #waiter: Waiter | undefined;
  /** Exchanges run one after another, even when a cancelled capture left one in flight. */
  #lock: Promise<void> = Promise.resolve();
  #stops: (() => void)[] = [];
  #packetSize = 128;
  #cancel: ((error: FingerprintError) => void) | undefined;

  constructor(options: R30xDriverOptions) {
    this.#transport = options.transport;
    this.#address = (options.address ?? DEFAULT_ADDRESS) >>> 0;
    this.#password = (options.password ?? DEFAULT_PASSWORD) >>> 0;
    this.#timeouts = { ...defaultR30xTimeouts, ...options.timeouts };
    this.#pollMs = options.pollIntervalMs ?? 150;
    this.#retries = options.transferRetries ?? 2;
    this.info = {
      driver: 'r30x',
      description: options.description ?? options.transport.description,
      width: IMAGE_WIDTH,
      height: IMAGE_HEIGHT,
      dpi: 500,
      templateFormat: R30X_TEMPLATE_FORMAT,
      supports: { onDeviceMatch: true, imageUpload: true, antiSpoof: false },
    };
  }

  status(): FingerprintStatus {
    return this.#status;
  }

  onStatus(listener: (status: FingerprintStatus) => void): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  /** Data packet payload size the module reported at open (ReadSysPara). */
  get packetSize(): number {
    return this.#packetSize;
  }

  async open(): Promise<void> {
    if (this.#status.state !== 'closed' && this.#status.state !== 'disconnected' && this.#status.state !== 'fault') return;
    this.#setStatus({ state: 'opening' });
    this.#parser.reset();
    this.#stops.push(this.#transport.onData((bytes) => this.#onBytes(bytes)));
    this.#stops.push(this.#transport.onClose(() => this.#lost()));
    try {
      await this.#transport.open();
      const pwd = await this.#request(instruction.vfyPwd, u32be(this.#password), this.#timeouts.command);
      if (pwd.confirmation === confirm.wrongPassword) {
        throw new FingerprintError('wrong-password', 'VfyPwd refused', { confirmationCode: pwd.confirmation });
      }
      if (pwd.confirmation !== confirm.ok) throw statusError(pwd.confirmation, 'vfyPwd');
      const sys = await this.#request(instruction.readSysPara, [], this.#timeouts.command);
      const params = sys.confirmation === confirm.ok ? decodeSysParams(sys.data) : undefined;
      // Modules without ReadSysPara keep the common default of 128-byte packets.
      this.#packetSize = params ? (packetSizes[params.packetSizeCode] ?? 128) : 128;
      this.#setStatus({ state: 'ready' });
    } catch (thrown) {
      const error = asFingerprintError(thrown, 'open');
      this.#detach();
      await this.#transport.close().catch(() => undefined);
      this.#setStatus({ state: error.reason === 'disconnected' ? 'disconnected' : 'fault', error });
      throw error;
    }
  }

  async close(): Promise<void> {
    this.cancel();
    this.#detach();
    this.#failWaiter(new FingerprintError('disconnected', 'closed'));
    await this.#transport.close().catch(() => undefined);
    this.#setStatus({ state: 'closed' });
  }

  cancel(): void {
    this.#cancel?.(new FingerprintError('cancelled', 'capture cancelled'));
  }

  async capture(options: CaptureOptions): Promise<FingerprintCapture> {
    if (this.#status.state === 'capturing') throw new FingerprintError('busy', 'a capture is running');
    // 'fault' means the last transfer failed, not that the module is gone: the next capture may well work.
    if (this.#status.state !== 'ready' && this.#status.state !== 'fault') throw new FingerprintError('not-open', `state ${this.#status.state}`);
    if (options.signal?.aborted) throw new FingerprintError('cancelled', 'signal already aborted');
    this.#setStatus({ state: 'capturing' });
    const started = performance.now();
    let stopped: FingerprintError | undefined;
    const cancelled = new Promise<never>((_, reject) => {
      this.#cancel = (error) => {
        stopped ??= error;
        reject(error);
      };
    });
    cancelled.catch(() => undefined);
    const onAbort = () => this.cancel();
    options.signal?.addEventListener('abort', onAbort);
    const deadline = Date.now() + options.timeoutMs;
    const progress = { fingerSeen: false };
    const overall = setTimeout(() => {
      this.#cancel?.(
        progress.fingerSeen
          ? new FingerprintError('timeout', `capture not finished within ${options.timeoutMs} ms`)
          : new FingerprintError('no-finger', `no finger within ${options.timeoutMs} ms`),
      );
    }, options.timeoutMs);
    try {
      const steps = this.#captureSteps(deadline, () => stopped, progress);
      steps.catch(() => undefined);
      const { image, template } = await Promise.race([steps, cancelled]);
      const quality = imageQuality(image);
      return {
        image,
        template,
        quality: { scale: quality.scale, value: quality.value },
        targetQuality: options.targetQuality ?? 0,
        imageSha256: createHash('sha256').update(image.pixels).digest('hex'),
        capturedAt: new Date().toISOString(),
        durationMs: Math.round(performance.now() - started),
      };
    } catch (thrown) {
      const error = asFingerprintError(thrown, 'capture');
      // The link itself failing leaves the scanner at fault until a command succeeds again.
      if (error.reason === 'disconnected') this.#setStatus({ state: 'disconnected', error });
      else if (transferReasons.has(error.reason)) this.#setStatus({ state: 'fault', error });
      throw error;
    } finally {
      clearTimeout(overall);
      options.signal?.removeEventListener('abort', onAbort);
      this.#cancel = undefined;
      if (this.status().state === 'capturing') this.#setStatus({ state: 'ready' });
    }
  }

  /** DownChar both templates into CharBuffer 1 and 2, then Match: the module's score (0 = no match). */
  async match(a: FingerprintTemplate, b: FingerprintTemplate): Promise<number> {
    if (a.format !== R30X_TEMPLATE_FORMAT || b.format !== R30X_TEMPLATE_FORMAT) return 0;
    if (this.#status.state !== 'ready' && this.#status.state !== 'fault') throw new FingerprintError('not-open', `state ${this.#status.state}`);
    await this.#download(1, a.bytes);
    await this.#download(2, b.bytes);
    const reply = await this.#request(instruction.match, [], this.#timeouts.command);
    if (reply.confirmation === confirm.noMatch) return 0;
    if (reply.confirmation !== confirm.ok) throw statusError(reply.confirmation, 'match');
    return ((reply.data[0] ?? 0) << 8) | (reply.data[1] ?? 0);
  }

  // ---------------------------------------------------------------------------------------------------------

  async #captureSteps(
    deadline: number,
    stopped: () => FingerprintError | undefined,
    progress: { fingerSeen: boolean },
  ): Promise<{ image: GrayImage; template: FingerprintTemplate }> {
    const check = () => {
      const error = stopped();
      if (error) throw error;
    };
    for (;;) {
      check();
      const reply = await this.#request(instruction.genImg, [], this.#timeouts.genImg);
      check();
      if (reply.confirmation === confirm.ok) {
        progress.fingerSeen = true;
        break;
      }
      // 02: nothing on the sensor yet; 03: the finger moved during exposure. Both: look again.
      if (reply.confirmation !== confirm.noFinger && reply.confirmation !== confirm.imageFail) {
        throw statusError(reply.confirmation, 'genImg');
      }
      if (Date.now() + this.#pollMs >= deadline) throw new FingerprintError('no-finger', 'no finger before the deadline');
      await sleep(this.#pollMs);
    }
    const packed = await this.#upload(instruction.upImage, []);
    check();
    if (packed.length !== IMAGE_BYTES) {
      throw new FingerprintError(packed.length < IMAGE_BYTES ? 'truncated' : 'bad-payload', `image of ${packed.length} bytes`);
    }
    const image: GrayImage = { width: IMAGE_WIDTH, height: IMAGE_HEIGHT, dpi: 500, pixels: unpackImage4(packed) };
    const tz = await this.#request(instruction.img2Tz, [1], this.#timeouts.img2Tz);
    check();
    if (tz.confirmation === confirm.imageMessy || tz.confirmation === confirm.tooFewFeatures || tz.confirmation === confirm.invalidImage) {
      throw new FingerprintError('poor-image', `img2Tz ${tz.confirmation}`, { confirmationCode: tz.confirmation });
    }
    if (tz.confirmation !== confirm.ok) throw statusError(tz.confirmation, 'img2Tz');
    const template = await this.#upload(instruction.upChar, [1]);
    check();
    if (template.length === 0) throw new FingerprintError('bad-payload', 'empty template');
    return { image, template: { format: R30X_TEMPLATE_FORMAT, bytes: template } };
  }

  /** A command and its acknowledge, repeated after transfer errors. */
  async #request(code: number, params: readonly number[], timeoutMs: number): Promise<Ack> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const packet = await this.#locked(() => this.#exchangeAck(encodeCommand(code, params, this.#address), timeoutMs));
        return { confirmation: packet.payload[0] ?? 0xff, data: packet.payload.subarray(1) };
      } catch (thrown) {
        const error = asFingerprintError(thrown, commandLabel(code));
        if (attempt >= this.#retries || !transferReasons.has(error.reason)) throw error;
      }
    }
  }

  /** A command whose acknowledge is followed by data packets (UpImage, UpChar). */
  async #upload(code: number, params: readonly number[]): Promise<Uint8Array> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.#locked(() => this.#exchangeUpload(code, params));
      } catch (thrown) {
        const error = asFingerprintError(thrown, commandLabel(code));
        if (attempt >= this.#retries || !transferReasons.has(error.reason)) throw error;
      }
    }
  }

  /** DownChar: the acknowledge, then the template as data packets from the host. */
  async #download(buffer: number, bytes: Uint8Array): Promise<void> {
    const ack = await this.#request(instruction.downChar, [buffer], this.#timeouts.command);
    if (ack.confirmation !== confirm.ok) throw statusError(ack.confirmation, 'downChar');
    await this.#locked(async () => {
      for (const packet of encodeDataPackets(bytes, this.#packetSize, this.#address)) await this.#write(packet);
    });
  }

  #locked<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(work);
    this.#lock = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  #exchangeAck(command: Uint8Array, timeoutMs: number): Promise<R30xPacket> {
    return new Promise<R30xPacket>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.#waiter !== waiter) return;
        this.#waiter = undefined;
        const truncated = this.#parser.flush()[0];
        reject(truncated?.kind === 'error' ? truncated.error : new FingerprintError('timeout', `${commandLabel(command[9] ?? 0)} unanswered after ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter = {
        onPacket: (packet) => {
          if (packet.pid !== pid.ack) return;
          this.#waiter = undefined;
          clearTimeout(timer);
          resolve(packet);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.#waiter = waiter;
      this.#write(command).catch((error: unknown) => waiter.reject(asFingerprintError(error, 'write')));
    });
  }

  /**
   * The command, its acknowledge and the data packets after it, under one waiter: on a fast link the data
   * follows the acknowledge in the same read, before any promise continuation could start listening.
   */
  #exchangeUpload(code: number, params: readonly number[]): Promise<Uint8Array> {
    return new Promise<Uint8Array>((resolve, reject) => {
      const parts: Uint8Array[] = [];
      let size = 0;
      let acked = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = (error: FingerprintError | undefined) => {
        clearTimeout(timer);
        if (this.#waiter === waiter) this.#waiter = undefined;
        if (error) return reject(error);
        const out = new Uint8Array(size);
        let at = 0;
        for (const part of parts) {
          out.set(part, at);
          at += part.length;
        }
        resolve(out);
      };
      const arm = (ms: number) => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          const truncated = this.#parser.flush()[0];
          if (!acked) {
            finish(truncated?.kind === 'error' ? truncated.error : new FingerprintError('timeout', `${commandLabel(code)} unanswered`));
            return;
          }
          // Data that stops half-way (cable pulled, module reset, line noise) is a cut-short transfer.
          finish(new FingerprintError(size > 0 ? 'truncated' : 'timeout', `data stopped after ${size} bytes`));
        }, ms);
      };
      const waiter: Waiter = {
        onPacket: (packet) => {
          if (!acked) {
            if (packet.pid !== pid.ack) return;
            const confirmation = packet.payload[0] ?? 0xff;
            if (confirmation !== confirm.ok) return finish(statusError(confirmation, commandLabel(code)));
            acked = true;
            arm(this.#timeouts.dataIdle);
            return;
          }
          if (packet.pid !== pid.data && packet.pid !== pid.endData) return;
          parts.push(packet.payload);
          size += packet.payload.length;
          if (packet.pid === pid.endData) finish(undefined);
          else arm(this.#timeouts.dataIdle);
        },
        reject: (error) => finish(error),
      };
      this.#waiter = waiter;
      arm(this.#timeouts.command);
      this.#write(encodeCommand(code, params, this.#address)).catch((error: unknown) => finish(asFingerprintError(error, 'write')));
    });
  }

  #write(bytes: Uint8Array): Promise<void> {
    return this.#transport.write(bytes).catch((error: unknown) => {
      throw new FingerprintError('disconnected', `write failed: ${error instanceof Error ? error.name : 'error'}`);
    });
  }

  #onBytes(bytes: Uint8Array): void {
    for (const item of this.#parser.push(bytes)) {
      const waiter = this.#waiter;
      // Nobody asked (a late reply after a timeout, the rest of an abandoned upload): drop it.
      if (!waiter) continue;
      if (item.kind === 'error') {
        this.#waiter = undefined;
        waiter.reject(item.error);
        continue;
      }
      if (item.packet.address !== this.#address) continue;
      waiter.onPacket(item.packet);
    }
  }

  #failWaiter(error: FingerprintError): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.reject(error);
  }

  #lost(): void {
    const error = new FingerprintError('disconnected', 'transport closed');
    this.#detach();
    this.#failWaiter(error);
    this.#cancel?.(error);
    this.#setStatus({ state: 'disconnected', error });
  }

  #detach(): void {
    for (const stop of this.#stops.splice(0)) stop();
  }

  #setStatus(status: FingerprintStatus): void {
    if (status.state === this.#status.state && status.error === this.#status.error) return;
    this.#status = status;
    for (const listener of this.#statusListeners) {
      try {
        listener(status);
      } catch {
        // A failing consumer must not stop the driver.
      }
    }
  }
}

function commandLabel(code: number): string {
  return instructionName(code) ?? `0x${code.toString(16)}`;
}

function statusError(code: number, command: string): FingerprintError {
  return new FingerprintError('status', `${command} answered ${code.toString(16).padStart(2, '0')}`, { confirmationCode: code });
}

function asFingerprintError(thrown: unknown, where: string): FingerprintError {
  if (thrown instanceof FingerprintError) return thrown;
  return new FingerprintError('disconnected', `${where}: ${thrown instanceof Error ? thrown.name : typeof thrown}`, { cause: thrown });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
