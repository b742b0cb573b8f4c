/**
 * A byte-exact virtual ID card reader (SAM) for tests, e2e runs and demos without hardware (spec §3–§5, §11).
 * It sees raw command bytes in any fragmentation and answers with complete reply frames after a per-command
 * delay; a transport shim (HID reports, serial stream) sits between it and the driver.
 *
 * Replies are computed when their delay ends, not when the command arrives, so a card lifted during a
 * 900 ms read fails that read exactly as on hardware.
 */
import type { SimulatorScheduler as SamScheduler } from '../../simulators/simulated-transports.js';
import { SamFrameParser } from '../frame-parser.js';
import { commands, encodeResponse, HEADER_SIZE, status, toCommand, type CommandName } from '../sam-protocol.js';
import { toCardImage, type CardImage, type SimulatedCard } from './card-image.js';
import { seededRandom } from '../../simulators/seeded-random.js';

/** Card slot state machine of spec §11.2. */
export type SamState = 'empty' | 'present' | 'found' | 'selected' | 'read';

/** What a received frame was: a named command, a baud/tuning command, an unknown one or a broken frame. */
export type SamCommandKind = CommandName | 'setBaud' | 'tuneRf' | 'unknown' | 'invalid-frame';

/** Which command a fault waits for; 'read' = any `30 xx` read. */
export type FaultTarget = SamCommandKind | 'read' | 'any';

/** Milliseconds between the end of a command frame and the start of its reply. */
export type ReplyDelays = Record<SamCommandKind, number>;

/** Defaults of spec §11.5 (find 50, select 80, read 900, read+fp 1400); the rest are plausible guesses. */
export const realisticDelays: Readonly<ReplyDelays> = {
  findCard: 50,
  selectCard: 80,
  readTextPhoto: 900,
  readTextPhotoFingerprint: 1400,
  readNewestAddress: 150,
  readSamId: 30,
  samStatus: 30,
  resetSam: 200,
  setBaud: 30,
  tuneRf: 30,
  unknown: 10,
  'invalid-frame': 10,
};

/**
 * 'realistic': the defaults above; 'instant': every delay 0 (replies still arrive asynchronously);
 * custom: the realistic delays times `scale` (default 1), then any delay given explicitly.
 */
export type SamTiming = 'realistic' | 'instant' | (Partial<ReplyDelays> & { scale?: number });

export function resolveDelays(timing: SamTiming): ReplyDelays {
  const scale = timing === 'instant' ? 0 : timing === 'realistic' ? 1 : (timing.scale ?? 1);
  const delays = { ...realisticDelays };
  for (const key of Object.keys(delays) as SamCommandKind[]) delays[key] = Math.round(delays[key] * scale);
  return typeof timing === 'string' ? delays : { ...delays, ...withoutScale(timing) };
}

function withoutScale({ scale: _scale, ...delays }: Partial<ReplyDelays> & { scale?: number }): Partial<ReplyDelays> {
  return delays;
}

/** Timer functions; the default looks up the global ones at call time so Vitest fake timers take effect. */
const globalScheduler: SamScheduler = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export type SamFault =
  /** The reply's checksum byte is wrong. */
  | { kind: 'bad-checksum' }
  /** Only the first `keepBytes` (default half) are sent; the rest follows after `resumeAfterMs`, or never. */
  | { kind: 'truncated'; keepBytes?: number; resumeAfterMs?: number }
  /** The command is lost before the SAM acts on it: no state change, no reply (host timeout). */
  | { kind: 'no-reply' }
  /** Extra bytes around the reply, as in captured dumps (default: 3 before, 1 after). */
  | { kind: 'stray-bytes'; before?: Uint8Array; after?: Uint8Array }
  /** One reply byte XORed with `xor` (default 0xFF) at `offset` (default: a random byte after the header). */
  | { kind: 'garbled-byte'; offset?: number; xor?: number }
  /** One reply byte missing (default: a random byte after the header). */
  | { kind: 'dropped-byte'; offset?: number }
  /** The reply is sent twice. */
  | { kind: 'duplicate-reply' }
  /** The reply comes `ms` later than its normal delay. */
  | { kind: 'delay'; ms: number }
  /** The command fails with this SW3 (LEN 00 04); a card in FOUND/SELECTED falls back to PRESENT. */
  | { kind: 'status'; sw3: number }
  /** The card leaves the field during the command: reply 41, slot EMPTY (or PRESENT again if `putBack`). */
  | { kind: 'card-removed-mid-read'; putBack?: boolean };

