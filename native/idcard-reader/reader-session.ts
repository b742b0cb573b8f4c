import type { IdCardData } from '../../core/contract/id-card.js';
import { CardReaderError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import type { ByteTransport } from '../transport/byte-transport.js';
import { SamFrameParser } from './frame-parser.js';
import { decodeChipPhoto, type WltPhotoDecoder } from './photo-decoder.js';
import { decodeReadReply, decodeSamId, statusError, type SamId } from './read-reply.js';
import { encodeNamedCommand, status, toResponse, type CommandName, type SamResponse } from './sam-protocol.js';

/**
 * How the reader reports a card that has been read and is still lying on it:
 * - 'latched' (GA 467 SAMs, spec §4.1.4): find answers 80 until the card leaves the field, the same as for no
 *   card, so removal is only known when a card is found again (or the reader goes away);
 * - 'field': find keeps answering 9F while the card lies there and 80 once it is gone.
 * Either way a placement is read once.
 */
export type PresenceModel = 'latched' | 'field';

export interface ReaderSessionOptions {
  transport: ByteTransport;
  /** Between find polls; vendors advise ≥ 300 ms (spec §4.1.2). */
  pollIntervalMs?: number;
  /** Reply budgets per command (spec §4.1.5). */
  timeouts?: Partial<Record<keyof typeof defaultTimeouts, number>>;
  /** Ask for chip fingerprints (30 10); falls back to 30 01 if the reader refuses. */
  readFingerprint?: boolean;
  presence?: PresenceModel;
  /** The vendor's WLT photo decoder, when the site has one (see photo-decoder.ts). */
  photoDecoder?: WltPhotoDecoder;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export type ReaderState = 'idle' | 'reading' | 'fault' | 'closed';

export interface ReaderEvents {
  /** One per physical placement, with the decoded card and how long the read took. */
  card: (card: IdCardData, timing: { readMs: number }) => void;
  removed: () => void;
  error: (error: CardReaderError) => void;
  state: (state: ReaderState) => void;
}

const defaultTimeouts = { find: 300, select: 300, read: 2000, readFingerprint: 3000, sam: 300, reset: 1000 };

/** Consecutive unanswered polls before the session resets the SAM once (it may have hung). */
const TIMEOUTS_BEFORE_RESET = 3;

/**
 * Drives one reader: find → select → read on an interval, emits each placement once, and reports
 * problems as CardReaderErrors without stopping; only a closed transport ends the session.
 * The same code runs over real HID/serial transports and the simulator's.
 */
export class ReaderSession {
  readonly #transport: ByteTransport;
  readonly #parser = new SamFrameParser();
  readonly #pollMs: number;
  readonly #timeouts: typeof defaultTimeouts;
  readonly #presence: PresenceModel;
  readonly #setTimer: (fn: () => void, ms: number) => unknown;
  readonly #clearTimer: (handle: unknown) => void;
  readonly #listeners: { [K in keyof ReaderEvents]: Set<ReaderEvents[K]> } = {
    card: new Set(),
    removed: new Set(),
    error: new Set(),
    state: new Set(),
  };
  #withFingerprint: boolean;
  #waiter: { command: CommandName; resolve: (frame: Uint8Array) => void; reject: (e: CardReaderError) => void } | undefined;
  #running = false;
  #cardOnReader = false;
  #state: ReaderState = 'idle';
  #pollTimer: unknown;
  #stops: (() => void)[] = [];
  #closed: Promise<void> | undefined;
  #timeoutsInARow = 0;
  #lastReported: string | undefined;
  #samId: SamId | undefined;
  readonly #photoDecoder: WltPhotoDecoder | undefined;

  constructor(options: ReaderSessionOptions) {
    this.#transport = options.transport;
    this.#pollMs = options.pollIntervalMs ?? 300;
    this.#timeouts = { ...defaultTimeouts, ...options.timeouts };
    this.#withFingerprint = options.readFingerprint ?? true;
    this.#presence = options.presence ?? 'latched';
    this.#photoDecoder = options.photoDecoder;
    this.#setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.#clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  get state(): ReaderState {
    return this.#state;
  }

  /** The security module's id (read at start): which reader read a card, for the audit trail. */
  get samId(): SamId | undefined {
    return this.#samId;
  }

  on<K extends keyof ReaderEvents>(event: K, listener: ReaderEvents[K]): () => void {
    this.#listeners[event].add(listener);
    return () => this.#listeners[event].delete(listener);
  }

  async start(): Promise<void> {
    this.#stops.push(this.#transport.onData((bytes) => this.#onBytes(bytes)));
    this.#stops.push(this.#transport.onClose(() => void this.#shutdown('disconnected')));
    await this.#transport.open();
    // stop() or an unplug during open() wins: never start polling a transport that is already gone.
    if (this.#closed) throw new CardReaderError('disconnected', 'closed while opening', zhCN.cardReader.disconnected);
    this.#running = true;
    await this.#identifySam();
    if (this.#closed) throw new CardReaderError('disconnected', 'closed while identifying the SAM', zhCN.cardReader.disconnected);
    this.#schedule(0);
  }

  /**
   * SAM status and id before polling: a SAM that failed its self-test (60) or is not authorised (66)
   * can never read a card, which staff must know at once rather than at the first candidate.
   */
  async #identifySam(): Promise<void> {
    try {
      const samStatus = await this.#request('samStatus', this.#timeouts.sam);
      if (samStatus.sw3 !== status.ok) throw statusError(samStatus.sw3);
      const id = await this.#request('readSamId', this.#timeouts.sam);
      if (id.sw3 === status.ok) this.#samId = decodeSamId(id.frame);
      this.#setState('idle');
    } catch (thrown) {
      if (!this.#running) return;
      this.#report(thrown instanceof CardReaderError ? thrown : statusError(0x24));
      this.#setState('fault');
    }
  }

  /** Stops polling and closes the transport. */
  stop(): Promise<void> {
    return this.#shutdown('stopped');
  }

  #emit<K extends keyof ReaderEvents>(event: K, ...args: Parameters<ReaderEvents[K]>): void {
    for (const listener of this.#listeners[event]) {
      try {
        (listener as (...a: Parameters<ReaderEvents[K]>) => void)(...args);
      } catch {
        // A failing consumer must not stop the reader.
      }
    }
  }

  /**
   * Reports an error once while it persists: a broken SAM or a card that keeps failing would otherwise
   * repeat the same message every poll. A good find or read re-arms reporting.
   */
  #report(error: CardReaderError): void {
    const key = `${error.reason}:${error.sw3 ?? ''}`;
    if (key === this.#lastReported) return;
    this.#lastReported = key;
    this.#emit('error', error);
  }

  #setState(state: ReaderState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#emit('state', state);
  }

  #shutdown(why: 'stopped' | 'disconnected'): Promise<void> {
    this.#closed ??= (async () => {
      this.#running = false;
      if (this.#pollTimer !== undefined) this.#clearTimer(this.#pollTimer);
      this.#waiter?.reject(new CardReaderError('disconnected', why, zhCN.cardReader.disconnected));
      this.#waiter = undefined;
      if (this.#cardOnReader) {
        this.#cardOnReader = false;
        this.#emit('removed');
      }
      for (const stop of this.#stops.splice(0)) stop();
      if (why === 'disconnected') {
        this.#emit('error', new CardReaderError('disconnected', 'transport closed', zhCN.cardReader.disconnected));
      }
      this.#setState('closed');
      await this.#transport.close().catch(() => undefined);
    })();
    return this.#closed;
  }

  #onBytes(bytes: Uint8Array): void {
    for (const item of this.#parser.push(bytes)) {
      const waiter = this.#waiter;
      // Frames nobody asked for (late replies after a timeout) are dropped, and so is a frame that cannot
      // answer the pending command: replies do not name their command, so a late read reply must not be
      // taken for the next find's answer.
      if (!waiter) continue;
      if (item.kind === 'frame' && !replyFits(waiter.command, item.frame)) continue;
      this.#waiter = undefined;
      if (item.kind === 'frame') waiter.resolve(item.frame);
      else waiter.reject(item.error);
    }
  }

  /** One command, one reply: the parser's next frame or error, or a timeout. */
  async #request(command: CommandName, timeoutMs: number): Promise<SamResponse & { frame: Uint8Array }> {
    const frame = await this.#exchange(command, timeoutMs);
    return { ...toResponse(frame), frame };
  }

  #exchange(command: CommandName, timeoutMs: number): Promise<Uint8Array> {
    return new Promise<Uint8Array>((resolve, reject) => {
      const timer = this.#setTimer(() => {
        if (this.#waiter?.resolve !== onReply) return;
        this.#waiter = undefined;
        const truncated = this.#parser.flush()[0];
        reject(
          truncated?.kind === 'error'
            ? truncated.error
            : new CardReaderError('timeout', `${command} unanswered after ${timeoutMs} ms`, zhCN.cardReader.timeout),
        );
      }, timeoutMs);
      const onReply = (frame: Uint8Array) => {
        this.#clearTimer(timer);
        resolve(frame);
      };
      this.#waiter = {
        command,
        resolve: onReply,
        reject: (error) => {
          this.#clearTimer(timer);
          reject(error);
        },
      };
      this.#transport.write(encodeNamedCommand(command)).catch((error: unknown) => {
        if (this.#waiter?.resolve !== onReply) return;
        this.#waiter = undefined;
        this.#clearTimer(timer);
        reject(new CardReaderError('disconnected', `write failed: ${String(error)}`, zhCN.cardReader.disconnected));
      });
    });
  }

  #schedule(ms: number): void {
    if (!this.#running) return;
    this.#pollTimer = this.#setTimer(() => {
      this.#pollTimer = undefined;
      void this.#poll().finally(() => this.#schedule(this.#pollMs));
    }, ms);
  }

  async #poll(): Promise<void> {
    try {
      const find = await this.#request('findCard', this.#timeouts.find);
      this.#timeoutsInARow = 0;
      if (!this.#running) return;
      if (find.sw3 === status.findFailed) {
        if (this.#presence === 'field' && this.#cardOnReader) this.#cardGone();
        this.#lastReported = undefined;
        this.#setState('idle');
        return;
      }
      if (find.sw3 !== status.findOk) throw statusError(find.sw3);
      if (this.#cardOnReader) {
        // 'field' readers keep finding the card that was read: nothing new.
        if (this.#presence === 'field') {
          this.#setState('idle');
          return;
        }
        // A latched reader finds a card again only after the last one left the field.
        this.#cardGone();
      }
      await this.#readPlacedCard();
    } catch (thrown) {
      if (!this.#running) return;
      const error = thrown instanceof CardReaderError ? thrown : statusError(0x24);
      // The reader itself is at fault (silent, SAM broken or unauthorised); a card problem leaves it ready.
      const readerFault = error.reason === 'timeout' || error.sw3 === status.samSelfTestFailed || error.sw3 === status.samNotAuthorised;
      this.#setState(readerFault ? 'fault' : 'idle');
      this.#report(error);
      if (error.reason === 'timeout' && ++this.#timeoutsInARow === TIMEOUTS_BEFORE_RESET) await this.#resetSam();
    }
  }

  /** A SAM that stopped answering gets one reset; it either recovers or stays 'fault' until replugged. */
  async #resetSam(): Promise<void> {
    try {
      const reply = await this.#request('resetSam', this.#timeouts.reset);
      if (reply.sw3 === status.ok) this.#setState('idle');
    } catch {
      // Still silent: polling goes on and the light stays at fault.
    }
  }

  #cardGone(): void {
    this.#cardOnReader = false;
    this.#emit('removed');
  }

  async #readPlacedCard(): Promise<void> {
    this.#setState('reading');
    const started = performance.now();
    const select = await this.#request('selectCard', this.#timeouts.select);
    if (select.sw3 !== status.ok) throw statusError(select.sw3);
    let read: SamResponse & { frame: Uint8Array };
    let withFingerprint = this.#withFingerprint;
    if (withFingerprint) {
      read = await this.#request('readTextPhotoFingerprint', this.#timeouts.readFingerprint);
      // 21: this reader has no 30 10, so use 30 01 from now on; 91: this card holds no fingerprints, so
      // read it with 30 01 but keep asking later cards. Either way the read needs a fresh select.
      if (read.sw3 === status.commandError || read.sw3 === status.notPresent) {
        if (read.sw3 === status.commandError) this.#withFingerprint = false;
        withFingerprint = false;
        const reselect = await this.#request('selectCard', this.#timeouts.select);
        if (reselect.sw3 !== status.ok) throw statusError(reselect.sw3);
        read = await this.#request('readTextPhoto', this.#timeouts.read);
      }
    } else {
      read = await this.#request('readTextPhoto', this.#timeouts.read);
    }
    if (read.sw3 !== status.ok) throw statusError(read.sw3);
    const decoded = decodeReadReply(read.frame, { withFingerprint });
    const photo = decoded.photoWlt ? await decodeChipPhoto(this.#photoDecoder, Buffer.from(decoded.photoWlt, 'base64')) : undefined;
    const card = photo ? { ...decoded, photo } : decoded;
    if (!this.#running) return;
    this.#cardOnReader = true;
    this.#lastReported = undefined;
    this.#setState('idle');
    this.#emit('card', card, { readMs: performance.now() - started });
  }
}

/**
 * Whether a verified frame can be the reply to `command`: error replies (no data) can answer anything;
 * success replies must carry the data their command returns (spec §4, §5).
 */
function replyFits(command: CommandName, frame: Uint8Array): boolean {
  const sw3 = frame[9]!;
  const dataLength = frame.length - 11;
  if (dataLength === 0 && sw3 !== status.ok && sw3 !== status.findOk) return true;
  switch (command) {
    case 'findCard':
      return sw3 === status.findOk && dataLength === 4;
    case 'selectCard':
      return sw3 === status.ok && dataLength === 8;
    case 'readTextPhoto':
      return sw3 === status.ok && dataLength >= 4 + 256;
    case 'readTextPhotoFingerprint':
      return sw3 === status.ok && dataLength >= 6 + 256;
    case 'readSamId':
      return sw3 === status.ok && dataLength === 16;
    case 'readNewestAddress':
      return (sw3 === status.ok && dataLength === 70) || sw3 === status.notPresent;
    case 'samStatus':
    case 'resetSam':
      return sw3 === status.ok && dataLength === 0;
  }
}
