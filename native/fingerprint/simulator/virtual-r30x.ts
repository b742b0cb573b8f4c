/**
 * A byte-exact virtual R30x/AS60x fingerprint module for tests, e2e runs and demos without hardware
 * (spec §2.2, §5). It sees raw packet bytes in any fragmentation and answers with acknowledge and data packets
 * after per-instruction delays; a transport shim (simulated-transport.ts) sits between it and the driver.
 *
 * The physical world is a small API: placeFinger(fingerId, quality) / liftFinger(), unplug() / replug(), and
 * injectFault() for the failures a real link and sensor show. Implemented: GenImg, Img2Tz, Match, UpImage,
 * UpChar, DownChar, ReadSysPara, VfyPwd, Handshake, TemplateNum; other instructions answer 01.
 */
import { imageQuality } from '../quality.js';
import { R30xPacketParser } from '../packet-parser.js';
import {
  confirm,
  DEFAULT_ADDRESS,
  encodeAck,
  encodeDataPackets,
  encodeSysParams,
  instruction,
  instructionName,
  packetSizes,
  packImage4,
  pid,
  unpackImage4,
  type InstructionName,
} from '../r30x-protocol.js';
import { decodeTemplate, encodeTemplate, matchScore } from './sim-template.js';
import { renderFinger, type Minutia } from './synthetic-finger.js';
import { seedFromString } from '../../simulators/seeded-random.js';

export type R30xFault =
  /** The command is lost: no reply at all (the host times out). */
  | { kind: 'no-reply' }
  /** The acknowledge (or, with `dataPacket`, that data packet of an upload) has a wrong checksum. */
  | { kind: 'bad-checksum'; dataPacket?: number }
  /** The command is answered with this confirmation code instead. */
  | { kind: 'confirm'; code: number }
  /** GenImg reports no finger even though one lies on the sensor. */
  | { kind: 'no-finger' }
  /** GenImg takes a poor image (default quality 0.15) of the finger that lies there. */
  | { kind: 'poor-quality'; quality?: number }
  /** UpImage stops after `afterPackets` data packets (default 40) and the finger is lifted. */
  | { kind: 'removed-mid-upload'; afterPackets?: number }
  /** Bytes before the reply (line noise, a bridge's power-up garbage). */
  | { kind: 'stray-bytes'; bytes?: Uint8Array }
  /** The reply comes `ms` later than usual. */
  | { kind: 'delay'; ms: number };

export interface R30xFaultOptions {
  /** Which instruction the fault waits for; default 'any' ('genImg' for no-finger/poor-quality, 'upImage' for removed-mid-upload). */
  on?: InstructionName | 'any';
  /** Sticky faults apply to every matching command until removed; others to the next one only. */
  sticky?: boolean;
}

/** Milliseconds before a reply, per instruction, plus the UART time of data packets. */
export interface R30xDelays {
  genImg: number;
  img2Tz: number;
  match: number;
  other: number;
  /** Baud rate the data packets are paced at; 0 = no pacing. */
  baudRate: number;
}

/** Plausible module timings (sensor exposure, feature extraction) at the default 57 600 baud. */
export const realisticDelays: Readonly<R30xDelays> = { genImg: 250, img2Tz: 300, match: 40, other: 10, baudRate: 57_600 };
const instantDelays: Readonly<R30xDelays> = { genImg: 0, img2Tz: 0, match: 0, other: 0, baudRate: 0 };

export type R30xTiming = 'realistic' | 'instant' | Partial<R30xDelays>;

