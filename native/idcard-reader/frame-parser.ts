import { CardReaderError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { HEADER_SIZE, MAX_LEN, PREAMBLE, xorChecksum } from './sam-protocol.js';
import { drain, FrameBuffer } from '../transport/frame-buffer.js';

export type ParsedItem = { kind: 'frame'; frame: Uint8Array } | { kind: 'error'; error: CardReaderError };

/** Smallest LEN of any frame: a command is CMD PARA CHK. */
const MIN_LEN = 3;

/**
 * Reassembles SAM frames from bytes arriving in any fragmentation (UART reads, 64-byte HID reports).
 * Survives stray bytes before and after frames, a missing first sync byte, impossible lengths and wrong
 * checksums; a frame cut short is reported by flush() when the caller's reply timeout fires.
 * It never throws: every problem is a CardReaderError item.
 */
export class SamFrameParser {
  readonly #frames = new FrameBuffer(4096);

  /** Bytes dropped while hunting for a preamble (diagnostics). */
  get discarded(): number {
    return this.#frames.discarded;
  }

  get pending(): number {
    return this.#frames.size;
  }

  push(chunk: Uint8Array): ParsedItem[] {
    this.#frames.append(chunk);
    return drain(() => this.#next());
  }

  /** Ends the current frame attempt: a partially received frame becomes a 'truncated' error. */
  flush(): ParsedItem[] {
    const partial = this.#findSync() !== -1;
    this.#frames.clear();
    if (!partial) return [];
    return [{ kind: 'error', error: new CardReaderError('truncated', 'frame cut short', zhCN.cardReader.transfer) }];
  }

  reset(): void {
    this.#frames.clear();
  }

  /**
   * Index of the frame start (first AA) of the next sync pattern `AA AA 96 69`, tolerating a missing first AA
   * (spec §2.4.1); -1 when none is buffered. Bytes that can no longer start a frame are dropped.
   */
  #findSync(): number {
    const { bytes: b, start, end } = this.#frames;
    for (let i = start; i + 3 < end; i += 1) {
      if (b[i] === 0xaa && b[i + 1] === 0xaa && b[i + 2] === 0x96 && b[i + 3] === 0x69) {
        const frameStart = i > start && b[i - 1] === 0xaa ? i - 1 : i;
        this.#frames.dropBefore(frameStart);
        return frameStart;
      }
    }
    this.#frames.keepTail(3);
    return -1;
  }

  #next(): ParsedItem | undefined {
    const at = this.#findSync();
    if (at === -1) return undefined;
    const b = this.#frames.bytes;
    const end = this.#frames.end;
    // A full preamble is AA AA AA 96 69; a frame missing its first AA is one byte shorter on the wire.
    const full = b[at + 2] === 0xaa;
    const preambleLen = full ? PREAMBLE.length : PREAMBLE.length - 1;
    if (end - at < preambleLen + 2) return undefined;
    const len = (b[at + preambleLen]! << 8) | b[at + preambleLen + 1]!;
    if (len < MIN_LEN || len > MAX_LEN) {
      this.#frames.consumeTo(at + preambleLen); // skip this sync and hunt again
      return { kind: 'error', error: new CardReaderError('bad-length', `LEN ${len}`, zhCN.cardReader.transfer) };
    }
    const wireSize = preambleLen + 2 + len;
    if (end - at < wireSize) return undefined;
    const frame = new Uint8Array(HEADER_SIZE + len);
    frame.set(PREAMBLE, 0);
    frame.set(b.subarray(at + preambleLen, at + wireSize), PREAMBLE.length);
    if (xorChecksum(frame) !== frame[frame.length - 1]) {
      // The claimed length may be the corrupt part (e.g. a frame cut short with the next frame behind it):
      // hunt again right after this sync instead of skipping the bytes it claimed.
      this.#frames.consumeTo(at + preambleLen);
      return { kind: 'error', error: new CardReaderError('bad-checksum', `LEN ${len}`, zhCN.cardReader.transfer) };
    }
    this.#frames.consumeTo(at + wireSize);
    return { kind: 'frame', frame };
  }
}
