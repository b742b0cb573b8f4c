import { randomBytes } from 'node:crypto';
import type { SavedFile } from '../../core/contract/station-files.js';
import { sha256Hex } from '../../core/crypto/sha256.js';

/** A file the station made, on its way to the person who asked for it. */
export interface OutgoingFile {
  fileName: string;
  bytes: Uint8Array;
  mime: string;
  kind: 'export' | 'handoff';
}

/** Puts an outgoing file where the user wants it: a save dialog (Electron) or a download (browser host). */
export interface FileSink {
  save(file: OutgoingFile): Promise<SavedFile>;
}

/** How long a download waits to be fetched; one fetch takes it. */
const DOWNLOAD_TTL_MS = 10 * 60_000;
const MAX_WAITING = 8;

/**
 * The browser host's file sink: the file waits in memory under an unguessable one-time path on the staff origin
 * (the page fetches it with <a download>). Nothing is written to disk in a folder the user did not choose.
 */
export class DownloadShelf implements FileSink {
  readonly #waiting = new Map<string, OutgoingFile & { expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async save(file: OutgoingFile): Promise<SavedFile> {
    this.#sweep();
    // Oldest first out when too many wait: a supervisor exporting again does not pile up memory.
    while (this.#waiting.size >= MAX_WAITING) this.#waiting.delete(this.#waiting.keys().next().value!);
    const id = randomBytes(24).toString('base64url');
    this.#waiting.set(id, { ...file, expiresAt: this.now() + DOWNLOAD_TTL_MS });
    return { fileName: file.fileName, bytes: file.bytes.byteLength, sha256: sha256Hex(file.bytes), downloadPath: `/download/${id}` };
  }

  /** The file at a download path, once; undefined when unknown, fetched already or expired. */
  take(path: string): OutgoingFile | undefined {
    this.#sweep();
    const match = /^\/download\/([A-Za-z0-9_-]{16,64})$/.exec(path);
    if (!match) return undefined;
    const file = this.#waiting.get(match[1]!);
    this.#waiting.delete(match[1]!);
    return file;
  }

  #sweep(): void {
    const now = this.now();
    for (const [id, file] of this.#waiting) if (file.expiresAt <= now) this.#waiting.delete(id);
  }
}

/** Content-Disposition for a Chinese file name: an ASCII fallback plus the RFC 5987 UTF-8 form. */
export function attachmentHeader(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
