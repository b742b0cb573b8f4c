import { describe, expect, it } from 'vitest';
import { IdCardData } from '../../../../core/contract/id-card.js';
import { CardReaderError, type CardReaderReason } from '../../../../core/errors/station-error.js';
import { zhCN } from '../../../../core/i18n/zh-CN.js';
import {
  decodeNewestAddress,
  decodeReadReply,
  decodeSamId,
  statusError,
} from '../../../../native/idcard-reader/read-reply.js';
import { encodeNamedCommand, encodeResponse, toHex, xorChecksum } from '../../../../native/idcard-reader/sam-protocol.js';
import {
  buildBlock,
  concat,
  fakeFingerprint,
  fakePhoto,
  readReply,
  readReplyWithFingerprint,
  residentBlock,
  syntheticResident,
  u16be,
  ucs2le,
} from './text-block-builder.js';

function rejects(run: () => unknown, reason: CardReaderReason): CardReaderError {
  try {
    run();
  } catch (thrown) {
    expect(thrown).toBeInstanceOf(CardReaderError);
    expect((thrown as CardReaderError).reason).toBe(reason);
    return thrown as CardReaderError;
  }
  throw new Error(`expected CardReaderError(${reason})`);
}

const bytesOf = (base64: string | undefined) => new Uint8Array(Buffer.from(base64 ?? '', 'base64'));

function u32le(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}

describe('decodeReadReply: 30 01 text + photo', () => {
  it('decodes text and keeps the photo as base64', () => {
    const photo = fakePhoto();
    const card = decodeReadReply(readReply(residentBlock(), photo), { withFingerprint: false });
    expect(card).toMatchObject({ source: 'chip', cardType: 'resident', idNumber: syntheticResident.idNumber });
    expect(bytesOf(card.photoWlt)).toEqual(photo);
    expect(card).not.toHaveProperty('fingerprint');
    expect(IdCardData.parse(card)).toEqual(card);
  });

  it('reads the length fields instead of assuming 256/1024', () => {
    const photo = fakePhoto(700);
    const card = decodeReadReply(readReply(residentBlock(), photo), { withFingerprint: false });
    expect(bytesOf(card.photoWlt)).toEqual(photo);
    const none = decodeReadReply(readReply(residentBlock(), new Uint8Array()), { withFingerprint: false });
    expect(none).not.toHaveProperty('photoWlt');
  });
});

describe('decodeReadReply: 30 10 text + photo + fingerprint', () => {
  it.each([0, 512, 1024])('accepts fingerprint length %i', (size) => {
    const fp = fakeFingerprint(size);
    const frame = readReplyWithFingerprint(residentBlock(), fakePhoto(), fp);
    expect(frame.length).toBe({ 0: 1297, 512: 1809, 1024: 2321 }[size]);
    const card = decodeReadReply(frame, { withFingerprint: true });
    if (size === 0) expect(card).not.toHaveProperty('fingerprint');
    else expect(bytesOf(card.fingerprint)).toEqual(fp);
    expect(bytesOf(card.photoWlt)).toEqual(fakePhoto());
    expect(card.name).toBe(syntheticResident.name);
    expect(IdCardData.safeParse(card).success).toBe(true);
  });

  it.each([1, 256, 511, 513, 768, 1023, 1025, 2048])('rejects fingerprint length %i', (size) => {
    const frame = readReplyWithFingerprint(residentBlock(), fakePhoto(), fakeFingerprint(size));
    rejects(() => decodeReadReply(frame, { withFingerprint: true }), 'bad-payload');
  });

  it('does not confuse the two layouts', () => {
    const with0 = readReplyWithFingerprint(residentBlock(), fakePhoto(), new Uint8Array());
    rejects(() => decodeReadReply(with0, { withFingerprint: false }), 'bad-payload');
    const without = readReply(residentBlock(), fakePhoto());
    rejects(() => decodeReadReply(without, { withFingerprint: true }), 'bad-payload');
  });
});

