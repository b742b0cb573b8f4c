import { FingerprintError } from '../../core/errors/fingerprint-error.js';
import { checksum, MAX_LENGTH, MIN_LENGTH, pid, PREFIX_SIZE, type R30xPacket } from './r30x-protocol.js';
import { drain, FrameBuffer } from '../transport/frame-buffer.js';

export type ParsedPacket = { kind: 'packet'; packet: R30xPacket } | { kind: 'error'; error: FingerprintError };

const knownPids: ReadonlySet<number> = new Set(Object.values(pid));

/**
 * Reassembles R30x packets from bytes arriving in any fragmentation (USB-serial reads).
 * Survives stray bytes around packets, unknown packet ids, impossible lengths and wrong checksums; a packet
 * cut short is reported by flush() when the caller's reply timeout fires.
 * It never throws: every problem is a FingerprintError item.
 *
 * The header is only two bytes (EF 01) and image data contains it often, so the parser hunts for a header
 * only when it is out of step; after a bad packet it restarts right behind that header, because the claimed
 * length may be the corrupt part and a good packet may begin inside the bytes it claimed.
 */
export class R30xPacketParser {
  readonly #frames = new FrameBuffer(1024);

  /** Bytes dropped while hunting for a header (diagnostics). */
  get discarded(): number {
    return this.#frames.discarded;
  }

  get pending(): number {
    return this.#frames.size;
  }

  push(chunk: Uint8Array): ParsedPacket[] {
    this.#frames.append(chunk);
    return drain(() => this.#next());
  }

  /** Ends the current attempt: a partially received packet becomes a 'truncated' error. */
  flush(): ParsedPacket[] {
    const partial = this.#findHeader() !== -1;
    const size = this.#frames.size;
    this.#frames.clear();
    if (!partial) return [];
    return [{ kind: 'error', error: new FingerprintError('truncated', `packet cut short (${size} bytes buffered)`) }];
  }

  reset(): void {
    this.#frames.clear();
  }

  /** Index of the next EF 01, dropping what cannot start a packet; -1 when none is buffered. */
  #findHeader(): number {
    const { bytes: b, start, end } = this.#frames;
    for (let i = start; i + 1 < end; i += 1) {
      if (b[i] === 0xef && b[i + 1] === 0x01) {
        this.#frames.dropBefore(i);
        return i;
      }
    }
    // Keep a trailing EF: it may be the first half of a header split across chunks.
    this.#frames.keepTail(end > start && b[end - 1] === 0xef ? 1 : 0);
    return -1;
  }

  #next(): ParsedPacket | undefined {
    const at = this.#findHeader();
    if (at === -1) return undefined;
    const { bytes: b, end } = this.#frames;
    if (end - at < PREFIX_SIZE) return undefined;
    const pidByte = b[at + 6]!;
    if (!knownPids.has(pidByte)) {
      this.#frames.consumeTo(at + 2);
      return { kind: 'error', error: new FingerprintError('bad-packet-id', `PID ${pidByte}`) };
    }
    const length = (b[at + 7]! << 8) | b[at + 8]!;
    if (length < MIN_LENGTH || length > MAX_LENGTH) {
      this.#frames.consumeTo(at + 2);
      return { kind: 'error', error: new FingerprintError('bad-length', `length ${length}`) };
    }
    const wireSize = PREFIX_SIZE + length;
    if (end - at < wireSize) return undefined;
    const payload = b.slice(at + PREFIX_SIZE, at + wireSize - 2);
    const sent = (b[at + wireSize - 2]! << 8) | b[at + wireSize - 1]!;
    if (checksum(pidByte, length, payload) !== sent) {
      this.#frames.consumeTo(at + 2);
      return { kind: 'error', error: new FingerprintError('bad-checksum', `PID ${pidByte} length ${length}`) };
    }
    const address = ((b[at + 2]! << 24) | (b[at + 3]! << 16) | (b[at + 4]! << 8) | b[at + 5]!) >>> 0;
    this.#frames.consumeTo(at + wireSize);
    return { kind: 'packet', packet: { address, pid: pidByte, payload } };
  }
}
