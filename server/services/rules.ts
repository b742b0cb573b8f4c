import { z } from 'zod';
import { describeIssues } from '../../core/api/describe-issues.js';
import { sha256Hex } from '../../core/crypto/sha256.js';
import { InternalError } from '../../core/errors/station-error.js';
import { BUILTIN_VERSION_PREFIX, RulesBundle } from '../../core/rules/bundle.js';
import { RulesError } from '../../core/rules/rules-error.js';
import { type SignedRulesEnvelope, signRules } from '../../core/rules/signing.js';
import type { PublishRulesReply } from '../../core/rules/wire.js';
import { encodeBase64 } from '../../core/handoff/bundle.js';
import { canonicalJson } from '../../core/util/canonical-json.js';
import type { Database, Queryable } from '../db/database.js';
import { queryOne } from '../db/rows.js';
import { lockPoint } from './points.js';
import { currentRulesKey } from './server-keys.js';

const PublishedRow = z.object({ version: z.string(), bundle_sha256: z.string(), published_at: z.date() });
const EnvelopeRow = z.object({ point_code: z.string(), bundle: z.record(z.string(), z.json()), key_id: z.string(), signature: z.instanceof(Uint8Array) });

/**
 * 省级配置: checks a bundle (RulesBundle with its cross-field rules), signs it for the point with the server's
 * rules key and stores it as the point's current bundle. The same version with the same content again is
 * `unchanged` (a retried publish); with other content it is refused: a version names one content forever,
 * since records are stamped with it. Rolling back is publishing the old content under a new version.
 */
export async function publishRules(db: Database, pointCode: string, raw: unknown, now: Date): Promise<PublishRulesReply> {
  const parsed = RulesBundle.safeParse(raw);
  if (!parsed.success) throw new RulesError('content-invalid', describeIssues(parsed.error));
  const bundle = parsed.data;
  if (bundle.version.startsWith(BUILTIN_VERSION_PREFIX)) throw new RulesError('reserved-version', bundle.version);
  const bundleSha256 = rulesContentSha256(bundle);
  const key = await currentRulesKey(db, now);
  return db.transaction(async (tx) => {
    // One publisher per point at a time: the check for the version and the insert cannot interleave.
    await lockPoint(tx, pointCode);
    const existing = await queryOne(tx, PublishedRow, 'SELECT version, bundle_sha256, published_at FROM rules_bundles WHERE point_code = $1 AND version = $2', [pointCode, bundle.version]);
    if (existing) {
      if (existing.bundle_sha256 !== bundleSha256) throw new RulesError('version-conflict', `${bundle.version} was published with other content`);
      return { status: 'unchanged', pointCode, version: bundle.version, bundleSha256, publishedAt: existing.published_at.toISOString() };
    }
    const envelope = signRules(pointCode, bundle, key.privateKey);
    await tx.query(
      `INSERT INTO rules_bundles (point_code, version, bundle, bundle_sha256, key_id, signature, published_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [pointCode, bundle.version, JSON.stringify(envelope.bundle), bundleSha256, envelope.keyId, Buffer.from(envelope.signature, 'base64'), now],
    );
    return { status: 'published', pointCode, version: bundle.version, bundleSha256, publishedAt: now.toISOString() };
  });
}

/** The point's newest bundle as signed for it, or null while none was published. */
export async function currentRulesForPoint(db: Queryable, pointCode: string): Promise<SignedRulesEnvelope | null> {
  const row = await queryOne(db, EnvelopeRow, 'SELECT point_code, bundle, key_id, signature FROM rules_bundles WHERE point_code = $1 ORDER BY id DESC LIMIT 1', [pointCode]);
  if (!row) return null;
  if (row.signature.length !== 64) throw new InternalError('rules signature row is not 64 bytes');
  return { pointCode: row.point_code, bundle: row.bundle, keyId: row.key_id, signature: encodeBase64(new Uint8Array(row.signature)) };
}

/** What "same content" means for a version: the SHA-256 of the parsed bundle's canonical JSON. */
export function rulesContentSha256(bundle: RulesBundle): string {
  return sha256Hex(canonicalJson(bundle));
}
