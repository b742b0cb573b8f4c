import { describe, expect, it } from 'vitest';
import { SamFrameParser } from '../../../../native/idcard-reader/frame-parser.js';
import { encodeResponse, status } from '../../../../native/idcard-reader/sam-protocol.js';

const frames = (items: ReturnType<SamFrameParser['push']>) => items.filter((i) => i.kind === 'frame').map((i) => Array.from(i.frame));
const errors = (items: ReturnType<SamFrameParser['push']>) => items.filter((i) => i.kind === 'error').map((i) => i.error.reason);

describe('SamFrameParser', () => {
  it('recovers a valid frame that directly follows a frame cut short', () => {
    const cut = encodeResponse(status.ok, new Uint8Array(200).fill(7)).subarray(0, 40);
    const good = encodeResponse(status.findOk, new Uint8Array(4));
    const parser = new SamFrameParser();
    const items = [...parser.push(Uint8Array.of(...cut, ...good)), ...parser.push(new Uint8Array(200).fill(0x11))];
    expect(frames(items)).toEqual([Array.from(good)]);
    expect(errors(items)).toEqual(['bad-checksum']);
  });

  it('reports a frame cut short as truncated when the reply timeout flushes it', () => {
    const parser = new SamFrameParser();
    expect(parser.push(encodeResponse(status.ok, new Uint8Array(100)).subarray(0, 30))).toEqual([]);
    expect(errors(parser.flush())).toEqual(['truncated']);
    expect(parser.flush()).toEqual([]);
  });

  it('rejects impossible lengths and keeps hunting', () => {
    const parser = new SamFrameParser();
    const good = encodeResponse(status.ok);
    const items = parser.push(Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69, 0xff, 0xff, ...good));
    expect(errors(items)).toEqual(['bad-length']);
    expect(frames(items)).toEqual([Array.from(good)]);
  });

  it('finds a sync pattern split across chunks and tolerates a missing first AA', () => {
    const good = encodeResponse(status.findOk, new Uint8Array(4));
    const parser = new SamFrameParser();
    const wire = good.subarray(1); // first AA lost
    const items = [...parser.push(Uint8Array.of(0x01, 0x02, ...wire.subarray(0, 2))), ...parser.push(wire.subarray(2))];
    expect(frames(items)).toEqual([Array.from(good)]);
  });
});
