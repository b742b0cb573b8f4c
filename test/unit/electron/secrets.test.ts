import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { createJsonLogger } from '../../../core/logging/logger.js';
import { StationIdentity } from '../../../host/central/station-identity.js';
import { DataKeyStore, DATA_KEY_FILE } from '../../../host/services/data-key.js';
import { chooseSecretStore, SAFE_STORAGE_KIND, safeStorageSecrets, type SafeStorageLike } from '../../../electron/main/secrets.js';

/** A stand-in for safeStorage: XOR with a key the files never contain, plus the v10 prefix Chromium writes. */
function fakeSafeStorage(options: { available?: boolean; backend?: string } = {}): SafeStorageLike {
  const mask = (bytes: Buffer) => Buffer.from(bytes.map((b, i) => b ^ (0x5a + (i % 7))));
  return {
    isAsyncEncryptionAvailable: vi.fn(async () => options.available ?? true),
    encryptStringAsync: vi.fn(async (plain: string) => Buffer.concat([Buffer.from('v10'), mask(Buffer.from(plain, 'utf8'))])),
    decryptStringAsync: vi.fn(async (sealed: Buffer) => {
      if (sealed.subarray(0, 3).toString() !== 'v10') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return { result: mask(sealed.subarray(3)).toString('utf8'), shouldReEncrypt: false };
    }),
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
  };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'station-secrets-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('safeStorageSecrets', () => {
  it('seals with the async API and opens what it sealed', async () => {
    const storage = fakeSafeStorage();
    const store = safeStorageSecrets(storage);
    const sealed = await store.seal('geheim-Schlüssel');
    expect(sealed).not.toContain('geheim');
    expect(await store.open(sealed)).toBe('geheim-Schlüssel');
    expect(storage.encryptStringAsync).toHaveBeenCalledTimes(1);
    expect(store.kind).toBe(SAFE_STORAGE_KIND);
  });

  it('the station key and data key files hold sealed text, never the raw keys', async () => {
    const secrets = safeStorageSecrets(fakeSafeStorage());
    await StationIdentity.load(dir, secrets);
    const { keyBase64 } = await new DataKeyStore({ dataDir: dir, secrets }).get();
    const identity = JSON.parse(await readFile(path.join(dir, 'station-identity.json'), 'utf8')) as { secretStore: string; privateKey: string };
    const dataKey = JSON.parse(await readFile(path.join(dir, DATA_KEY_FILE), 'utf8')) as { secretStore: string; key: string };
    expect(identity.secretStore).toBe(SAFE_STORAGE_KIND);
    expect(dataKey.secretStore).toBe(SAFE_STORAGE_KIND);
    expect(identity.privateKey).not.toContain('PRIVATE KEY');
    expect(dataKey.key).not.toBe(keyBase64);
    expect(await readFile(path.join(dir, DATA_KEY_FILE), 'utf8')).not.toContain(keyBase64);
    // And they open again on the next start.
    expect((await new DataKeyStore({ dataDir: dir, secrets }).get()).keyBase64).toBe(keyBase64);
    await expect(StationIdentity.load(dir, secrets)).resolves.toBeDefined();
  });
});

describe('chooseSecretStore', () => {
  it('uses safeStorage when it can seal; otherwise none, and says so', async () => {
    const lines: string[] = [];
    const logger = createJsonLogger('t', { out: (l) => lines.push(l), err: (l) => lines.push(l) });
    expect((await chooseSecretStore(fakeSafeStorage(), 'win32', logger))?.kind).toBe(SAFE_STORAGE_KIND);
    expect(await chooseSecretStore(fakeSafeStorage({ available: false }), 'win32', logger)).toBeUndefined();
    const broken: SafeStorageLike = { ...fakeSafeStorage(), isAsyncEncryptionAvailable: async () => Promise.reject(new Error('no')) };
    expect(await chooseSecretStore(broken, 'win32', logger)).toBeUndefined();
    expect(lines.filter((l) => l.includes('safeStorage unavailable'))).toHaveLength(2);
  });

  it('on Linux without an OS secret store it still seals, with a warning that it is only basic_text', async () => {
    const lines: string[] = [];
    const logger = createJsonLogger('t', { out: (l) => lines.push(l), err: (l) => lines.push(l) });
    expect((await chooseSecretStore(fakeSafeStorage({ backend: 'basic_text' }), 'linux', logger))?.kind).toBe(SAFE_STORAGE_KIND);
    expect(lines.some((l) => l.includes('basic_text'))).toBe(true);
  });
});
