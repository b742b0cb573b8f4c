import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StorageDataKey } from '../../../core/contract/station-api.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { parseStationConfig } from '../../../host/config/station-config.js';
import { silentLogger } from '../../../core/logging/logger.js';
import type { SecretStore } from '../../../host/central/station-identity.js';
import { DATA_KEY_FILE, DataKeyStore } from '../../../host/services/data-key.js';
import { createStationHost } from '../../../host/station-host.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'data-key-'));
  dirs.push(dir);
  return dir;
}

/** Stands in for safeStorage: a reversible transform that leaves no trace of the plaintext. */
const fakeSafeStorage: SecretStore & { sealed: number } = {
  kind: 'test-sealed',
  sealed: 0,
  async seal(plain) {
    this.sealed += 1;
    return `sealed:${Buffer.from(plain).reverse().toString('hex')}`;
  },
  async open(sealed) {
    if (!sealed.startsWith('sealed:')) throw new Error('not sealed by this store');
    return Buffer.from(sealed.slice('sealed:'.length), 'hex').reverse().toString();
  },
};

describe('DataKeyStore', () => {
  it('creates a 256-bit key once, keeps it sealed in an owner-only file, and returns the same key on the next start', async () => {
    const dir = await tempDir();
    fakeSafeStorage.sealed = 0;
    const first = await new DataKeyStore({ dataDir: dir, secrets: fakeSafeStorage }).get();
    expect(StorageDataKey.safeParse(first).success).toBe(true);
    expect(Buffer.from(first.keyBase64, 'base64')).toHaveLength(32);

    const file = path.join(dir, DATA_KEY_FILE);
    const text = await readFile(file, 'utf8');
    // Sealed: neither the base64 nor the hex of the key appears in the file.
    expect(text).not.toContain(first.keyBase64);
    expect(text).not.toContain(Buffer.from(first.keyBase64, 'base64').toString('hex'));
    expect(JSON.parse(text)).toMatchObject({ version: 1, secretStore: 'test-sealed', key: expect.stringMatching(/^sealed:/) });
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);

    // A new host process: a new store over the same folder.
    const again = await new DataKeyStore({ dataDir: dir, secrets: fakeSafeStorage }).get();
    expect(again).toEqual(first);
    expect(fakeSafeStorage.sealed).toBe(1);
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('gives concurrent first callers one key', async () => {
    const dir = await tempDir();
    const store = new DataKeyStore({ dataDir: dir });
    const other = new DataKeyStore({ dataDir: dir });
    const keys = await Promise.all([store.get(), store.get(), other.get(), other.get()]);
    expect(new Set(keys.map((key) => key.keyBase64)).size).toBe(1);
    expect(await new DataKeyStore({ dataDir: dir }).get()).toEqual(keys[0]);
  });

  it('never replaces a damaged or foreign key file (the data it protects would be lost)', async () => {
    const dir = await tempDir();
    const file = path.join(dir, DATA_KEY_FILE);
    await new DataKeyStore({ dataDir: dir, secrets: fakeSafeStorage }).get();
    const original = await readFile(file, 'utf8');

    // Sealed by another store (e.g. the owner-only default) than the one in use.
    await expect(new DataKeyStore({ dataDir: dir }).get()).rejects.toMatchObject({ code: 'FILE_INVALID', userMessage: zhCN.storage.keyInvalid });
    expect(await readFile(file, 'utf8')).toBe(original);

    await writeFile(file, '{ "version": 1, "secretStore": "test-sealed", "key": "sealed:zz"');
    await expect(new DataKeyStore({ dataDir: dir, secrets: fakeSafeStorage }).get()).rejects.toMatchObject({ code: 'FILE_INVALID' });
    await writeFile(file, JSON.stringify({ ...JSON.parse(original), key: 'garbage' }));
    await expect(new DataKeyStore({ dataDir: dir, secrets: fakeSafeStorage }).get()).rejects.toMatchObject({ code: 'FILE_INVALID' });
    expect(await readFile(file, 'utf8')).toContain('garbage');
  });

  it('fails without a data folder', async () => {
    await expect(new DataKeyStore({ dataDir: undefined }).get()).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });
});

describe('storage.dataKey on the staff bridge', () => {
  it('answers the staff window with the persisted key; the kiosk may not ask', async () => {
    const dir = await tempDir();
    const host = await createStationHost({
      hostKind: 'browser',
      appVersion: 'test',
      config: parseStationConfig({ simulators: 'on', simulatorTiming: 'instant', idcardReader: { hid: [], serial: [] } }, 't'),
      defaultRosterSeedFile: path.resolve('assets/roster/sample-roster.json'),
      logger: silentLogger,
      dataDir: dir,
      deviceSlots: [],
    });
    try {
      const reply = await host.dispatch('staff', 'storage.dataKey', {});
      expect(reply.ok).toBe(true);
      const key = StorageDataKey.parse(reply.ok ? reply.value : undefined);
      expect(await new DataKeyStore({ dataDir: dir }).get()).toEqual(key);
      expect(await host.dispatch('staff', 'storage.dataKey', {})).toEqual(reply);
      const kiosk = await host.dispatch('kiosk', 'storage.dataKey', {});
      expect(kiosk.ok).toBe(false);
    } finally {
      await host.close();
    }
  });
});