export interface FaultOptions {
  /** Default 'any', except 'card-removed-mid-read' which defaults to 'read'. */
  on?: FaultTarget;
  /** Sticky faults apply to every matching command until removed; others to the next one only. */
  sticky?: boolean;
}

export interface VirtualSamOptions {
  timing?: SamTiming;
  scheduler?: SamScheduler;
  /** SW3 for a read outside SELECTED (spec §11.2): 0x41 as SDKs observe (default), or 0x21. */
  outOfSequenceReadStatus?: number;
  /** `30 10` on a card without fingerprints: success with fp length 0 (default) or SW3 91 (spec §12). */
  noFingerprintReply?: 'empty' | 'not-present';
  /** false models a SAM without the fingerprint read: `30 10` → 21. */
  fingerprintCommand?: boolean;
  /** true (default): after a read, find answers 80 until the card is removed (spec §4.1.4). */
  readLatch?: boolean;
  /**
   * true: a card that was read can be selected (and read) again without a find, as firmware that tolerates
   * "find failed, select anyway" might (spec §4.1.3, unconfirmed). Default false: select answers 81.
   */
  reselectAfterRead?: boolean;
  /** 16 bytes returned by `12 FF`. */
  samId?: Uint8Array;
  /** A partial command this long without more bytes is dropped with SW3 11; null: wait forever. Default 100. */
  frameTimeoutMs?: number | null;
  /** Seeds the random offsets of garbled/dropped-byte faults. */
  seed?: number;
}

/**
 * A fictional SAM id: rendered the S8 way it reads 05.01-20101201-0012345678-0123456789 (spec §5.4).
 */
export const DEFAULT_SAM_ID = Uint8Array.of(
  0x05, 0x00, 0x01, 0x00,
  0x51, 0xb8, 0x32, 0x01, // 20101201 LE
  0x4e, 0x61, 0xbc, 0x00, // 12345678 LE
  0x15, 0xcd, 0x5b, 0x07, // 123456789 LE
);

/** CMD 60 parameters → baud (spec §4). */
const baudRates: readonly number[] = [115200, 57600, 38400, 19200, 9600];

const namedCommands = new Map<number, CommandName>(
  (Object.keys(commands) as CommandName[]).map((name) => [(commands[name][0] << 8) | commands[name][1], name]),
);

function commandKind(cmd: number, para: number): SamCommandKind {
  const named = namedCommands.get((cmd << 8) | para);
  if (named) return named;
  if (cmd === 0x60 && para < baudRates.length) return 'setBaud';
  if (cmd === 0x61 && para === 0xff) return 'tuneRf';
  return 'unknown';
}

const isRead = (kind: SamCommandKind): boolean =>
  kind === 'readTextPhoto' || kind === 'readTextPhotoFingerprint' || kind === 'readNewestAddress';

interface Incoming {
  kind: SamCommandKind;
  para: number;
  /** Set when the frame itself is wrong: the reply is this SW3 whatever the state. */
  frameError?: number;
}

interface ArmedFault {
  fault: SamFault;
  on: FaultTarget;
  sticky: boolean;
}

export interface SamCommandEvent {
  kind: SamCommandKind;
  /** The state when the command was taken up. */
  state: SamState;
}

const be16 = (out: Uint8Array, at: number, value: number): void => {
  out[at] = value >> 8;
  out[at + 1] = value & 0xff;
};

/** The `30 01` / `30 10` reply (spec §5.1, §5.2): length fields, text, photo, optional fingerprint. */
export function encodeReadReply(image: CardImage, withFingerprint: boolean): Uint8Array {
  const { textBlock: text, photo, fingerprint } = image;
  const header = withFingerprint ? 6 : 4;
  const data = new Uint8Array(header + text.length + photo.length + (withFingerprint ? fingerprint.length : 0));
  be16(data, 0, text.length);
  be16(data, 2, photo.length);
  if (withFingerprint) be16(data, 4, fingerprint.length);
  data.set(text, header);
  data.set(photo, header + text.length);
  if (withFingerprint) data.set(fingerprint, header + text.length + photo.length);
  return encodeResponse(status.ok, data);
}

