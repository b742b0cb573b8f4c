import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PointKeysReply } from '../../../core/contract/central-api.js';
import { ReceiptOfflineVerifyReply, base64UrlDecode, base64UrlEncode, encodeReceiptQr, receiptSigningText } from '../../../core/contract/receipt.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { POINT_KEYS_FILE, PointKeysStore, type StoredPointKeys, verifyReceiptOffline } from '../../../host/central/point-keys.js';

const m = zhCN.receipts.offline;

function station(name: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const { x } = publicKey.export({ format: 'jwk' });
  return { id: randomUUID(), name, privateKey, publicKey: Buffer.from(x!, 'base64url').toString('base64') };
}
const desk1 = station('1号工位');
const desk2 = station('2号工位');
const outsider = station('外点工位');

function keys(overrides: Partial<StoredPointKeys> = {}): StoredPointKeys {
  return {
    version: 1,
    pointCode: 'ZZ-JS-01',
    pointName: '郑州市金水区现场确认点',
    downloadedAt: '2026-11-24T08:00:00.000Z',
    stations: [
      { stationId: desk1.id, name: desk1.name, publicKey: desk1.publicKey },
      { stationId: desk2.id, name: desk2.name, publicKey: desk2.publicKey, revokedAt: '2026-11-24T07:00:00.000Z' },
    ],
    ...overrides,
  };
}

const payloadFor = (stationId: string) => ({ id: randomUUID(), h: 'ab'.repeat(32), s: stationId, t: '2026-11-24T09:05:00.000+08:00' });
function qrSignedBy(key: KeyObject, payload: ReturnType<typeof payloadFor>): string {
  return encodeReceiptQr(payload, new Uint8Array(sign(null, Buffer.from(receiptSigningText(payload), 'utf8'), key)));
}

describe('verifyReceiptOffline', () => {
  it("verifies a receipt signed by a station of the point, with the receipt's claims", () => {
    const payload = payloadFor(desk1.id);
    const reply = verifyReceiptOffline(qrSignedBy(desk1.privateKey, payload), keys());
    expect(ReceiptOfflineVerifyReply.parse(reply)).toEqual({
      status: 'verified-signature',
      message: m['verified-signature'],
      confirmationId: payload.id,
      savedAt: payload.t,
      station: { id: desk1.id, name: '1号工位', revoked: false },
      keysDownloadedAt: '2026-11-24T08:00:00.000Z',
    });
    // As a scanner gun types it: a trailing Enter (newline) and spaces are ignored.
    expect(verifyReceiptOffline(` ${qrSignedBy(desk1.privateKey, payload)}\r\n`, keys()).status).toBe('verified-signature');
  });

  it("a revoked station's earlier receipt still verifies, and says the station is revoked", () => {
    const reply = verifyReceiptOffline(qrSignedBy(desk2.privateKey, payloadFor(desk2.id)), keys());
    expect(reply.status).toBe('verified-signature');
    expect(reply.station?.revoked).toBe(true);
    expect(reply.message).toBe(m['verified-signature'] + m.revokedNote);
  });

  it('refuses a receipt with one changed byte of its payload or its signature', () => {
    const payload = payloadFor(desk1.id);
    const qr = qrSignedBy(desk1.privateKey, payload);
    const [prefix, body, signature] = qr.split('.') as [string, string, string];
    // One byte of the content hash changed, the payload still well-formed: the signature no longer covers it.
    const json = new TextDecoder().decode(base64UrlDecode(body));
    const altered = json.replace(`"h":"ab`, `"h":"bb`);
    expect(altered).not.toBe(json);
    const alteredQr = `${prefix}.${base64UrlEncode(new TextEncoder().encode(altered))}.${signature}`;
    expect(verifyReceiptOffline(alteredQr, keys())).toMatchObject({ status: 'bad-signature', message: m['bad-signature'] });
    // One byte of the signature changed.
    const sig = base64UrlDecode(signature)!;
    sig[10] = sig[10]! ^ 0x01;
    expect(verifyReceiptOffline(`${prefix}.${body}.${base64UrlEncode(sig)}`, keys()).status).toBe('bad-signature');
    // Any single changed character anywhere: never verified (bad signature, or not a receipt at all).
    for (let i = 0; i < qr.length; i++) {
      const changed = qr.slice(0, i) + (qr[i] === 'A' ? 'B' : 'A') + qr.slice(i + 1);
      expect(['bad-signature', 'malformed', 'unknown-station']).toContain(verifyReceiptOffline(changed, keys()).status);
    }
  });

  it("refuses a receipt naming one station but signed with another station's key", () => {
    const reply = verifyReceiptOffline(qrSignedBy(desk2.privateKey, payloadFor(desk1.id)), keys());
    expect(reply).toMatchObject({ status: 'bad-signature' });
    expect(reply.confirmationId).toBeUndefined();
  });

  it('names a station outside the point unknown, and says when no keys were ever downloaded', () => {
    const qr = qrSignedBy(outsider.privateKey, payloadFor(outsider.id));
    expect(verifyReceiptOffline(qr, keys())).toMatchObject({ status: 'unknown-station', message: m['unknown-station'] });
    expect(verifyReceiptOffline(qr, undefined)).toEqual({ status: 'unknown-station', message: m['unknown-station'] + m.noKeys });
    // Even a good receipt of this point is unknown without the keys.
    expect(verifyReceiptOffline(qrSignedBy(desk1.privateKey, payloadFor(desk1.id)), undefined).status).toBe('unknown-station');
  });

  it('answers malformed for text that is not one of our QR codes, without echoing it', () => {
    const good = qrSignedBy(desk1.privateKey, payloadFor(desk1.id));
    for (const text of ['', 'hello', 'https://example.com/?q=1', good.replace('XCQR1', 'XCQR2'), `${good}.extra`, good.slice(0, 40), 'XCQR1.!!.??', 'X'.repeat(5000)]) {
      const reply = verifyReceiptOffline(text, keys());
      expect(reply).toEqual({ status: 'malformed', message: m.malformed, keysDownloadedAt: '2026-11-24T08:00:00.000Z' });
    }
  });

  it('a stored key that is not an Ed25519 key verifies nothing', () => {
    const broken = keys({ stations: [{ stationId: desk1.id, name: desk1.name, publicKey: Buffer.alloc(32).toString('base64') }] });
    expect(verifyReceiptOffline(qrSignedBy(desk1.privateKey, payloadFor(desk1.id)), broken).status).toBe('bad-signature');
  });
});

describe('PointKeysStore', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'point-keys-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the last download, and refuses a damaged file rather than verifying against nothing', async () => {
    const store = new PointKeysStore(dir);
    expect(await store.load()).toBeUndefined();
    const { version: _version, downloadedAt: _at, ...reply } = keys();
    await store.save(reply satisfies PointKeysReply, new Date('2026-11-24T08:00:00.000Z'));
    expect(await store.load()).toEqual(keys());
    await writeFile(path.join(dir, POINT_KEYS_FILE), '{"version":1,"pointCode":"ZZ-JS-01"}');
    await expect(store.load()).rejects.toMatchObject({ code: 'FILE_INVALID', userMessage: zhCN.receipts.keysInvalid });
  });
});
