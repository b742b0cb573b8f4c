import { z } from 'zod';
import type { HandoffKeyInfo, RulesKeyInfo } from '../../core/contract/central-api.js';
import { generateRulesKeyPair, rulesKeyId } from '../../core/rules/signing.js';
import { generateHandoffKeyPair, handoffKeyId } from '../../core/handoff/bundle.js';
import { InternalError } from '../../core/errors/station-error.js';
import type { Queryable } from '../db/database.js';
import { queryOne, queryRows } from '../db/rows.js';

/**
 * The server's handoff key pair (X25519): stations seal 离线移交 bundles to its public key. Created on first use
 * (the first enrollment, key request or import after the 0004 migration) and kept in `server_keys`; the unique
 * index on the current key per purpose makes concurrent first uses agree on one key.
 *
 * Protection: the private key is raw bytes in the database, as readable as the personal data it guards (the
 * bundles hold the same records the confirmations table does). A deployment limits database access to the
 * server's account and encrypts disks and backups; one that wants the key out of reach of a database dump
 * stores it wrapped by a KMS/HSM key here and unwraps it in `handoffPrivateKeys` (the one place that reads it).
 * Rotation: set retired_at on the current row; the next use creates a new key, and bundles sealed to the retired
 * key still open because imports try every key by id.
 */
const KeyRow = z.object({ id: z.string(), public_key: z.instanceof(Uint8Array) });
const PrivateRow = z.object({ id: z.string(), private_key: z.instanceof(Uint8Array) });

export async function currentHandoffKey(db: Queryable, now: Date): Promise<HandoffKeyInfo> {
  return info(await currentKey(db, 'handoff', () => {
    const pair = generateHandoffKeyPair();
    return { ...pair, id: handoffKeyId(pair.publicKey) };
  }, now));
}

/**
 * The server's Ed25519 key that signs province rules bundles (省级配置), created on first use like the handoff
 * key and protected the same way. Stations get its public key at enrollment (or from RULES_KEY_PATH).
 */
export async function currentRulesKey(db: Queryable, now: Date): Promise<{ info: RulesKeyInfo; privateKey: Uint8Array }> {
  const row = await currentKey(db, 'rules', () => {
    const pair = generateRulesKeyPair();
    return { ...pair, id: rulesKeyId(pair.publicKey) };
  }, now);
  const privateRow = await queryOne(db, PrivateRow, 'SELECT id, private_key FROM server_keys WHERE id = $1', [row.id]);
  if (!privateRow) throw new InternalError('rules key vanished');
  return { info: info(row), privateKey: new Uint8Array(privateRow.private_key) };
}

type KeyPurpose = 'handoff' | 'rules';

/** The current key of a purpose; the first use inserts one, and whichever concurrent insert won is the key. */
async function currentKey(db: Queryable, purpose: KeyPurpose, generate: () => { id: string; publicKey: Uint8Array; privateKey: Uint8Array }, now: Date): Promise<z.infer<typeof KeyRow>> {
  const select = 'SELECT id, public_key FROM server_keys WHERE purpose = $1 AND retired_at IS NULL';
  const existing = await queryOne(db, KeyRow, select, [purpose]);
  if (existing) return existing;
  const pair = generate();
  await db.query(
    `INSERT INTO server_keys (id, purpose, public_key, private_key, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT DO NOTHING`,
    [pair.id, purpose, pair.publicKey, pair.privateKey, now],
  );
  const row = await queryOne(db, KeyRow, select, [purpose]);
  if (!row) throw new InternalError(`${purpose} key vanished after insert`);
  return row;
}

/** Every handoff private key by id, current and retired: a bundle names the one it was sealed to. */
export async function handoffPrivateKeys(db: Queryable): Promise<Map<string, Uint8Array>> {
  const rows = await queryRows(db, PrivateRow, "SELECT id, private_key FROM server_keys WHERE purpose = 'handoff' ORDER BY created_at DESC");
  return new Map(rows.map((row) => [row.id, new Uint8Array(row.private_key)]));
}

function info(row: z.infer<typeof KeyRow>): HandoffKeyInfo & RulesKeyInfo {
  return { keyId: row.id, publicKey: Buffer.from(row.public_key).toString('base64') };
}
