/**
 * A duplex byte channel to a device. HID, serial and the simulators all implement it, so the protocol
 * code above (frame parser, sessions) is the same for real hardware and for tests.
 */
export interface ByteTransport {
  /** Human-readable identity for status and logs (e.g. "HID 2B8B:2721", "COM3"); never personal data. */
  readonly description: string;
  open(): Promise<void>;
  /** Sends one command frame; the transport splits it into reports/packets as the device needs. */
  write(bytes: Uint8Array): Promise<void>;
  /** Bytes as they arrive, in any fragmentation; the frame parser reassembles them. */
  onData(listener: (bytes: Uint8Array) => void): () => void;
  /** The device went away (unplugged, port closed, I/O error); the transport is unusable afterwards. */
  onClose(listener: (reason: string) => void): () => void;
  close(): Promise<void>;
}
