import { generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HandoffBundleError } from '../../../core/handoff/bundle-error.js';
import {
  type HandoffPayloadInput,
  type StationKeyLookup,
  generateHandoffKeyPair,
  openBundle,
  readBundleHeader,
  sealBundle,
} from '../../../core/handoff/bundle.js';
import { sha256Hex } from '../../../core/crypto/sha256.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { ValidationError } from '../../../core/errors/station-error.js';

const STATION = '123e4567-e89b-42d3-a456-426614174000';

function stationKeys() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey, signer: (text: string) => sign(null, Buffer.from(text, 'utf8'), privateKey).toString('base64') };
}

function lookupFor(keys: Record<string, { publicKey: KeyObject; revoked?: boolean }>): StationKeyLookup {
  return async (id) => {
    const entry = keys[id];
    if (!entry) return undefined;
    return { revoked: entry.revoked ?? false, verify: (text, signature) => verify(null, Buffer.from(text, 'utf8'), entry.publicKey, signature) };
  };
}

const photo = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5]);

function payload(overrides: Partial<HandoffPayloadInput> = {}): HandoffPayloadInput {
  return {
    stationId: STATION,
    pointCode: 'ZZ-01',
    day: '2026-12-03',
    createdAt: '2026-12-03T18:00:00+08:00',
    records: [{ id: '223e4567-e89b-42d3-a456-426614174001', citizenId: '410105200203140223', content: { outcome: 'confirmed' }, blobs: [sha256Hex(photo)] }],
    blobs: [{ sha256: sha256Hex(photo), mime: 'image/jpeg', base64: Buffer.from(photo).toString('base64') }],
    audit: [{ seq: 1, kind: 'sign-in' }],
    ...overrides,
  };
}

async function sealed(options: { station?: ReturnType<typeof stationKeys>; server?: ReturnType<typeof generateHandoffKeyPair>; payload?: HandoffPayloadInput } = {}) {
  const station = options.station ?? stationKeys();
  const server = options.server ?? generateHandoffKeyPair();
  const bytes = await sealBundle({ payload: options.payload ?? payload(), recipientPublicKey: server.publicKey, sign: station.signer });
  return { bytes, station, server, lookup: lookupFor({ [STATION]: { publicKey: station.publicKey } }) };
}

async function refusal(promise: Promise<unknown>): Promise<HandoffBundleError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HandoffBundleError);
  return error as HandoffBundleError;
}

describe('handoff bundle', () => {
  it('round-trips: the opened payload is the sealed one, blobs as bytes', async () => {
    const { bytes, server, lookup } = await sealed();
    const opened = await openBundle(bytes, server.privateKey, lookup);
    expect(opened.header.stationId).toBe(STATION);
    expect(opened.payload.records).toEqual(payload().records);
    expect(opened.payload.audit).toEqual([{ seq: 1, kind: 'sign-in' }]);
    expect(opened.blobs).toEqual([{ sha256: sha256Hex(photo), mime: 'image/jpeg', bytes: photo }]);
    expect(opened.fileSha256).toBe(sha256Hex(bytes));
  });

  it('keeps personal data out of the clear: the citizen number is not in the file', async () => {
    const { bytes } = await sealed();
    expect(Buffer.from(bytes).includes(Buffer.from('410105200203140223'))).toBe(false);
    expect(Buffer.from(bytes).includes(Buffer.from(photo))).toBe(false);
  });

  it('uses a fresh ephemeral key and nonce per bundle', async () => {
    const station = stationKeys();
    const server = generateHandoffKeyPair();
    const a = readBundleHeader((await sealed({ station, server })).bytes).header;
    const b = readBundleHeader((await sealed({ station, server })).bytes).header;
    expect(a.ephemeralPublicKey).not.toBe(b.ephemeralPublicKey);
    expect(a.nonce).not.toBe(b.nonce);
  });

  it('refuses a bundle sealed to another server key', async () => {
    const { bytes, lookup } = await sealed();
    const error = await refusal(openBundle(bytes, generateHandoffKeyPair().privateKey, lookup));
    expect(error.reason).toBe('wrong-server-key');
    expect(error.userMessage).toBe(zhCN.handoff.refused['wrong-server-key']);
  });

  it('refuses a changed ciphertext byte as tampered', async () => {
    const { bytes, server, lookup } = await sealed();
    const copy = bytes.slice();
    copy[copy.length - 64 - 10]! ^= 0x01;
    expect((await refusal(openBundle(copy, server.privateKey, lookup))).reason).toBe('tampered');
  });

  it('refuses a changed header as tampered (the header is associated data)', async () => {
    const { bytes, server, lookup } = await sealed();
    const { header } = readBundleHeader(bytes);
    const nonce = Buffer.from(header.nonce, 'base64');
    nonce[0]! ^= 0x01;
    const text = Buffer.from(bytes).toString('latin1').replace(header.nonce, nonce.toString('base64'));
    const copy = new Uint8Array(Buffer.from(text, 'latin1'));
    expect(copy).not.toEqual(bytes);
    expect((await refusal(openBundle(copy, server.privateKey, lookup))).reason).toBe('tampered');
  });

  it('refuses a changed signature, and a bundle signed by another station key', async () => {
    const { bytes, server, lookup } = await sealed();
    const copy = bytes.slice();
    copy[copy.length - 1]! ^= 0x01;
    expect((await refusal(openBundle(copy, server.privateKey, lookup))).reason).toBe('bad-signature');

    const impostor = stationKeys();
    const forged = await sealBundle({ payload: payload(), recipientPublicKey: server.publicKey, sign: impostor.signer });
    const error = await refusal(openBundle(forged, server.privateKey, lookup));
    expect(error.reason).toBe('bad-signature');
    expect(error.userMessage).toBe(zhCN.handoff.refused['bad-signature']);
  });

  it('refuses unknown and revoked stations', async () => {
    const { bytes, server, station } = await sealed();
    expect((await refusal(openBundle(bytes, server.privateKey, lookupFor({})))).reason).toBe('station-unknown');
    const revoked = lookupFor({ [STATION]: { publicKey: station.publicKey, revoked: true } });
    expect((await refusal(openBundle(bytes, server.privateKey, revoked))).reason).toBe('station-revoked');
  });

  it('refuses files that are not bundles', async () => {
    const server = generateHandoffKeyPair();
    for (const bytes of [new Uint8Array(), new TextEncoder().encode('PK\u0003\u0004 a zip file'), new Uint8Array(200)]) {
      expect((await refusal(openBundle(bytes, server.privateKey, lookupFor({})))).reason).toBe('not-a-bundle');
    }
    const { bytes } = await sealed({ server });
    expect((await refusal(openBundle(bytes.subarray(0, bytes.length - 100), server.privateKey, lookupFor({})))).reason).toBe('not-a-bundle');
  });

  it('will not seal a blob whose bytes do not match its hash', async () => {
    const server = generateHandoffKeyPair();
    const bad = payload({ blobs: [{ sha256: 'a'.repeat(64), mime: 'image/jpeg', base64: Buffer.from(photo).toString('base64') }] });
    await expect(sealBundle({ payload: bad, recipientPublicKey: server.publicKey, sign: stationKeys().signer })).rejects.toBeInstanceOf(ValidationError);
  });
});
