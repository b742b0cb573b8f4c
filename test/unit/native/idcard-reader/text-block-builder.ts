/**
 * Builds 256-byte text blocks and read replies by hand for the idcard-reader tests. All data here is
 * synthetic: the captured vectors are read from the spec folder and never copied into helpers.
 */
import { computeCheckCharacter } from '../../../../core/citizen-id/citizen-id.js';
import { encodeResponse } from '../../../../native/idcard-reader/sam-protocol.js';

/** [byte offset, byte size, value]: value is written as UCS-2LE and the rest of the range stays padding. */
export type FieldSpec = readonly [offset: number, size: number, value: string];

/** UCS-2LE code units of `value`, exactly as a card stores them (surrogates are written as they are). */
export function ucs2le(value: string): Uint8Array {
  const out = new Uint8Array(value.length * 2);
  for (let i = 0; i < value.length; i += 1) {
    const unit = value.charCodeAt(i);
    out[i * 2] = unit & 0xff;
    out[i * 2 + 1] = unit >> 8;
  }
  return out;
}

/** A block full of U+0020 padding with `fields` written in and the card-type marker at 248. */
export function buildBlock(fields: readonly FieldSpec[], marker = ' '): Uint8Array {
  const block = new Uint8Array(256);
  for (let i = 0; i < block.length; i += 2) block[i] = 0x20;
  for (const [offset, size, value] of fields) {
    const bytes = ucs2le(value);
    if (bytes.length > size) throw new RangeError(`value too long for ${size}-byte field at ${offset}`);
    block.set(bytes, offset);
  }
  block.set(ucs2le(marker), 248);
  return block;
}

export function citizenNumber(body17: string): string {
  return body17 + computeCheckCharacter(body17);
}

export interface ResidentFields {
  name: string;
  sexCode: string;
  nationCode: string;
  birthDate: string;
  address: string;
  idNumber: string;
  issuingAuthority: string;
  validFrom: string;
  validTo: string;
}

/** A fictitious resident card (GB/T 2260 code of an existing district, made-up person). */
export const syntheticResident: ResidentFields = {
  name: '林晓雨',
  sexCode: '2',
  nationCode: '01',
  birthDate: '20020314',
  address: '河南省郑州市金水区文化路99号',
  idNumber: citizenNumber('41010520020314022'),
  issuingAuthority: '郑州市公安局金水分局',
  validFrom: '20200101',
  validTo: '20300101',
};

export function residentBlock(overrides: Partial<ResidentFields> = {}): Uint8Array {
  const f = { ...syntheticResident, ...overrides };
  return buildBlock([
    [0, 30, f.name],
    [30, 2, f.sexCode],
    [32, 4, f.nationCode],
    [36, 16, f.birthDate],
    [52, 70, f.address],
    [122, 36, f.idNumber],
    [158, 30, f.issuingAuthority],
    [188, 16, f.validFrom],
    [204, 16, f.validTo],
  ]);
}

export function u16be(n: number): Uint8Array {
  return Uint8Array.of((n >> 8) & 0xff, n & 0xff);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Photo stand-in: the public WLT prefix, then a counter pattern (opaque bytes to the decoder). */
export function fakePhoto(size = 1024): Uint8Array {
  const photo = new Uint8Array(size);
  for (let i = 0; i < size; i += 1) photo[i] = (i * 7 + 3) & 0xff;
  photo.set([0x57, 0x4c, 0x66, 0x00].slice(0, size), 0);
  return photo;
}

export function fakeFingerprint(size: number): Uint8Array {
  const fp = new Uint8Array(size);
  for (let i = 0; i < size; i += 1) fp[i] = (i * 13 + 5) & 0xff;
  return fp;
}

/** A 30 01 reply frame; length fields default to the parts' real sizes. */
export function readReply(text: Uint8Array, photo: Uint8Array, lengths: { text?: number; photo?: number } = {}): Uint8Array {
  return encodeResponse(0x90, concat(u16be(lengths.text ?? text.length), u16be(lengths.photo ?? photo.length), text, photo));
}

/** A 30 10 reply frame; length fields default to the parts' real sizes. */
export function readReplyWithFingerprint(
  text: Uint8Array,
  photo: Uint8Array,
  fingerprint: Uint8Array,
  lengths: { text?: number; photo?: number; fingerprint?: number } = {},
): Uint8Array {
  return encodeResponse(
    0x90,
    concat(
      u16be(lengths.text ?? text.length),
      u16be(lengths.photo ?? photo.length),
      u16be(lengths.fingerprint ?? fingerprint.length),
      text,
      photo,
      fingerprint,
    ),
  );
}
