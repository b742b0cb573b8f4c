import type { SecretStore } from '../../host/central/station-identity.js';
import type { Logger } from '../../core/logging/logger.js';

/**
 * The station key and the data key sealed with Electron's safeStorage (DPAPI on Windows, the OS secret store
 * on Linux). The asynchronous API: the synchronous one is deprecated in Electron 45 and gone in 46; data
 * sealed with either opens with decryptStringAsync. Kept free of Electron imports so it is unit-tested.
 */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Uint8Array>;
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
  /** Linux only: 'basic_text' means no OS secret store, so sealing uses a fixed password. */
  getSelectedStorageBackend?(): string;
}

/** Written into the key files: a file sealed by one store is never opened by another. */
export const SAFE_STORAGE_KIND = 'electron-safe-storage';

export function safeStorageSecrets(safeStorage: SafeStorageLike): SecretStore {
  return {
    kind: SAFE_STORAGE_KIND,
    seal: async (plain) => Buffer.from(await safeStorage.encryptStringAsync(plain)).toString('base64'),
    // shouldReEncrypt (a rotated OS key) is not acted on: the old sealing still opens, and rewriting key
    // files is a risk of its own (a crash mid-write), so the files stay as they are.
    open: async (sealed) => (await safeStorage.decryptStringAsync(Buffer.from(sealed, 'base64'))).result,
  };
}

/**
 * The SecretStore for the host, or undefined when safeStorage cannot seal (the host then keeps the keys in
 * owner-only files, as the browser host does). Windows always can once the app is ready.
 */
export async function chooseSecretStore(safeStorage: SafeStorageLike, platform: NodeJS.Platform, logger?: Logger): Promise<SecretStore | undefined> {
  let available = false;
  try {
    available = await safeStorage.isAsyncEncryptionAvailable();
  } catch {
    available = false;
  }
  if (!available) {
    logger?.warn('safeStorage unavailable: keys are kept in owner-only files', { platform });
    return undefined;
  }
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
    // Linux is a development platform here; say plainly when its sealing is only obfuscation.
    if (backend === 'basic_text') logger?.warn('safeStorage has no OS secret store (basic_text)', { backend });
  }
  return safeStorageSecrets(safeStorage);
}
