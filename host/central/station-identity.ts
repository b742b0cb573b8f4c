import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { HandoffKeyInfo, RulesKeyInfo } from '../../core/contract/central-api.js';
import { FileInvalidError } from '../../core/errors/station-error.js';
import { zhCN } from '../../core/i18n/zh-CN.js';

/**
 * Protects the station's private key at rest. Electron passes one backed by safeStorage (DPAPI on
 * Windows); the browser host's default keeps it in a file only the current user may read.
 */
export interface SecretStore {
  readonly kind: string;
  seal(plain: string): Promise<string>;
  open(sealed: string): Promise<string>;
}

export const ownerOnlyFile: SecretStore = {
  kind: 'owner-only-file',
  seal: async (plain) => plain,
  open: async (sealed) => sealed,
};

const IdentityFile = z.strictObject({
  version: z.literal(1),
  secretStore: z.string().max(40),
  /** PKCS#8 PEM of the Ed25519 private key, sealed by the SecretStore. */
  privateKey: z.string().max(4096),
  enrollment: z
    .strictObject({
      serverUrl: z.url(),
      stationId: z.uuid(),
      pointCode: z.string().max(32),
      pointName: z.string().max(100),
      enrolledAt: z.iso.datetime({ offset: true }),
      /** The server's key for handoff bundles; absent in files written before it existed. */
      handoffKey: HandoffKeyInfo.optional(),
      /** The server's key for province rules bundles; absent in files written before it existed. */
      rulesKey: RulesKeyInfo.optional(),
    })
    .optional(),
});
type IdentityFile = z.infer<typeof IdentityFile>;
export type Enrollment = NonNullable<IdentityFile['enrollment']>;

/** The station's own key pair (created once) and its enrollment with a central server. */
export class StationIdentity {
  private constructor(
    private readonly file: string,
    private readonly key: KeyObject,
    private data: IdentityFile,
  ) {}

  /** Loads the identity from `dir`, creating a new key pair on first use. */
  static async load(dir: string, secrets: SecretStore = ownerOnlyFile): Promise<StationIdentity> {
    const file = path.join(dir, 'station-identity.json');
    let text: string | undefined;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      text = undefined;
    }
    if (text === undefined) {
      const { privateKey } = generateKeyPairSync('ed25519');
      const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
      const data: IdentityFile = { version: 1, secretStore: secrets.kind, privateKey: await secrets.seal(pem) };
      const identity = new StationIdentity(file, privateKey, data);
      await identity.save();
      return identity;
    }
    const parsed = IdentityFile.safeParse(safeJson(text));
    if (!parsed.success || parsed.data.secretStore !== secrets.kind) {
      throw new FileInvalidError('station identity file unreadable', zhCN.central.identityInvalid);
    }
    const key = createPrivateKey(await secrets.open(parsed.data.privateKey));
    return new StationIdentity(file, key, parsed.data);
  }

  /** Base64 of the raw 32-byte public key, as the server registers it. */
  get publicKey(): string {
    // The JWK `x` member is exactly the raw 32-byte Ed25519 public key (RFC 8037), base64url-encoded.
    const { x } = createPublicKey(this.key).export({ format: 'jwk' });
    if (typeof x !== 'string') throw new Error('station key is not an Ed25519 key');
    return Buffer.from(x, 'base64url').toString('base64');
  }

  get enrollment(): Enrollment | undefined {
    return this.data.enrollment;
  }

  sign(text: string): string {
    return sign(null, Buffer.from(text, 'utf8'), this.key).toString('base64');
  }

  async setEnrollment(enrollment: Enrollment): Promise<void> {
    this.data = { ...this.data, enrollment };
    await this.save();
  }

  /** Keeps the server's handoff key with the enrollment it belongs to (a station enrolled before the server had one). */
  async setHandoffKey(handoffKey: HandoffKeyInfo): Promise<void> {
    if (!this.data.enrollment) return;
    this.data = { ...this.data, enrollment: { ...this.data.enrollment, handoffKey } };
    await this.save();
  }

  /** Keeps the server's rules key with the enrollment it belongs to (a station enrolled before the server had one). */
  async setRulesKey(rulesKey: RulesKeyInfo): Promise<void> {
    if (!this.data.enrollment) return;
    this.data = { ...this.data, enrollment: { ...this.data.enrollment, rulesKey } };
    await this.save();
  }

  /** Written to a temporary file and renamed, so a crash never leaves half an identity. */
  private async save(): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.tmp`;
    await writeFile(temporary, JSON.stringify(this.data, null, 1), { mode: 0o600 });
    await chmod(temporary, 0o600);
    await rename(temporary, this.file);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

