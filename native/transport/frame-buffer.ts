/**
 * The byte queue under every streaming frame parser (ID card SAM frames, fingerprint module packets): chunks
 * arrive in any fragmentation, the parser hunts for its sync pattern, reads a frame in place and consumes it.
 * Growth is amortised (doubling) and the live bytes move to the front only when the end is reached.
 */
export class FrameBuffer {
  #buf: Uint8Array;
  #start = 0;
  #end = 0;
  /** Bytes dropped while hunting for a frame start (diagnostics). */
  discarded = 0;

  constructor(initialSize: number) {
    this.#buf = new Uint8Array(initialSize);
  }

  /** The backing array; valid indexes are [start, end). Read only. */
  get bytes(): Uint8Array {
    return this.#buf;
  }

  get start(): number {
    return this.#start;
  }

  get end(): number {
    return this.#end;
  }

  get size(): number {
    return this.#end - this.#start;
  }

  append(chunk: Uint8Array): void {
    const size = this.size;
    if (this.#end + chunk.length > this.#buf.length) {
      const needed = size + chunk.length;
      const next = needed > this.#buf.length ? new Uint8Array(Math.max(needed, this.#buf.length * 2)) : this.#buf;
      next.set(this.#buf.subarray(this.#start, this.#end), 0);
      this.#buf = next;
      this.#start = 0;
      this.#end = size;
    }
    this.#buf.set(chunk, this.#end);
    this.#end += chunk.length;
  }

  /** Drops everything before `index` as noise (counted in `discarded`). */
  dropBefore(index: number): void {
    this.discarded += index - this.#start;
    this.#start = index;
  }

  /** Drops all but the last `keep` bytes as noise: they may be the first part of a sync pattern split across chunks. */
  keepTail(keep: number): void {
    const kept = Math.min(keep, this.size);
    this.dropBefore(this.#end - kept);
  }

  /** Moves past bytes that were used (a frame) or must be skipped (a bad sync): not counted as noise. */
  consumeTo(index: number): void {
    this.#start = Math.min(index, this.#end);
  }

  clear(): void {
    this.#start = this.#end = 0;
  }
}

/** The parser loop: items until `next` has nothing complete to give. */
export function drain<T>(next: () => T | undefined): T[] {
  const items: T[] = [];
  for (let item = next(); item !== undefined; item = next()) items.push(item);
  return items;
}
