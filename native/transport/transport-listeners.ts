/**
 * The listener bookkeeping every ByteTransport needs: data listeners, and close listeners that hear
 * about the device going away. Transports keep their own "when is it lost" rules and call these.
 */
export class TransportListeners {
  readonly #data = new Set<(bytes: Uint8Array) => void>();
  readonly #close = new Set<(reason: string) => void>();

  onData(listener: (bytes: Uint8Array) => void): () => void {
    this.#data.add(listener);
    return () => this.#data.delete(listener);
  }

  onClose(listener: (reason: string) => void): () => void {
    this.#close.add(listener);
    return () => this.#close.delete(listener);
  }

  data(bytes: Uint8Array): void {
    for (const listener of this.#data) listener(bytes);
  }

  closed(reason: string): void {
    for (const listener of this.#close) listener(reason);
  }
}
