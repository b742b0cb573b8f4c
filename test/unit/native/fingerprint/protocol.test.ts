/**
 * R30x packet codec against the shared vectors (read in place from shared/specs/vectors), the streaming
 * parser on hand-made edge cases, and 4-bit image reassembly.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FingerprintError } from '../../../../core/errors/fingerprint-error.js';
import { R30xPacketParser, type ParsedPacket } from '../../../../native/fingerprint/packet-parser.js';
import {
  checksum,
  decodeSysParams,
  encodeAck,
  encodeCommand,
  encodeDataPackets,
  encodePacket,
  encodeSysParams,
  fromHex,
  IMAGE_BYTES,
  instruction,
  packImage4,
  pid,
  toHex,
  unpackImage4,
} from '../../../../native/fingerprint/r30x-protocol.js';

const vectorsFile =
  process.env.FINGERPRINT_VECTORS ??
  fileURLToPath(new URL('../../../../../shared/specs/vectors/fingerprint-r30x-vectors.json', import.meta.url));

interface Vector {
  id: string;
  direction: string;
  hex: string;
}
const vectors = (JSON.parse(readFileSync(vectorsFile, 'utf8')) as { vectors: Vector[] }).vectors;

const packets = (items: ParsedPacket[]) => items.flatMap((i) => (i.kind === 'packet' ? [i.packet] : []));
const errors = (items: ParsedPacket[]) => items.flatMap((i) => (i.kind === 'error' ? [i.error.reason] : []));

describe('R30x vectors', () => {
  it('has the vectors this suite expects', () => {
    expect(vectors.map((v) => v.id)).toEqual(expect.arrayContaining(['r30x-genimg', 'r30x-readsyspara-reply']));
  });

  it.each(vectors.map((v) => [v.id, v] as const))('%s parses and re-encodes byte-exactly', (_id, vector) => {
    const bytes = fromHex(vector.hex);
    const items = new R30xPacketParser().push(bytes);
    expect(errors(items)).toEqual([]);
    const [packet] = packets(items);
    expect(packet).toBeDefined();
    expect(toHex(encodePacket(packet!.pid, packet!.payload, packet!.address))).toBe(vector.hex.toUpperCase());
    expect(packet!.pid).toBe(vector.direction === 'host->module' ? pid.command : pid.ack);
  });

  it('r30x-genimg is what the encoder makes for GenImg', () => {
    expect(toHex(encodeCommand(instruction.genImg))).toBe('EF01FFFFFFFF010003010005');
    expect(checksum(0x01, 3, Uint8Array.of(0x01))).toBe(0x0005);
  });

  it('r30x-readsyspara-reply decodes to the documented fields', () => {
    const [packet] = packets(new R30xPacketParser().push(fromHex(vectors.find((v) => v.id === 'r30x-readsyspara-reply')!.hex)));
    expect(packet!.payload[0]).toBe(0x00);
    const sys = decodeSysParams(packet!.payload.subarray(1));
    expect(sys).toEqual({ statusRegister: 0, systemId: 0, librarySize: 200, securityLevel: 3, address: 0xffffffff, packetSizeCode: 2, baudFactor: 6 });
    expect(toHex(encodeAck(0, encodeSysParams(sys!)))).toBe(vectors.find((v) => v.id === 'r30x-readsyspara-reply')!.hex);
  });
});

describe('R30x packet parser', () => {
  const ack = encodeAck(0x02);

  it('reassembles a packet delivered one byte at a time', () => {
    const parser = new R30xPacketParser();
    const out: ParsedPacket[] = [];
    for (const byte of ack) out.push(...parser.push(Uint8Array.of(byte)));
    expect(packets(out)).toHaveLength(1);
    expect(packets(out)[0]!.payload).toEqual(Uint8Array.of(0x02));
  });

  it('skips garbage before, between and after packets', () => {
    const stream = Uint8Array.from([0x00, 0xef, 0x55, 0x01, ...ack, 0xef, 0xef, 0x13, ...encodeCommand(instruction.upImage), 0xef]);
    const parser = new R30xPacketParser();
    const items = parser.push(stream);
    expect(packets(items).map((p) => p.pid)).toEqual([pid.ack, pid.command]);
    expect(errors(items)).toEqual([]);
    expect(parser.flush()).toEqual([]);
  });

  it('reports a bad checksum and still finds the next packet', () => {
    const bad = ack.slice();
    bad[bad.length - 1]! ^= 1;
    const items = new R30xPacketParser().push(Uint8Array.from([...bad, ...ack]));
    expect(errors(items)).toEqual(['bad-checksum']);
    expect(packets(items)).toHaveLength(1);
  });

  it('reports impossible lengths and unknown packet ids as typed errors', () => {
    const long = encodeAck(0).slice();
    long[7] = 0x7f;
    const noPid = encodeAck(0).slice();
    noPid[6] = 0x05;
    const items = new R30xPacketParser().push(Uint8Array.from([...long, ...noPid, ...ack]));
    expect(errors(items)).toEqual(expect.arrayContaining(['bad-length', 'bad-packet-id']));
    expect(packets(items)).toHaveLength(1);
    for (const item of items) if (item.kind === 'error') expect(item.error).toBeInstanceOf(FingerprintError);
  });

  it('turns a packet cut short into a truncated error on flush, then takes the next one', () => {
    const parser = new R30xPacketParser();
    expect(parser.push(ack.subarray(0, 7))).toEqual([]);
    expect(errors(parser.flush())).toEqual(['truncated']);
    expect(packets(parser.push(ack))).toHaveLength(1);
  });
});

describe('image reassembly', () => {
  it('splits an upload into data packets ending with an end packet, and rebuilds it exactly', () => {
    const image = new Uint8Array(IMAGE_BYTES);
    for (let i = 0; i < image.length; i += 1) image[i] = (i * 7 + (i >> 8)) & 0xff;
    const wire = encodeDataPackets(image, 128);
    expect(wire).toHaveLength(IMAGE_BYTES / 128);
    const parser = new R30xPacketParser();
    const got = packets(wire.flatMap((p) => parser.push(p)));
    expect(got.slice(0, -1).every((p) => p.pid === pid.data)).toBe(true);
    expect(got.at(-1)!.pid).toBe(pid.endData);
    const rebuilt = new Uint8Array(got.reduce((n, p) => n + p.payload.length, 0));
    let at = 0;
    for (const p of got) {
      rebuilt.set(p.payload, at);
      at += p.payload.length;
    }
    expect(rebuilt).toEqual(image);
  });

  it('unpacks 4-bit pixels high nibble first and scales them ×17', () => {
    expect(Array.from(unpackImage4(Uint8Array.of(0xf0, 0x1e)))).toEqual([255, 0, 17, 238]);
    const pixels = Uint8Array.from({ length: 512 }, (_, i) => (i * 37) & 0xff);
    const round = unpackImage4(packImage4(pixels));
    for (let i = 0; i < pixels.length; i += 1) expect(round[i]).toBe((pixels[i]! >> 4) * 17);
  });
});
