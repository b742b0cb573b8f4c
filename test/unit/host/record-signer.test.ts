import { mkdtemp, rm } from 'node:fs/promises';
import { createPublicKey, verify } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SignedConfirmationUpload } from '../../../core/contract/central-api.js';
import { verifyRecordSignature } from '../../../core/records/record-signature.js';
import { signRecordItems } from '../../../host/central/record-signer.js';
import { StationIdentity } from '../../../host/central/station-identity.js';

const STATION_ID = '123e4567-e89b-42d3-a456-426614174000';
const record = { id: '223e4567-e89b-42d3-a456-426614174001', citizenId: '410105200203140223', content: { outcome: 'confirmed', blobs: [] } };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'record-signer-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('record signer', () => {
  it('signs each record with the station key for the station id, sent as parsed; a non-record goes on unsigned', async () => {
    const identity = await StationIdentity.load(dir);
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(identity.publicKey, 'base64').toString('base64url') }, format: 'jwk' });
    const check = (text: string, signature: Uint8Array) => verify(null, Buffer.from(text, 'utf8'), key, signature);
    const notARecord = { id: '323e4567-e89b-42d3-a456-426614174002', citizenId: '123' };

    const [signed, passed] = signRecordItems(identity, STATION_ID, [record, notARecord]);
    const upload = SignedConfirmationUpload.parse(signed);
    // `blobs` defaulted to [] before signing: the server checks exactly what was signed.
    expect(upload).toEqual({ ...record, blobs: [], signature: upload.signature });
    expect(verifyRecordSignature(STATION_ID, upload, upload.signature, check)).toBe(true);
    expect(verifyRecordSignature('423e4567-e89b-42d3-a456-426614174000', upload, upload.signature, check)).toBe(false);
    expect(passed).toBe(notARecord);
  });
});