export interface R30xScheduler {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const globalScheduler: R30xScheduler = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface VirtualR30xOptions {
  timing?: R30xTiming;
  scheduler?: R30xScheduler;
  /** Module address (default FFFFFFFF); packets to other addresses are ignored, as on a shared bus. */
  address?: number;
  /** Non-zero: commands are refused with 21 until VfyPwd succeeds. */
  password?: number;
  /** Data packet size code 0..3 (32/64/128/256 bytes); default 2 (128). */
  packetSizeCode?: number;
  /** Seeds each placement's position and noise. */
  seed?: number;
  /** Score at or above which Match answers 00 (default 50). */
  matchThreshold?: number;
}

/** What lies on the sensor. */
export interface SimulatedFinger {
  fingerId: string;
  /** 0..1 (default 0.85). */
  quality: number;
}

interface ArmedFault {
  fault: R30xFault;
  on: InstructionName | 'any';
  sticky: boolean;
}

export interface R30xCommandEvent {
  instruction: InstructionName | 'unknown' | 'invalid-packet';
}

export const DEFAULT_MATCH_THRESHOLD = 50;

export class VirtualR30x {
  readonly #parser = new R30xPacketParser();
  readonly #scheduler: R30xScheduler;
  readonly #address: number;
  readonly #password: number;
  readonly #packetSize: number;
  readonly #packetSizeCode: number;
  readonly #seed: number;
  readonly #matchThreshold: number;
  readonly #replyListeners = new Set<(bytes: Uint8Array) => void>();
  readonly #plugListeners = new Set<(plugged: boolean) => void>();
  readonly #commandListeners = new Set<(event: R30xCommandEvent) => void>();
  readonly #timers = new Set<unknown>();
  #delays: R30xDelays;
  #faults: ArmedFault[] = [];
  #finger: SimulatedFinger | undefined;
  #placements = 0;
  #verified: boolean;
  #plugged = true;
  /** Last image taken by GenImg: 8-bit pixels as the 4-bit sensor sees them, and its minutiae. */
  #image: { pixels: Uint8Array; minutiae: Minutia[] } | undefined;
  readonly #charBuffers = new Map<number, Uint8Array>();
  /** DownChar in progress: the buffer being filled and the bytes so far. */
  #download: { buffer: number; parts: Uint8Array[] } | undefined;
  /** Replies are serialised: the module does one thing at a time. */
  #queue: { packets: Uint8Array[]; delay: number }[] = [];
  #busy = false;
  /** Wire time of packets sent back to back because each alone is under a timer tick. */
  #pacingDebt = 0;

  constructor(options: VirtualR30xOptions = {}) {
    this.#scheduler = options.scheduler ?? globalScheduler;
    this.#delays = resolveDelays(options.timing ?? 'realistic');
    this.#address = (options.address ?? DEFAULT_ADDRESS) >>> 0;
    this.#password = (options.password ?? 0) >>> 0;
    this.#verified = this.#password === 0;
    const code = options.packetSizeCode ?? 2;
    if (!Number.isInteger(code) || code < 0 || code > 3) throw new RangeError('packetSizeCode must be 0..3');
    this.#packetSizeCode = code;
    this.#packetSize = packetSizes[code]!;
    this.#seed = options.seed ?? 1;
    this.#matchThreshold = options.matchThreshold ?? DEFAULT_MATCH_THRESHOLD;
  }

  get plugged(): boolean {
    return this.#plugged;
  }

  get finger(): SimulatedFinger | undefined {
    return this.#finger;
  }

  setTiming(timing: R30xTiming): void {
    this.#delays = resolveDelays(timing);
  }

  // ---------------------------------------------------------------------------------------------------------
  // The physical world

  /** Puts a finger on the sensor (replacing any other). The same id always has the same ridges. */
  placeFinger(fingerId: string, quality = 0.85): void {
    this.#finger = { fingerId, quality: Math.max(0, Math.min(1, quality)) };
  }

  liftFinger(): void {
    this.#finger = undefined;
  }

