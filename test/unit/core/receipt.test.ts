import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ReceiptVerifyReply,
  base64UrlDecode,
  base64UrlEncode,
  encodeReceiptQr,
  maskName,
  parseReceiptQr,
  receiptSigningText,
  type ReceiptPayload,
} from '../../../core/contract/receipt.js';
import { signingText } from '../../../core/contract/request-signing.js';

const payload: ReceiptPayload = {
  id: '0f8fad5b-d9cb-469f-a165-70867728950e',
  h: 'a'.repeat(64),
  s: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  t: '2026-11-24T01:30:00.000Z',
};

function signed(p: ReceiptPayload = payload) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const signature = new Uint8Array(sign(null, Buffer.from(receiptSigningText(p)), privateKey));
  return { qr: encodeReceiptQr(p, signature), publicKey, signature };
}

describe('base64url by hand', () => {
  it('agrees with Node for every length and byte value', () => {
    for (let length = 0; length < 70; length++) {
      const bytes = new Uint8Array(length).map((_, i) => (i * 37 + length * 11) & 0xff);
      const text = base64UrlEncode(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64url'));
      expect(base64UrlDecode(text)).toEqual(bytes);
    }
    const all = new Uint8Array(256).map((_, i) => i);
    expect(base64UrlDecode(base64UrlEncode(all))).toEqual(all);
  });

  it('refuses padding, the standard alphabet, impossible lengths and non-zero spare bits', () => {
    expect(base64UrlDecode('QQ==')).toBeUndefined();
    expect(base64UrlDecode('a+b/')).toBeUndefined();
    expect(base64UrlDecode('QUJDR')).toBeUndefined();
    expect(base64UrlDecode('QQ')).toEqual(new Uint8Array([0x41]));
    expect(base64UrlDecode('QR')).toBeUndefined(); // same byte, other spare bits: a second spelling
  });
});

describe('receipt QR', () => {
  it('is compact, versioned and round-trips with a signature Node verifies', () => {
    const { qr, publicKey, signature } = signed();
    expect(qr).toMatch(/^XCQR1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/);
    expect(qr.length).toBeLessThan(360);
    const parsed = parseReceiptQr(`  ${qr}\n`);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.payload).toEqual(payload);
    expect(parsed.signature).toEqual(signature);
    expect(verify(null, Buffer.from(parsed.signingText), publicKey, parsed.signature)).toBe(true);
  });

  it('signs a text no HTTP request signature can be mistaken for', () => {
    const text = receiptSigningText(payload);
    expect(text.split('\n')[0]).toBe('xianchang-receipt/1');
    for (const method of ['GET', 'POST', 'PUT']) expect(signingText(method, '/x', 1, 'a'.repeat(64)).startsWith(text.split('\n')[0]!)).toBe(false);
  });

  it('says what is wrong without echoing the text', () => {
    const { qr } = signed();
    const [, body, sig] = qr.split('.');
    expect(parseReceiptQr('https://example.com/')).toEqual({ ok: false, reason: 'prefix' });
    expect(parseReceiptQr(`XCQR2.${body}.${sig}`)).toEqual({ ok: false, reason: 'prefix' });
    expect(parseReceiptQr(`XCQR1.${body}`)).toEqual({ ok: false, reason: 'shape' });
    expect(parseReceiptQr(`XCQR1.${body}.${sig}.x`)).toEqual({ ok: false, reason: 'shape' });
    expect(parseReceiptQr(`XCQR1.${body}!.${sig}`)).toEqual({ ok: false, reason: 'encoding' });
    expect(parseReceiptQr(`XCQR1.${body}.${sig!.slice(0, 40)}`)).toEqual({ ok: false, reason: 'signature' });
    expect(parseReceiptQr(`XCQR1.${'A'.repeat(2000)}.${sig}`)).toEqual({ ok: false, reason: 'shape' });
    const respelled = Buffer.from(JSON.stringify({ h: payload.h, id: payload.id, s: payload.s, t: payload.t })).toString('base64url');
    expect(parseReceiptQr(`XCQR1.${respelled}.${sig}`)).toEqual({ ok: false, reason: 'payload' });
    const extra = Buffer.from(JSON.stringify({ ...payload, x: 1 })).toString('base64url');
    expect(parseReceiptQr(`XCQR1.${extra}.${sig}`)).toEqual({ ok: false, reason: 'payload' });
    const badHash = Buffer.from(JSON.stringify({ ...payload, h: 'A'.repeat(64) })).toString('base64url');
    expect(parseReceiptQr(`XCQR1.${badHash}.${sig}`)).toEqual({ ok: false, reason: 'payload' });
    const notJson = Buffer.from('{"id":').toString('base64url');
    expect(parseReceiptQr(`XCQR1.${notJson}.${sig}`)).toEqual({ ok: false, reason: 'payload' });
  });

  it('refuses to encode a malformed payload or signature', () => {
    expect(() => encodeReceiptQr({ ...payload, h: 'xyz' }, new Uint8Array(64))).toThrow();
    expect(() => encodeReceiptQr(payload, new Uint8Array(63))).toThrow(RangeError);
  });
});

describe('verification reply', () => {
  it('masks names to the surname', () => {
    expect(maskName('林晓雨')).toBe('林**');
    expect(maskName('张浩')).toBe('张*');
    expect(maskName('欧阳娜娜娜娜')).toBe('欧***');
    expect(maskName('')).toBe('');
  });

  it('is a strict schema', () => {
    expect(ReceiptVerifyReply.safeParse({ status: 'verified', message: '好' }).success).toBe(true);
    expect(ReceiptVerifyReply.safeParse({ status: 'ok', message: '好' }).success).toBe(false);
    expect(ReceiptVerifyReply.safeParse({ status: 'verified', message: '好', citizenId: '1' }).success).toBe(false);
  });
});
