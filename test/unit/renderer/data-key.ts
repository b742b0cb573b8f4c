/** A station data key for tests: made like the window's (AES-GCM, non-extractable), once per test file. */
export function newDataKey(): Promise<CryptoKey> {
  return crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

export const testDataKey: CryptoKey = await newDataKey();