describe('decodeReadReply: inconsistent lengths', () => {
  const text = residentBlock();
  const photo = fakePhoto();

  it('rejects a photo length claiming more than the frame holds', () => {
    rejects(() => decodeReadReply(readReply(text, photo, { photo: 1025 }), { withFingerprint: false }), 'bad-payload');
    rejects(() => decodeReadReply(readReply(text, photo, { photo: 0xffff }), { withFingerprint: false }), 'bad-payload');
    const fp = fakeFingerprint(512);
    rejects(
      () => decodeReadReply(readReplyWithFingerprint(text, photo, fp, { photo: 1100 }), { withFingerprint: true }),
      'bad-payload',
    );
    rejects(
      () => decodeReadReply(readReplyWithFingerprint(text, photo, fp, { fingerprint: 1024 }), { withFingerprint: true }),
      'bad-payload',
    );
  });

  it('rejects length fields that leave bytes unaccounted for', () => {
    rejects(() => decodeReadReply(readReply(text, photo, { photo: 1000 }), { withFingerprint: false }), 'bad-payload');
    rejects(() => decodeReadReply(readReply(text, photo, { text: 0 }), { withFingerprint: false }), 'bad-payload');
  });

  it('rejects a text length other than 256 even when the sums agree', () => {
    const short = text.subarray(0, 250);
    rejects(() => decodeReadReply(readReply(short, photo), { withFingerprint: false }), 'bad-payload');
    const long = concat(text, new Uint8Array(2));
    rejects(() => decodeReadReply(readReply(long, photo), { withFingerprint: false }), 'bad-payload');
  });

  it('rejects a photo larger than the 1024 bytes the contract allows', () => {
    rejects(() => decodeReadReply(readReply(text, fakePhoto(1026)), { withFingerprint: false }), 'bad-payload');
  });

  it('rejects replies too short to hold the length header', () => {
    for (const data of [[], [0x01], [0x01, 0x00, 0x04]]) {
      rejects(() => decodeReadReply(encodeResponse(0x90, Uint8Array.from(data)), { withFingerprint: false }), 'bad-payload');
    }
    rejects(
      () => decodeReadReply(encodeResponse(0x90, Uint8Array.of(1, 0, 4, 0, 0)), { withFingerprint: true }),
      'bad-payload',
    );
  });

  it('rejects a damaged text block inside an otherwise valid frame', () => {
    const damaged = residentBlock();
    damaged.set([0x07, 0x00], 0);
    rejects(() => decodeReadReply(readReply(damaged, photo), { withFingerprint: false }), 'bad-payload');
  });
});

describe('decodeReadReply: the frame envelope is checked again', () => {
  const frame = readReply(residentBlock(), fakePhoto());

  it('rejects a wrong checksum, a LEN that disagrees with the frame, a bad preamble and a command frame', () => {
    const badSum = frame.slice();
    badSum[badSum.length - 1]! ^= 0xff;
    rejects(() => decodeReadReply(badSum, { withFingerprint: false }), 'bad-checksum');
    rejects(() => decodeReadReply(frame.subarray(0, frame.length - 1), { withFingerprint: false }), 'bad-length');
    const badPreamble = frame.slice();
    badPreamble[3] = 0x97;
    rejects(() => decodeReadReply(badPreamble, { withFingerprint: false }), 'bad-preamble');
    rejects(() => decodeReadReply(encodeNamedCommand('readTextPhoto'), { withFingerprint: false }), 'unexpected-reply');
    rejects(() => decodeReadReply(new Uint8Array(), { withFingerprint: false }), 'unexpected-reply');
  });
});

describe('status errors', () => {
  it('uses the catalogue message for known codes', () => {
    for (const [code, message] of Object.entries(zhCN.cardReader.status)) {
      const error = statusError(Number(code));
      expect(error).toBeInstanceOf(CardReaderError);
      expect(error.reason).toBe('status');
      expect(error.sw3).toBe(Number(code));
      expect(error.userMessage).toBe(message);
      expect(error.code).toBe('DEVICE');
    }
    expect(statusError(0x41).userMessage).toBe('读卡失败（证件可能被移动），请将证件移开后重新放置并保持不动。');
    expect(statusError(0x66).userMessage).toBe('身份证阅读器安全模块未授权，请更换阅读器并联系技术支持。');
  });

  it('names the code for codes without a message', () => {
    expect(statusError(0x80).userMessage).toBe(zhCN.cardReader.unknownStatus('80'));
    expect(statusError(0x80).userMessage).toContain('80');
    expect(statusError(0x0a).userMessage).toBe(zhCN.cardReader.unknownStatus('0A'));
    expect(statusError(0x80).detail).toContain('80');
  });

  it('turns any non-success SW3 on a data reply into a status error', () => {
    for (const sw3 of [0x41, 0x31, 0x32, 0x33, 0x47, 0x60, 0x66, 0x80, 0x91, 0x9f, 0x00]) {
      const reply = encodeResponse(sw3);
      const error = rejects(() => decodeReadReply(reply, { withFingerprint: true }), 'status');
      expect(error.sw3).toBe(sw3);
      expect(error.userMessage).toBe(zhCN.cardReader.status[sw3] ?? zhCN.cardReader.unknownStatus(sw3.toString(16).toUpperCase().padStart(2, '0')));
      rejects(() => decodeSamId(reply), 'status');
    }
    // Even with a full read payload behind it, a failure code is a failure.
    const data = readReply(residentBlock(), fakePhoto()).subarray(10, -1);
    rejects(() => decodeReadReply(encodeResponse(0x41, data), { withFingerprint: false }), 'status');
  });
});

