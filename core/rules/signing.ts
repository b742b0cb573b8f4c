/**
 * The signed form of a rules bundle: the central server signs, for one point, the canonical JSON of the point
 * code and the bundle with its Ed25519 rules key; stations verify against the key they got at enrollment.
 * Binding the point means a bundle published for one point cannot be replayed to another.
 *
 *   signRules(pointCode, bundle, key)        the envelope (server side)
 *   openSignedRules(raw, trustedKey, point)  the verified bundle, or a RulesError saying why not
 *
 * Verification runs over the bundle exactly as received, before it is parsed: what was signed is what is checked.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { z } from 'zod';
import { describeIssues } from '../api/describe-issues.js';
import { PointCode, type RulesKeyInfo, base64OfLength } from '../contract/central-api.js';
import { decodeBase64, encodeBase64, handoffKeyId } from '../handoff/bundle.js';
import { canonicalJson } from '../util/canonical-json.js';
import { RulesBundle } from './bundle.js';
import { RulesError } from './rules-error.js';

export const RULES_SIGNING_LABEL = 'xianchang-rules-v1';
/** A bundle is a few KB; the bound keeps a hostile reply small. */
export const MAX_RULES_JSON_CHARS = 256 * 1024;

/** As it travels and is stored: the bundle is checked against RulesBundle only after the signature. */
export const SignedRulesEnvelope = z.strictObject({
  pointCode: PointCode,
  bundle: z.record(z.string().max(100), z.json()),
  /** Which server key signed (RulesKeyInfo.keyId). */
  keyId: z.string().regex(/^[0-9a-f]{32}$/),
  /** Ed25519 over rulesSigningText(pointCode, bundle), base64. */
  signature: base64OfLength(64),
});
export type SignedRulesEnvelope = z.infer<typeof SignedRulesEnvelope>;

export function rulesSigningText(pointCode: string, bundle: unknown): string {
  return `${RULES_SIGNING_LABEL}\n${canonicalJson({ pointCode, bundle })}`;
}

export function rulesKeyId(publicKey: Uint8Array): string {
  return handoffKeyId(publicKey);
}

export function generateRulesKeyPair(): { privateKey: Uint8Array; publicKey: Uint8Array } {
  const { secretKey, publicKey } = ed25519.keygen();
  return { privateKey: secretKey, publicKey };
}

export function rulesKeyInfo(publicKey: Uint8Array): RulesKeyInfo {
  return { keyId: rulesKeyId(publicKey), publicKey: encodeBase64(publicKey) };
}

/** Checks the bundle (every cross-field rule) and signs it for the point; what is signed is the parsed bundle. */
export function signRules(pointCode: string, bundle: RulesBundle, privateKey: Uint8Array): SignedRulesEnvelope {
  const checked = RulesBundle.parse(bundle);
  const plain = JSON.parse(JSON.stringify(checked)) as Record<string, z.core.util.JSONType>;
  const signature = ed25519.sign(utf8ToBytes(rulesSigningText(pointCode, plain)), privateKey);
  return { pointCode, bundle: plain, keyId: rulesKeyId(ed25519.getPublicKey(privateKey)), signature: encodeBase64(signature) };
}

export interface OpenedRules {
  envelope: SignedRulesEnvelope;
  bundle: RulesBundle;
}

/**
 * The envelope's bundle, once the trusted key signed it for `pointCode` and it passes RulesBundle. Throws
 * RulesError: not-rules, wrong-point, no-server-key, unknown-key, bad-signature, content-invalid.
 */
export function openSignedRules(raw: unknown, trustedKey: RulesKeyInfo | undefined, pointCode: string): OpenedRules {
  const text = safeStringify(raw);
  if (text === undefined || text.length > MAX_RULES_JSON_CHARS) throw new RulesError('not-rules', 'not JSON or too large');
  const parsed = SignedRulesEnvelope.safeParse(raw);
  if (!parsed.success) throw new RulesError('not-rules', describeIssues(parsed.error));
  const envelope = parsed.data;
  if (envelope.pointCode !== pointCode) throw new RulesError('wrong-point', `envelope for ${envelope.pointCode}`);
  if (!trustedKey) throw new RulesError('no-server-key', 'no rules key kept with the enrollment');
  if (envelope.keyId !== trustedKey.keyId) throw new RulesError('unknown-key', `signed by ${envelope.keyId}`);
  const publicKey = decodeBase64(trustedKey.publicKey);
  const signature = decodeBase64(envelope.signature);
  if (!publicKey || !signature || !verifyEd25519(signature, rulesSigningText(envelope.pointCode, envelope.bundle), publicKey)) {
    throw new RulesError('bad-signature', `version ${String(envelope.bundle['version'])}`);
  }
  const bundle = RulesBundle.safeParse(envelope.bundle);
  if (!bundle.success) throw new RulesError('content-invalid', describeIssues(bundle.error));
  return { envelope, bundle: bundle.data };
}

function verifyEd25519(signature: Uint8Array, message: string, publicKey: Uint8Array): boolean {
  try {
    // Strict RFC 8032 (not ZIP 215): one signature per message and key.
    return ed25519.verify(signature, utf8ToBytes(message), publicKey, { zip215: false });
  } catch {
    return false;
  }
}

function safeStringify(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}