  /** The module's USB bridge is pulled out: pending replies are lost, RAM buffers cleared. */
  unplug(): void {
    if (!this.#plugged) return;
    this.#plugged = false;
    this.#cancelAll();
    this.#image = undefined;
    this.#charBuffers.clear();
    this.#verified = this.#password === 0;
    for (const listener of this.#plugListeners) listener(false);
  }

  replug(): void {
    if (this.#plugged) return;
    this.#plugged = true;
    for (const listener of this.#plugListeners) listener(true);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Faults

  /** Arms a fault for the next matching command (or every one, if sticky); returns its remover. */
  injectFault(fault: R30xFault, options: R30xFaultOptions = {}): () => void {
    const defaultOn: InstructionName | 'any' =
      fault.kind === 'no-finger' || fault.kind === 'poor-quality' ? 'genImg' : fault.kind === 'removed-mid-upload' ? 'upImage' : 'any';
    const armed: ArmedFault = { fault, on: options.on ?? defaultOn, sticky: options.sticky ?? false };
    this.#faults.push(armed);
    return () => {
      this.#faults = this.#faults.filter((f) => f !== armed);
    };
  }

  clearFaults(): void {
    this.#faults = [];
  }

  get pendingFaults(): readonly R30xFault[] {
    return this.#faults.map((f) => f.fault);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Host side

  /** Bytes from the host, in any fragmentation. Ignored while unplugged. */
  receive(bytes: Uint8Array): void {
    if (!this.#plugged) return;
    for (const item of this.#parser.push(bytes)) {
      if (item.kind === 'error') {
        this.#emitCommand('invalid-packet');
        this.#reply([encodeAck(confirm.packetError, [], this.#address)], this.#delays.other, undefined);
        continue;
      }
      const { packet } = item;
      if (packet.address !== this.#address) continue;
      if (packet.pid === pid.command) this.#command(packet.payload);
      else if (packet.pid === pid.data || packet.pid === pid.endData) this.#downloadData(packet.pid, packet.payload);
    }
  }

  onReply(listener: (bytes: Uint8Array) => void): () => void {
    this.#replyListeners.add(listener);
    return () => this.#replyListeners.delete(listener);
  }

  onPlugChange(listener: (plugged: boolean) => void): () => void {
    this.#plugListeners.add(listener);
    return () => this.#plugListeners.delete(listener);
  }

  /** Each command as the module takes it up (for logs and assertions). */
  onCommand(listener: (event: R30xCommandEvent) => void): () => void {
    this.#commandListeners.add(listener);
    return () => this.#commandListeners.delete(listener);
  }

  /** Stops every timer; the instance stays usable. */
  dispose(): void {
    this.#cancelAll();
  }

  // ---------------------------------------------------------------------------------------------------------
  // Internals

  #emitCommand(name: R30xCommandEvent['instruction']): void {
    for (const listener of this.#commandListeners) listener({ instruction: name });
  }

  #takeFault(name: InstructionName | undefined): R30xFault | undefined {
    const index = this.#faults.findIndex((f) => f.on === 'any' || f.on === name);
    const armed = this.#faults[index];
    if (!armed) return undefined;
    if (!armed.sticky) this.#faults.splice(index, 1);
    return armed.fault;
  }

  #command(payload: Uint8Array): void {
    const code = payload[0]!;
    const name = instructionName(code);
    this.#emitCommand(name ?? 'unknown');
    const fault = this.#takeFault(name);
    if (fault?.kind === 'no-reply') return;
    const ack = (c: number, data: readonly number[] | Uint8Array = []) => encodeAck(c, data, this.#address);
    let delay = this.#delays.other;
    let packets: Uint8Array[];
    if (fault?.kind === 'confirm') {
      packets = [ack(fault.code)];
    } else if (!this.#verified && code !== instruction.vfyPwd && code !== instruction.handshake) {
      packets = [ack(confirm.passwordRequired)];
    } else {
      switch (code) {
        case instruction.genImg:
          delay = this.#delays.genImg;
          packets = [ack(this.#genImg(fault))];
          break;
        case instruction.img2Tz:
          delay = this.#delays.img2Tz;
          packets = [ack(this.#img2Tz(payload[1]))];
          break;
        case instruction.match: {
          delay = this.#delays.match;
          const a = decodeTemplate(this.#charBuffers.get(1) ?? new Uint8Array());
          const b = decodeTemplate(this.#charBuffers.get(2) ?? new Uint8Array());
          const score = a && b ? matchScore(a, b) : 0;
          packets = [score >= this.#matchThreshold ? ack(confirm.ok, [score >> 8, score & 0xff]) : ack(confirm.noMatch, [0, 0])];
          break;
        }
        case instruction.upImage:
          packets = this.#image
            ? [ack(confirm.ok), ...this.#data(packImage4(this.#image.pixels), fault)]
            : [ack(confirm.uploadImageFail)];
          break;
        case instruction.upChar: {
          const buffer = this.#charBuffers.get(payload[1] ?? 0);
          packets = buffer ? [ack(confirm.ok), ...this.#data(buffer, fault)] : [ack(confirm.uploadFeatureFail)];
          break;
        }
        case instruction.downChar: {
          const buffer = payload[1];
          if (buffer === 1 || buffer === 2) {
            this.#download = { buffer, parts: [] };
            packets = [ack(confirm.ok)];
          } else {
            packets = [ack(confirm.packetResponseFail)];
          }
          break;
        }
        case instruction.readSysPara:
          packets = [
            ack(
              confirm.ok,
              encodeSysParams({
                statusRegister: 0,
                systemId: 0,
                librarySize: 200,
                securityLevel: 3,
                address: this.#address,
                packetSizeCode: this.#packetSizeCode,
                baudFactor: 6,
              }),
            ),
          ];
          break;
        case instruction.vfyPwd: {
          const given = payload.length >= 5 ? new DataView(payload.buffer, payload.byteOffset + 1, 4).getUint32(0) : -1;
          this.#verified = given === this.#password;
          packets = [ack(this.#verified ? confirm.ok : confirm.wrongPassword)];
          break;
        }
        case instruction.handshake:
          packets = [ack(confirm.ok)];
          break;
        case instruction.templateNum:
          packets = [ack(confirm.ok, [0, 0])];
          break;
        default:
          packets = [ack(confirm.packetError)];
      }
    }
    this.#reply(packets, delay + (fault?.kind === 'delay' ? fault.ms : 0), fault);
  }

  #genImg(fault: R30xFault | undefined): number {
    const finger = this.#finger;
    if (!finger || fault?.kind === 'no-finger') return confirm.noFinger;
    this.#placements += 1;
    const quality = fault?.kind === 'poor-quality' ? (fault.quality ?? 0.15) : finger.quality;
    const print = renderFinger({
      fingerId: finger.fingerId,
      quality,
      placementSeed: seedFromString(`${this.#seed}:${this.#placements}`),
    });
    // The sensor's ADC has 16 grey levels: keep exactly what an upload can show.
    this.#image = { pixels: unpackImage4(packImage4(print.image.pixels)), minutiae: print.minutiae };
    return confirm.ok;
  }

  #img2Tz(buffer: number | undefined): number {
    if (buffer !== 1 && buffer !== 2) return confirm.packetResponseFail;
    const image = this.#image;
    if (!image) return confirm.invalidImage;
    const q = imageQuality({ width: 256, height: 288, dpi: 500, pixels: image.pixels });
    if (q.coverage < 0.15 || q.value < 10) return confirm.imageMessy;
    if (image.minutiae.length < 4) return confirm.tooFewFeatures;
    this.#charBuffers.set(buffer, encodeTemplate(image.minutiae));
    return confirm.ok;
  }

  #data(bytes: Uint8Array, fault: R30xFault | undefined): Uint8Array[] {
    let packets = encodeDataPackets(bytes, this.#packetSize, this.#address);
    if (fault?.kind === 'removed-mid-upload') {
      packets = packets.slice(0, Math.max(0, fault.afterPackets ?? 40));
      this.#finger = undefined;
    }
    if (fault?.kind === 'bad-checksum' && fault.dataPacket !== undefined) {
      const target = packets[fault.dataPacket];
      if (target) target[target.length - 1]! ^= 0x5a;
    }
    return packets;
  }

  #downloadData(pidByte: number, payload: Uint8Array): void {
    const download = this.#download;
    if (!download) return;
    download.parts.push(payload.slice());
    if (pidByte !== pid.endData) return;
    this.#download = undefined;
    const size = download.parts.reduce((n, p) => n + p.length, 0);
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const part of download.parts) {
      bytes.set(part, at);
      at += part.length;
    }
    this.#charBuffers.set(download.buffer, bytes);
  }

  /** Queues the packets: sent after `delay`, data packets paced at the UART's speed, one reply at a time. */
  #reply(packets: Uint8Array[], delay: number, fault: R30xFault | undefined): void {
    const first = packets[0];
    if (!first) return;
    if (fault?.kind === 'bad-checksum' && fault.dataPacket === undefined) first[first.length - 1]! ^= 0x5a;
    if (fault?.kind === 'stray-bytes') packets = [fault.bytes ?? Uint8Array.of(0x00, 0xef, 0x55), ...packets];
    this.#queue.push({ packets, delay });
    this.#pump();
  }

  #pump(): void {
    if (this.#busy || !this.#plugged) return;
    const next = this.#queue.shift();
    if (!next) return;
    this.#busy = true;
    const baud = this.#delays.baudRate;
    const sendFrom = (index: number): void => {
      const packet = next.packets[index];
      if (!packet) {
        this.#busy = false;
        this.#pump();
        return;
      }
      this.#send(packet);
      // The next packet leaves when this one has gone down the wire.
      const wireMs = baud > 0 ? (packet.length * 10 * 1000) / baud : 0;
      if (wireMs < 1 && index + 1 < next.packets.length && this.#pacingDebt + wireMs < 1) {
        this.#pacingDebt += wireMs;
        sendFrom(index + 1);
        return;
      }
      const wait = wireMs + this.#pacingDebt;
      this.#pacingDebt = 0;
      this.#later(wait, () => sendFrom(index + 1));
    };
    this.#later(next.delay, () => sendFrom(0));
  }

  #send(bytes: Uint8Array): void {
    if (!this.#plugged) return;
    for (const listener of this.#replyListeners) listener(bytes);
  }

  #later(ms: number, fn: () => void): void {
    const handle = this.#scheduler.setTimeout(() => {
      this.#timers.delete(handle);
      fn();
    }, Math.max(0, Math.round(ms)));
    this.#timers.add(handle);
  }

  #cancelAll(): void {
    for (const handle of this.#timers) this.#scheduler.clearTimeout(handle);
    this.#timers.clear();
    this.#download = undefined;
    this.#queue = [];
    this.#busy = false;
    this.#pacingDebt = 0;
  }
}

function resolveDelays(timing: R30xTiming): R30xDelays {
  if (timing === 'realistic') return { ...realisticDelays };
  if (timing === 'instant') return { ...instantDelays };
  return { ...realisticDelays, ...timing };
}
