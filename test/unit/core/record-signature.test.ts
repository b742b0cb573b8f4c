import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SignedConfirmationUpload } from '../../../core/contract/central-api.js';
import { RECEIPT_SIGNING_LABEL } from '../../../core/contract/receipt.js';
import {
  RECORD_SIGNING_LABEL,
  type SignableRecord,
  blobListsAgree,
  contentBlobHashes,
  decodeRecordSignature,
  encodeRecordSignature,
  recordDigest,
  recordSigningText,
  verifyRecordSignature,
} from '../../../core/records/record-signature.js';
import { seededRandom } from '../../../native/simulators/seeded-random.js';

const STATION = '123e4567-e89b-42d3-a456-426614174000';
const OTHER_STATION = '123e4567-e89b-42d3-a456-426614174999';
const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

const record: SignableRecord = {
  id: '223e4567-e89b-42d3-a456-426614174001',
  citizenId: '410105200203140223',
  content: { outcome: 'confirmed', reasons: [], blobs: [{ role: 'standard-photo', sha256: A }], decidedAt: '2026-12-03T09:00:00.000+08:00' },
  blobs: [A],
};

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const signWith = (text: string, key = privateKey) => encodeRecordSignature(new Uint8Array(sign(null, Buffer.from(text, 'utf8'), key)));
const check = (text: string, signature: Uint8Array) => verify(null, Buffer.from(text, 'utf8'), publicKey, signature);

describe('record signing text', () => {
  it('is the label, the station and the digest, stable across releases', () => {
    expect(recordSigningText(STATION, record)).toBe(`xianchang-record/1\n${STATION}\n${recordDigest(record)}`);
    // Fixed here on purpose: a change of the digest's recipe would make every stored signature unverifiable.
    expect(recordDigest(record)).toBe('c63a7108bf03a76a41f87481347d09322ae226f3f911a1b81dac40c272ed9e8f');
  });

  it('does not depend on key order, blob order or repeated blobs, nor on the station id’s case', () => {
    const reordered = { blobs: [A, A], content: Object.fromEntries(Object.entries(record.content).reverse()), citizenId: record.citizenId, id: record.id };
    expect(recordSigningText(STATION, reordered)).toBe(recordSigningText(STATION, record));
    const two = { ...record, blobs: [A, B] };
    expect(recordDigest({ ...record, blobs: [B, A] })).toBe(recordDigest(two));
    expect(recordSigningText(STATION.toUpperCase(), record)).toBe(recordSigningText(STATION, record));
  });

  it('can never be read as a request, receipt or day-close signing text', () => {
    const firstLine = recordSigningText(STATION, record).split('\n')[0];
    expect(firstLine).toBe(RECORD_SIGNING_LABEL);
    expect(firstLine).not.toBe(RECEIPT_SIGNING_LABEL);
    expect(firstLine).not.toBe('xianchang-day-close-v1');
    // A request's first line is an HTTP method (upper-case letters only).
    expect(firstLine).not.toMatch(/^[A-Z]+$/);
  });
});