export class VirtualSam {
  readonly #parser = new SamFrameParser();
  readonly #scheduler: SamScheduler;
  readonly #options: Required<Omit<VirtualSamOptions, 'timing' | 'scheduler' | 'seed'>>;
  readonly #random: () => number;
  readonly #replyListeners = new Set<(bytes: Uint8Array) => void>();
  readonly #plugListeners = new Set<(plugged: boolean) => void>();
  readonly #commandListeners = new Set<(event: SamCommandEvent) => void>();
  readonly #timers = new Set<unknown>();
  #delays: ReplyDelays;
  #faults: ArmedFault[] = [];
  #queue: Incoming[] = [];
  #busy = false;
  #frameTimer: unknown;
  #state: SamState = 'empty';
  #card: SimulatedCard | CardImage | undefined;
  #image: CardImage | undefined;
  #plugged = true;
  #baudRate = baudRates[0]!;

  constructor(options: VirtualSamOptions = {}) {
    this.#scheduler = options.scheduler ?? globalScheduler;
    this.#delays = resolveDelays(options.timing ?? 'realistic');
    this.#random = seededRandom(options.seed ?? 1);
    const samId = options.samId ?? DEFAULT_SAM_ID;
    if (samId.length !== 16) throw new RangeError('samId must be 16 bytes');
    this.#options = {
      outOfSequenceReadStatus: options.outOfSequenceReadStatus ?? status.readFailed,
      noFingerprintReply: options.noFingerprintReply ?? 'empty',
      fingerprintCommand: options.fingerprintCommand ?? true,
      readLatch: options.readLatch ?? true,
      reselectAfterRead: options.reselectAfterRead ?? false,
      samId,
      frameTimeoutMs: options.frameTimeoutMs === undefined ? 100 : options.frameTimeoutMs,
    };
  }

  get state(): SamState {
    return this.#state;
  }

  /** The card on the reader, as placed. */
  get card(): SimulatedCard | CardImage | undefined {
    return this.#card;
  }

  get plugged(): boolean {
    return this.#plugged;
  }

  /** Set by CMD 60; informational (the simulated transports carry bytes at any speed). */
  get baudRate(): number {
    return this.#baudRate;
  }

  setTiming(timing: SamTiming): void {
    this.#delays = resolveDelays(timing);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Host side

  /** Command bytes from the host, in any fragmentation. Ignored while unplugged. */
  receive(bytes: Uint8Array): void {
    if (!this.#plugged) return;
    for (const item of this.#parser.push(bytes)) {
      if (item.kind === 'error') {
        const sw3 = item.error.reason === 'bad-checksum' ? status.checksumError : status.lengthError;
        this.#queue.push({ kind: 'invalid-frame', para: 0, frameError: sw3 });
      } else {
        this.#queue.push(this.#classify(item.frame));
      }
    }
    this.#armFrameTimer();
    this.#pump();
  }

  /** Complete reply frames (or, under faults, parts of them) as the SAM sends them. */
  onReply(listener: (bytes: Uint8Array) => void): () => void {
    this.#replyListeners.add(listener);
    return () => this.#replyListeners.delete(listener);
  }

  /** Each command as the SAM takes it up (for logs and assertions). */
  onCommand(listener: (event: SamCommandEvent) => void): () => void {
    this.#commandListeners.add(listener);
    return () => this.#commandListeners.delete(listener);
  }

  /** USB presence; simulated transports close on `false`. */
  onPlugChange(listener: (plugged: boolean) => void): () => void {
    this.#plugListeners.add(listener);
    return () => this.#plugListeners.delete(listener);
  }

  // -------------------------------------------------------------------------------------------------------------
  // The physical world

  /** Lays a card on the reader (replacing any other); a new placement clears the read latch. */
  placeCard(card: SimulatedCard | CardImage): void {
    this.#image = 'textBlock' in card ? card : toCardImage(card);
    this.#card = card;
    this.#state = 'present';
  }

  removeCard(): void {
    this.#card = this.#image = undefined;
    this.#state = 'empty';
  }

  /** The reader is pulled out: pending replies are lost, transports see the device vanish. */
  unplug(): void {
    if (!this.#plugged) return;
    this.#plugged = false;
    this.#cancelAll();
    this.#powerCycleCard();
    for (const listener of this.#plugListeners) listener(false);
  }

  /** The reader is plugged back in, freshly powered; a new transport can open it. */
  replug(): void {
    if (this.#plugged) return;
    this.#plugged = true;
    this.#baudRate = baudRates[0]!;
    for (const listener of this.#plugListeners) listener(true);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Faults

  /** Arms a fault for the next matching command (or every one, if sticky); returns its remover. */
  injectFault(fault: SamFault, options: FaultOptions = {}): () => void {
    const armed: ArmedFault = {
      fault,
      on: options.on ?? (fault.kind === 'card-removed-mid-read' ? 'read' : 'any'),
      sticky: options.sticky ?? false,
    };
    this.#faults.push(armed);
    return () => {
      this.#faults = this.#faults.filter((f) => f !== armed);
    };
  }

  clearFaults(): void {
    this.#faults = [];
  }

  /** Faults still waiting for their command. */
  get pendingFaults(): readonly SamFault[] {
    return this.#faults.map((f) => f.fault);
  }

  /** Stops every timer; the instance stays usable. */
  dispose(): void {
    this.#cancelAll();
  }

  // -------------------------------------------------------------------------------------------------------------
  // Internals

  #classify(frame: Uint8Array): Incoming {
    const { cmd, para, data } = toCommand(frame);
    const kind = commandKind(cmd, para);
    if (kind === 'unknown') return { kind, para, frameError: status.commandError };
    // A well-formed frame whose LEN does not fit the command (e.g. find with a data byte) is a length error.
    if (data.length !== (kind === 'tuneRf' ? 1 : 0)) return { kind, para, frameError: status.lengthError };
    return { kind, para };
  }

  #armFrameTimer(): void {
    if (this.#frameTimer !== undefined) this.#cancel(this.#frameTimer);
    this.#frameTimer = undefined;
    const timeout = this.#options.frameTimeoutMs;
    if (timeout === null || this.#parser.pending === 0) return;
    this.#frameTimer = this.#later(timeout, () => {
      this.#frameTimer = undefined;
      // A frame cut short: its LEN promised more bytes than came (spec §11.1 "inconsistent LEN").
      if (this.#parser.flush().length > 0) {
        this.#queue.push({ kind: 'invalid-frame', para: 0, frameError: status.lengthError });
        this.#pump();
      }
    });
  }

  #pump(): void {
    if (this.#busy || !this.#plugged) return;
    const next = this.#queue.shift();
    if (!next) return;
    this.#busy = true;
    const fault = this.#takeFault(next.kind);
    for (const listener of this.#commandListeners) listener({ kind: next.kind, state: this.#state });
    const delay = this.#delays[next.kind] + (fault?.kind === 'delay' ? fault.ms : 0);
    this.#later(delay, () => {
      this.#busy = false;
      this.#complete(next, fault);
      this.#pump();
    });
  }

  #takeFault(kind: SamCommandKind): SamFault | undefined {
    const index = this.#faults.findIndex(
      (f) => f.on === 'any' || f.on === kind || (f.on === 'read' && isRead(kind)),
    );
    const armed = this.#faults[index];
    if (!armed) return undefined;
    if (!armed.sticky) this.#faults.splice(index, 1);
    return armed.fault;
  }

  #complete(command: Incoming, fault: SamFault | undefined): void {
    if (fault?.kind === 'no-reply') return;
    let reply: Uint8Array;
    if (fault?.kind === 'status') {
      reply = encodeResponse(fault.sw3);
      this.#loseSelection();
    } else if (fault?.kind === 'card-removed-mid-read') {
      reply = encodeResponse(status.readFailed);
      const card = this.#card;
      this.removeCard();
      if (fault.putBack && card) this.placeCard(card);
    } else {
      reply = this.#execute(command);
    }
    this.#deliver(reply, fault);
  }

  /** The state machine of spec §11.2 for one well-formed command. */
  #execute(command: Incoming): Uint8Array {
    if (command.frameError !== undefined) return encodeResponse(command.frameError);
    const image = this.#image;
    switch (command.kind) {
      case 'resetSam':
        // The card keeps its halted (read) state: a SAM reset does not switch the RF field off.
        if (this.#state === 'found' || this.#state === 'selected') this.#state = 'present';
        return encodeResponse(status.ok);
      case 'samStatus':
      case 'tuneRf':
        return encodeResponse(status.ok);
      case 'readSamId':
        return encodeResponse(status.ok, this.#options.samId);
      case 'setBaud':
        this.#baudRate = baudRates[command.para] ?? this.#baudRate;
        return encodeResponse(status.ok);
      case 'findCard':
        if (this.#state === 'empty' || (this.#state === 'read' && this.#options.readLatch)) {
          return encodeResponse(status.findFailed);
        }
        this.#state = 'found';
        return encodeResponse(status.findOk, new Uint8Array(4));
      case 'selectCard': {
        const selectable =
          this.#state === 'found' ||
          this.#state === 'selected' ||
          (this.#state === 'read' && this.#options.reselectAfterRead);
        if (!selectable) return encodeResponse(status.selectFailed);
        this.#state = 'selected';
        return encodeResponse(status.ok, new Uint8Array(8));
      }
      case 'readTextPhotoFingerprint':
        if (!this.#options.fingerprintCommand) return encodeResponse(status.commandError);
        return this.#readBase(image, true);
      case 'readTextPhoto':
        return this.#readBase(image, false);
      case 'readNewestAddress': {
        // Allowed right after a base read without re-authentication (spec §5.3).
        if (!image || (this.#state !== 'selected' && this.#state !== 'read')) {
          return encodeResponse(this.#options.outOfSequenceReadStatus);
        }
        const newest = image.appendedAddresses.at(-1);
        return newest ? encodeResponse(status.ok, newest) : encodeResponse(status.notPresent);
      }
      case 'unknown':
      case 'invalid-frame':
        return encodeResponse(status.commandError);
    }
  }

  #readBase(image: CardImage | undefined, withFingerprint: boolean): Uint8Array {
    if (!image || this.#state !== 'selected') return encodeResponse(this.#options.outOfSequenceReadStatus);
    if (withFingerprint && image.fingerprint.length === 0 && this.#options.noFingerprintReply === 'not-present') {
      return encodeResponse(status.notPresent);
    }
    this.#state = 'read';
    return encodeReadReply(image, withFingerprint);
  }

  /** After a failed card command the host must start again from find (spec §4.1.6); the latch stays. */
  #loseSelection(): void {
    if (this.#state === 'found' || this.#state === 'selected') this.#state = 'present';
  }

  /** Losing power switches the RF field off: the card resets, which also clears the read latch. */
  #powerCycleCard(): void {
    this.#state = this.#image ? 'present' : 'empty';
  }

  #deliver(reply: Uint8Array, fault: SamFault | undefined): void {
    switch (fault?.kind) {
      case 'bad-checksum': {
        const bad = reply.slice();
        bad[bad.length - 1]! ^= 0x5a;
        this.#emit(bad);
        return;
      }
      case 'truncated': {
        const keep = Math.min(Math.max(fault.keepBytes ?? Math.floor(reply.length / 2), 0), reply.length - 1);
        this.#emit(reply.subarray(0, keep));
        if (fault.resumeAfterMs !== undefined) this.#later(fault.resumeAfterMs, () => this.#emit(reply.subarray(keep)));
        return;
      }
      case 'stray-bytes': {
        const before = fault.before ?? Uint8Array.of(0x00, 0x55, 0xf6);
        const after = fault.after ?? Uint8Array.of(0xf6);
        const out = new Uint8Array(before.length + reply.length + after.length);
        out.set(before, 0);
        out.set(reply, before.length);
        out.set(after, before.length + reply.length);
        this.#emit(out);
        return;
      }
      case 'garbled-byte': {
        const out = reply.slice();
        const at = fault.offset ?? this.#randomBodyOffset(reply.length);
        out[at]! ^= fault.xor ?? 0xff;
        this.#emit(out);
        return;
      }
      case 'dropped-byte': {
        const at = fault.offset ?? this.#randomBodyOffset(reply.length);
        const out = new Uint8Array(reply.length - 1);
        out.set(reply.subarray(0, at), 0);
        out.set(reply.subarray(at + 1), at);
        this.#emit(out);
        return;
      }
      case 'duplicate-reply':
        this.#emit(reply);
        this.#emit(reply);
        return;
      default:
        this.#emit(reply);
    }
  }

  /** A byte between the header and the checksum, so the host sees a checksum error, not a resync. */
  #randomBodyOffset(length: number): number {
    return HEADER_SIZE + Math.floor(this.#random() * (length - 1 - HEADER_SIZE));
  }

  #emit(bytes: Uint8Array): void {
    if (bytes.length === 0 || !this.#plugged) return;
    for (const listener of this.#replyListeners) listener(bytes);
  }

  #later(ms: number, fn: () => void): unknown {
    const handle = this.#scheduler.setTimeout(() => {
      this.#timers.delete(handle);
      fn();
    }, ms);
    this.#timers.add(handle);
    return handle;
  }

  #cancel(handle: unknown): void {
    this.#scheduler.clearTimeout(handle);
    this.#timers.delete(handle);
  }

  #cancelAll(): void {
    for (const handle of this.#timers) this.#scheduler.clearTimeout(handle);
    this.#timers.clear();
    this.#frameTimer = undefined;
    this.#queue = [];
    this.#busy = false;
    this.#parser.reset();
  }
}
