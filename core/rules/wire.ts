/** The rules bundle on the wire between the central server, its admins and stations (see core/rules/signing.ts). */
import { z } from 'zod';
import { API_PREFIX, PointCode, Sha256Hex } from '../contract/central-api.js';
import { RulesVersion } from './bundle.js';
import { SignedRulesEnvelope } from './signing.js';

/** GET (station-authenticated): the point's current signed bundle, or null while none was published. */
export const RULES_PATH = `${API_PREFIX}/station/rules`;
/** GET (station-authenticated): the rules key, for stations enrolled before the server had one. */
export const RULES_KEY_PATH = `${API_PREFIX}/rules-key`;
/** POST (admin): a RulesBundle as JSON; the server checks, signs and stores it for the point. */
export const adminRulesPath = (pointCode: string) => `${API_PREFIX}/admin/points/${pointCode}/rules`;

export const RulesReply = z.strictObject({
  pointCode: PointCode,
  rules: SignedRulesEnvelope.nullable(),
});
export type RulesReply = z.infer<typeof RulesReply>;

export const PublishRulesReply = z.strictObject({
  /** published: new for the point (and now its current bundle); unchanged: this version with this content was already published. */
  status: z.enum(['published', 'unchanged']),
  pointCode: PointCode,
  version: RulesVersion,
  /** SHA-256 of the bundle's canonical JSON: "same content" means equal hashes. */
  bundleSha256: Sha256Hex,
  publishedAt: z.iso.datetime(),
});
export type PublishRulesReply = z.infer<typeof PublishRulesReply>;
