/**
 * The photo folder that comes with an export: each row names its photo file. Only names listed in the folder
 * are ever opened (no path from the file reaches the file system), and each file is read and hashed once
 * however many rows name it.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { FileInvalidError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { sha256Hex } from '../../core/crypto/sha256.js';
import type { RosterPhoto } from '../services/roster-import.js';

/** The registration system's own photo limit; larger files are not passport photos from the export. */
export const MAX_PHOTO_BYTES = 256 * 1024;

const messages = zhCN.central.roster;

/** The type by content, not by the name: a renamed file must not pass as an image. */
export function sniffPhotoMime(bytes: Uint8Array): 'image/jpeg' | 'image/png' | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= png.length && png.every((b, i) => bytes[i] === b)) return 'image/png';
  return undefined;
}

export type PhotoResult = { ok: true; photo: RosterPhoto } | { ok: false; reason: string };

export interface PhotoFolder {
  load(fileName: string): Promise<PhotoResult>;
}

export async function openPhotoFolder(dir: string): Promise<PhotoFolder> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() || e.isSymbolicLink()).map((e) => e.name);
  } catch {
    throw new FileInvalidError('photo folder unreadable', messages.file.photosUnreadable);
  }
  const exact = new Set(names);
  // Exports made on Windows do not care about case (A.JPG vs a.jpg); an ambiguous match is no match.
  const folded = new Map<string, string | null>();
  for (const name of names) {
    const key = name.toLowerCase();
    folded.set(key, folded.has(key) ? null : name);
  }
  const cache = new Map<string, Promise<PhotoResult>>();

  async function read(name: string): Promise<PhotoResult> {
    const file = path.join(dir, name);
    try {
      const info = await stat(file);
      if (!info.isFile()) return { ok: false, reason: messages.photoMissing };
      if (info.size > MAX_PHOTO_BYTES) return { ok: false, reason: messages.photoTooLarge(MAX_PHOTO_BYTES / 1024) };
      const bytes = new Uint8Array(await readFile(file));
      // Checked again: the file may have grown between stat and read.
      if (bytes.length > MAX_PHOTO_BYTES) return { ok: false, reason: messages.photoTooLarge(MAX_PHOTO_BYTES / 1024) };
      const mime = sniffPhotoMime(bytes);
      if (!mime) return { ok: false, reason: messages.photoNotImage };
      return { ok: true, photo: { sha256: sha256Hex(bytes), bytes, mime } };
    } catch {
      return { ok: false, reason: messages.photoUnreadable };
    }
  }

  return {
    load(fileName) {
      const wanted = fileName.trim();
      if (wanted === '' || wanted !== path.basename(wanted) || wanted.includes('\\') || wanted === '.' || wanted === '..') {
        return Promise.resolve({ ok: false, reason: messages.photoNameInvalid });
      }
      const name = exact.has(wanted) ? wanted : folded.get(wanted.toLowerCase());
      if (!name) return Promise.resolve({ ok: false, reason: messages.photoMissing });
      let result = cache.get(name);
      if (!result) {
        result = read(name);
        cache.set(name, result);
      }
      return result;
    },
  };
}