describe('record signature wire form', () => {
  it('is 86 base64url characters of 64 bytes; anything else decodes to nothing', () => {
    const signature = signWith(recordSigningText(STATION, record));
    expect(signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(decodeRecordSignature(signature)).toEqual(new Uint8Array(sign(null, Buffer.from(recordSigningText(STATION, record)), privateKey)));
    for (const bad of ['', 'AAAA', `${signature}A`, signature.slice(1), `${signature.slice(0, 85)}=`, `${signature.slice(0, 85)}+`]) {
      expect(decodeRecordSignature(bad), bad).toBeUndefined();
    }
    // The last character carries 4 unused bits: a text whose unused bits are set is not a second spelling.
    expect(decodeRecordSignature(`${'A'.repeat(85)}B`)).toBeUndefined();
    expect(() => encodeRecordSignature(new Uint8Array(63))).toThrow(RangeError);
  });

  it('is required on the server’s upload schema', () => {
    const signature = signWith(recordSigningText(STATION, record));
    expect(SignedConfirmationUpload.safeParse({ ...record, signature }).success).toBe(true);
    expect(SignedConfirmationUpload.safeParse(record).success).toBe(false);
    expect(SignedConfirmationUpload.safeParse({ ...record, signature: Buffer.from(decodeRecordSignature(signature)!).toString('base64') }).success).toBe(false);
  });
});

describe('content blob list', () => {
  it('reads content.blobs[].sha256 as a set, and agrees with the upload’s list only when the sets are equal', () => {
    expect(contentBlobHashes({ blobs: [{ role: 'x', sha256: B }, { role: 'y', sha256: A }, { role: 'z', sha256: B }] })).toEqual([A, B]);
    expect(contentBlobHashes({ outcome: 'confirmed' })).toEqual([]);
    expect(contentBlobHashes({ blobs: 'none' })).toBeUndefined();
    expect(contentBlobHashes({ blobs: [{ role: 'x', sha256: 'A'.repeat(64) }] })).toBeUndefined();
    expect(blobListsAgree(record)).toBe(true);
    expect(blobListsAgree({ ...record, blobs: [A, A] })).toBe(true);
    expect(blobListsAgree({ ...record, blobs: [] })).toBe(false);
    expect(blobListsAgree({ ...record, blobs: [A, B] })).toBe(false);
    expect(blobListsAgree({ ...record, blobs: [B] })).toBe(false);
    expect(blobListsAgree({ content: {}, blobs: [] })).toBe(true);
    expect(blobListsAgree({ content: { blobs: [{}] }, blobs: [] })).toBe(false);
  });
});

describe('record signature fuzz', () => {
  const random = seededRandom(0x5eed13);
  const int = (n: number) => Math.floor(random() * n);
  const hex = (chars: number) => Array.from({ length: chars }, () => '0123456789abcdef'[int(16)]).join('');
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const text = () => Array.from({ length: 1 + int(12) }, () => String.fromCodePoint([0x41 + int(26), 0x4e00 + int(500), 0x20 + int(90)][int(3)]!)).join('');
  const value = (depth: number): unknown => {
    switch (int(depth > 2 ? 4 : 6)) {
      case 0: return int(100000) - 50000;
      case 1: return random() * 10;
      case 2: return text();
      case 3: return int(2) === 0;
      case 4: return Array.from({ length: int(4) }, () => value(depth + 1));
      default: return Object.fromEntries(Array.from({ length: int(4) }, () => [text(), value(depth + 1)]));
    }
  };
  const randomRecord = (): SignableRecord => {
    const blobs = Array.from({ length: int(4) }, () => hex(64));
    const content: Record<string, unknown> = { outcome: int(2) ? 'confirmed' : 'rejected', blobs: blobs.map((sha256, i) => ({ role: `r${i}`, sha256 })) };
    for (let i = 0, n = int(6); i < n; i++) content[`k${i}${text()}`] = value(0);
    const digits = Array.from({ length: 11 }, () => int(10)).join('');
    return { id: uuid(), citizenId: `410105${digits}${int(2) ? 'X' : '1'}`, content, blobs };
  };

  /** Every way of changing exactly one thing the signature covers. */
  const changes = (r: SignableRecord): Array<[string, SignableRecord, string]> => {
    const keys = Object.keys(r.content);
    const key = keys[int(keys.length)]!;
    return [
      ['id', { ...r, id: uuid() }, STATION],
      ['citizenId', { ...r, citizenId: r.citizenId.slice(0, 17) + (r.citizenId.endsWith('1') ? '2' : '1') }, STATION],
      ['content value', { ...r, content: { ...r.content, [key]: [r.content[key]] } }, STATION],
      ['content key added', { ...r, content: { ...r.content, extra: null } }, STATION],
      ['content key removed', { ...r, content: Object.fromEntries(Object.entries(r.content).filter(([k]) => k !== key)) }, STATION],
      ['blob added', { ...r, blobs: [...r.blobs, hex(64)] }, STATION],
      ['station', r, OTHER_STATION],
      ...(r.blobs.length > 0 ? ([['blob removed', { ...r, blobs: r.blobs.slice(1) }, STATION]] as Array<[string, SignableRecord, string]>) : []),
    ];
  };

  it('verifies what was signed and nothing that differs in one field, in 300 random records', () => {
    for (let n = 0; n < 300; n++) {
      const r = randomRecord();
      // Through JSON and back, as the record travels: still verifies.
      const travelled = JSON.parse(JSON.stringify(r)) as SignableRecord;
      const signature = signWith(recordSigningText(STATION, r));
      expect(verifyRecordSignature(STATION, travelled, signature, check)).toBe(true);
      for (const [what, changed, station] of changes(r)) {
        expect(verifyRecordSignature(station, changed, signature, check), `${what} (record ${n})`).toBe(false);
      }
      const bytes = decodeRecordSignature(signature)!;
      bytes[int(64)]! ^= 1 << int(8);
      expect(verifyRecordSignature(STATION, r, encodeRecordSignature(bytes), check)).toBe(false);
    }
  });
});