describe('decodeSamId', () => {
  it('keeps the raw bytes and renders the S8 display string', () => {
    const data = Uint8Array.from([0x05, 0x00, 0x01, 0x00, ...u32le(20101201), ...u32le(12345678), ...u32le(123456789)]);
    const frame = encodeResponse(0x90, data);
    expect(frame.length).toBe(27);
    expect(toHex(data)).toMatch(/^0500010051B83201/);
    expect(decodeSamId(frame)).toEqual({
      raw: toHex(data),
      display: '05.01-20101201-0012345678-0123456789',
    });
  });

  it('reads the 32-bit parts unsigned and renders hex bytes like the SDK', () => {
    const data = Uint8Array.from([0xab, 0xff, 0x0c, 0xff, ...u32le(0xffffffff), ...u32le(0), ...u32le(0x80000000)]);
    expect(decodeSamId(encodeResponse(0x90, data)).display).toBe('ab.0c-4294967295-0000000000-2147483648');
  });

  it('rejects an id that is not 16 bytes', () => {
    for (const size of [0, 15, 17]) rejects(() => decodeSamId(encodeResponse(0x90, new Uint8Array(size))), 'bad-payload');
  });
});

describe('decodeNewestAddress', () => {
  const addressReply = (value: string) => {
    const data = new Uint8Array(70);
    for (let i = 0; i < 70; i += 2) data[i] = 0x20;
    data.set(ucs2le(value), 0);
    return encodeResponse(0x90, data);
  };

  it('decodes the 70-byte address with the text-block rules', () => {
    const frame = addressReply('北京市 海淀区测试路1号');
    expect(frame.length).toBe(81); // LEN 00 4A
    expect(decodeNewestAddress(frame)).toBe('北京市 海淀区测试路1号');
  });

  it('returns undefined for SW3 91 and for an all-padding address', () => {
    expect(decodeNewestAddress(encodeResponse(0x91))).toBeUndefined();
    expect(decodeNewestAddress(addressReply(''))).toBeUndefined();
  });

  it('rejects other status codes, wrong sizes and damaged text', () => {
    const error = rejects(() => decodeNewestAddress(encodeResponse(0x41)), 'status');
    expect(error.userMessage).toBe(zhCN.cardReader.status[0x41]);
    rejects(() => decodeNewestAddress(encodeResponse(0x90, new Uint8Array(68))), 'bad-payload');
    const damaged = addressReply('测试');
    damaged[11] = 0xd8; // second character becomes a lone high surrogate (checksum fixed below)
    damaged[damaged.length - 1] = xorChecksum(damaged);
    rejects(() => decodeNewestAddress(damaged), 'bad-payload');
  });
});

describe('foreigner and permit cards through the read reply', () => {
  it('produce schema-valid cards with photo and fingerprint', () => {
    const blocks = [
      buildBlock([[0, 30, '陈大文'], [30, 2, '1'], [122, 36, '810000199001011234'], [220, 18, 'H12345678']], 'J'),
      buildBlock([[0, 120, 'DOE JANE'], [120, 2, '2'], [122, 30, 'CAN310085050501']], 'I'),
      buildBlock([[52, 70, 'LEE MIN'], [122, 36, '931027688080800123']], 'Y'),
      buildBlock([[122, 36, 'ABC']], '?'),
    ];
    for (const block of blocks) {
      const card = decodeReadReply(readReplyWithFingerprint(block, fakePhoto(), fakeFingerprint(1024)), {
        withFingerprint: true,
      });
      expect(IdCardData.safeParse(card).success).toBe(true);
      expect(card.fingerprint).toBeDefined();
    }
  });

  it('does not accept a u16 header built from the wrong endianness', () => {
    const data = concat(Uint8Array.of(0x00, 0x01), u16be(1024), residentBlock(), fakePhoto());
    rejects(() => decodeReadReply(encodeResponse(0x90, data), { withFingerprint: false }), 'bad-payload');
  });
});
