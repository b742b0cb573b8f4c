import { scryptAsync } from '@noble/hashes/scrypt.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { base64UrlDecode, base64UrlEncode } from '../contract/receipt.js';

/**
 * The one password hash of the project: staff passwords on the central server, the hashes stations download,
 * and the supervisors of a station's config all take the form `scrypt$N$r$p$salt$key` (standard base64).
 * Pure JavaScript so that the server and the host (different rings) share it byte for byte.
 */

/** Cost that takes a few hundred ms here: slow for guessing offline, unnoticeable at the desk. */
export const DEFAULT_SCRYPT_COST = 16384;
const R = 8;
const P = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Bounds what a stored hash can make us compute (N·r·128 bytes of memory, p passes). */
const MAX_MEMORY_BYTES = 64 * 1024 * 1024;
const MAX_P = 4;

function toBase64(bytes: Uint8Array): string {
  const url = base64UrlEncode(bytes).replace(/-/g, '+').replace(/_/g, '/');
  return url.padEnd(Math.ceil(url.length / 4) * 4, '=');
}

function fromBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0 || /[-_]/.test(text)) return undefined;
  return base64UrlDecode(text.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'));
}

/** `cost` (scrypt N, a power of two) is for tests and tools only; real hashes use the default. */
export async function hashPassword(password: string, options: { cost?: number } = {}): Promise<string> {
  const cost = options.cost ?? DEFAULT_SCRYPT_COST;
  const salt = randomBytes(SALT_BYTES);
  const key = await scryptAsync(password.normalize('NFC'), salt, { N: cost, r: R, p: P, dkLen: KEY_BYTES });
  return `scrypt$${cost}$${R}$${P}$${toBase64(salt)}$${toBase64(key)}`;
}

/** Whether `password` matches `hash`; a malformed or out-of-bounds hash matches nothing. Constant-time compare. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const [kind, n, r, p, saltText, keyText, ...rest] = hash.split('$');
  if (kind !== 'scrypt' || !n || !r || !p || !saltText || !keyText || rest.length > 0) return false;
  const N = Number(n);
  const rr = Number(r);
  const pp = Number(p);
  const salt = fromBase64(saltText);
  const expected = fromBase64(keyText);
  if (!Number.isInteger(N) || N < 2 || (N & (N - 1)) !== 0 || !Number.isInteger(rr) || rr < 1 || !Number.isInteger(pp) || pp < 1 || pp > MAX_P) return false;
  if (128 * N * rr > MAX_MEMORY_BYTES || !salt || !expected || expected.length < 16 || expected.length > 64) return false;
  const actual = await scryptAsync(password.normalize('NFC'), salt, { N, r: rr, p: pp, dkLen: expected.length, maxmem: MAX_MEMORY_BYTES + 1024 * 1024 });
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= actual[i]! ^ expected[i]!;
  return diff === 0;
}
