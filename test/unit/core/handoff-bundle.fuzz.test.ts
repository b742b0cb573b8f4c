import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HandoffBundleError, bundleRefusals } from '../../../core/handoff/bundle-error.js';
import { type StationKeyLookup, generateHandoffKeyPair, openBundle, sealBundle } from '../../../core/handoff/bundle.js';
import { sha256Hex } from '../../../core/crypto/sha256.js';
import { seededRandom } from '../../../native/simulators/seeded-random.js';

const STATION = '123e4567-e89b-42d3-a456-426614174000';
const random = seededRandom(0x0ff1ce);
const int = (n: number) => Math.floor(random() * n);

describe('handoff bundle parser fuzz', () => {
  it('refuses every mutated, truncated, extended or random file with a typed refusal, never a crash or a success', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const server = generateHandoffKeyPair();
    const photo = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    const valid = await sealBundle({
      payload: {
        stationId: STATION,
        pointCode: 'ZZ-01',
        day: '2026-12-03',
        createdAt: '2026-12-03T18:00:00+08:00',
        records: [{ id: '223e4567-e89b-42d3-a456-426614174001', citizenId: '410105200203140223', content: { outcome: 'confirmed' }, blobs: [] }],
        blobs: [{ sha256: sha256Hex(photo), mime: 'image/jpeg', base64: Buffer.from(photo).toString('base64') }],
        audit: [{ seq: 1 }],
      },
      recipientPublicKey: server.publicKey,
      sign: (text) => sign(null, Buffer.from(text, 'utf8'), privateKey).toString('base64'),
    });
    const lookup: StationKeyLookup = async (id) =>
      id === STATION ? { revoked: false, verify: (text, signature) => verify(null, Buffer.from(text, 'utf8'), publicKey, signature) } : undefined;
    // The untouched file opens: the fuzzer starts from a real bundle.
    await expect(openBundle(valid, server.privateKey, lookup)).resolves.toMatchObject({ header: { stationId: STATION } });

    const mutate = (): Uint8Array => {
      const bytes = valid.slice();
      switch (int(6)) {
        case 0: {
          for (let i = 0, n = 1 + int(4); i < n; i++) bytes[int(bytes.length)]! ^= 1 << int(8);
          return bytes;
        }
        case 1:
          return bytes.subarray(0, int(bytes.length));
        case 2: {
          const extra = Uint8Array.from({ length: 1 + int(64) }, () => int(256));
          return Uint8Array.from([...bytes, ...extra]);
        }
        case 3: {
          // A length field (header or ciphertext) set to something else.
          const at = random() < 0.5 ? 5 : 9 + new DataView(bytes.buffer).getUint32(5);
          new DataView(bytes.buffer).setUint32(at, [0, 1, 0xffffffff, int(2 ** 32), bytes.length][int(5)]!);
          return bytes;
        }
        case 4:
          return Uint8Array.from({ length: int(2048) }, () => int(256));
        default: {
          // A valid frame around a random header.
          const header = Buffer.from(JSON.stringify({ stationId: STATION, recipientKeyId: 'x'.repeat(int(40)), nonce: int(10), [String(int(5))]: null }));
          const rest = bytes.subarray(9 + new DataView(bytes.buffer).getUint32(5));
          const len = Buffer.alloc(4);
          len.writeUInt32BE(header.length);
          return Uint8Array.from([...bytes.subarray(0, 5), ...len, ...header, ...rest]);
        }
      }
    };

    const reasons = new Map<string, number>();
    for (let i = 0; i < 1500; i++) {
      const bytes = mutate();
      if (Buffer.from(bytes).equals(Buffer.from(valid))) continue;
      const outcome = await openBundle(bytes, server.privateKey, lookup).then(
        () => 'opened',
        (error: unknown) => (error instanceof HandoffBundleError ? error.reason : `untyped ${String(error)}`),
      );
      expect(bundleRefusals as readonly string[], outcome).toContain(outcome);
      reasons.set(outcome, (reasons.get(outcome) ?? 0) + 1);
    }
    // The fuzzer reached the structural, the cryptographic and the signature checks.
    for (const reason of ['not-a-bundle', 'tampered', 'bad-signature']) expect(reasons.get(reason) ?? 0, reason).toBeGreaterThan(0);
  });
});
