import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { StorageDataKey } from '../../core/contract/station-api.js';
import { FileInvalidError, InvalidStateError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';
import { ownerOnlyFile, type SecretStore } from '../central/station-identity.js';

export const DATA_KEY_FILE = 'station-data-key.json';
const KEY_BYTES = 32;

const DataKeyFile = z.strictObject({
  version: z.literal(1),
  secretStore: z.string().max(40),
  /** Base64 of the 32-byte AES key, sealed by the SecretStore named above. */
  key: z.string().max(4096),
  createdAt: z.iso.datetime({ offset: true }),
});
type DataKeyFile = z.infer<typeof DataKeyFile>;

/**
 * The station's data key: encrypts photos, fingerprints and signatures in the staff window's IndexedDB.
 * Created once, kept sealed beside the station identity with the same SecretStore, and never replaced:
 * a new key would leave every stored blob unreadable, so a damaged or foreign key file is an error for
 * a person to resolve, not a reason to start over.
 */
export class DataKeyStore {
  #key: Promise<StorageDataKey> | undefined;

  constructor(private readonly options: { dataDir: string | undefined; secrets?: SecretStore; now?: () => Date }) {}

  /** The key as base64; concurrent first calls share one creation. */
  get(): Promise<StorageDataKey> {
    const { dataDir } = this.options;
    if (!dataDir) return Promise.reject(new InvalidStateError('no data folder configured', zhCN.central.noDataDir));
    this.#key ??= this.#load(path.join(dataDir, DATA_KEY_FILE));
    // A failure (unreadable file, store unavailable) is reported on every call rather than cached.
    this.#key.catch(() => (this.#key = undefined));
    return this.#key;
  }

  async #load(file: string): Promise<StorageDataKey> {
    const secrets = this.options.secrets ?? ownerOnlyFile;
    const text = await readIfExists(file);
    if (text === undefined) return this.#create(file, secrets);
    const parsed = DataKeyFile.safeParse(safeJson(text));
    if (!parsed.success || parsed.data.secretStore !== secrets.kind) {
      throw new FileInvalidError('data key file unreadable', zhCN.storage.keyInvalid);
    }
    let keyBase64: string;
    try {
      keyBase64 = await secrets.open(parsed.data.key);
    } catch {
      throw new FileInvalidError('data key could not be unsealed', zhCN.storage.keyInvalid);
    }
    if (Buffer.from(keyBase64, 'base64').length !== KEY_BYTES) throw new FileInvalidError('data key has the wrong length', zhCN.storage.keyInvalid);
    return { keyBase64 };
  }

  /**
   * Written to a temporary file and hard-linked into place: the link fails if the file appeared meanwhile
   * (another host process), and then that process's key is the one, so there is never a second key.
   */
  async #create(file: string, secrets: SecretStore): Promise<StorageDataKey> {
    const keyBase64 = randomBytes(KEY_BYTES).toString('base64');
    const data: DataKeyFile = {
      version: 1,
      secretStore: secrets.kind,
      key: await secrets.seal(keyBase64),
      createdAt: (this.options.now?.() ?? new Date()).toISOString(),
    };
    await mkdir(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temporary, JSON.stringify(data, null, 1), { mode: 0o600 });
    await chmod(temporary, 0o600);
    try {
      await link(temporary, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return this.#load(file);
    } finally {
      await unlink(temporary).catch(() => undefined);
    }
    return { keyBase64 };
  }
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    // Only a missing file means "first start"; any other failure must not lead to a new key.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new FileInvalidError('data key file unreadable', zhCN.storage.keyInvalid);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
