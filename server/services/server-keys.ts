import { z } from 'zod';
import type { HandoffKeyInfo } from '../../core/contract/central-api.js';
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
  const existing = await queryOne(db, KeyRow, "SELECT id, public_key FROM server_keys WHERE purpose = 'handoff' AND retired_at IS NULL");
  if (existing) return info(existing);
  const pair = generateHandoffKeyPair();
  await db.query(
    `INSERT INTO server_keys (id, purpose, public_key, private_key, created_at) VALUES ($1, 'handoff', $2, $3, $4)
     ON CONFLICT DO NOTHING`,
    [handoffKeyId(pair.publicKey), pair.publicKey, pair.privateKey, now],
  );
  // Whichever insert won is the key.
  const row = await queryOne(db, KeyRow, "SELECT id, public_key FROM server_keys WHERE purpose = 'handoff' AND retired_at IS NULL");
  if (!row) throw new InternalError('handoff key vanished after insert');
  return info(row);
}

/** Every handoff private key by id, current and retired: a bundle names the one it was sealed to. */
export async function handoffPrivateKeys(db: Queryable): Promise<Map<string, Uint8Array>> {
  const rows = await queryRows(db, PrivateRow, "SELECT id, private_key FROM server_keys WHERE purpose = 'handoff' ORDER BY created_at DESC");
  return new Map(rows.map((row) => [row.id, new Uint8Array(row.private_key)]));
}

function info(row: z.infer<typeof KeyRow>): HandoffKeyInfo {
  return { keyId: row.id, publicKey: Buffer.from(row.public_key).toString('base64') };
}
