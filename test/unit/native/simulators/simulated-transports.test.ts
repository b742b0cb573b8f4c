import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeviceError } from '../../../../core/errors/station-error.js';
import { SamFrameParser } from '../../../../native/idcard-reader/frame-parser.js';
import { encodeNamedCommand, toHex, type CommandName } from '../../../../native/idcard-reader/sam-protocol.js';
import { syntheticCard, toCardImage } from '../../../../native/idcard-reader/simulator/card-image.js';
import {
  SimulatedHidTransport,
  SimulatedSerialTransport,
} from '../../../../native/simulators/simulated-transports.js';
import { encodeReadReply, VirtualSam } from '../../../../native/idcard-reader/simulator/virtual-sam.js';
import type { ByteTransport } from '../../../../native/transport/byte-transport.js';
import { LIN, sampleEntry } from '../../../support/sample-roster.js';

const FIND_OK = 'AAAAAA9669000800009F0000000097';
const SELECT_OK = 'AAAAAA9669000C00009000000000000000009C';

/** Records what a transport delivers: the raw chunks and the frames a parser makes of them. */
function record(transport: ByteTransport) {
  const chunks: Uint8Array[] = [];
  const closes: string[] = [];
  transport.onData((bytes) => chunks.push(bytes.slice()));
  transport.onClose((reason) => closes.push(reason));
  const frames = (): string[] => {
    const parser = new SamFrameParser();
    return chunks.flatMap((c) => parser.push(c)).map((i) => (i.kind === 'frame' ? toHex(i.frame) : i.error.reason));
  };
  const exchange = async (command: CommandName): Promise<string | undefined> => {
    chunks.length = 0;
    await transport.write(encodeNamedCommand(command));
    vi.advanceTimersByTime(10_000);
    return frames()[0];
  };
  return { chunks, closes, frames, exchange };
}

const card = () => syntheticCard(sampleEntry(LIN));

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SimulatedHidTransport', () => {
  it('delivers byte-exact replies in 64-byte reports (unnumbered: no id byte on reads)', async () => {
    const sam = new VirtualSam({ timing: 'instant' });
    const c = card();
    sam.placeCard(c);
    const transport = new SimulatedHidTransport(sam);
    const { chunks, exchange } = record(transport);
    await transport.open();
    expect(await exchange('findCard')).toBe(FIND_OK);
    expect(chunks.map((r) => r.length)).toEqual([64]);
    expect(chunks[0]!.subarray(15).every((b) => b === 0)).toBe(true);
    expect(await exchange('selectCard')).toBe(SELECT_OK);
    const read = await exchange('readTextPhotoFingerprint');
    expect(chunks).toHaveLength(37);
    expect(chunks.every((r) => r.length === 64)).toBe(true);
    expect(read).toBe(toHex(encodeReadReply(toCardImage(c), true)));
  });

  it('numbered reports: the id is added on write and stripped on read', async () => {
    const sam = new VirtualSam({ timing: 'instant' });
    sam.placeCard(card());
    const received: Uint8Array[] = [];
    const original = sam.receive.bind(sam);
    vi.spyOn(sam, 'receive').mockImplementation((bytes) => {
      received.push(bytes.slice());
      original(bytes);
    });
    const transport = new SimulatedHidTransport(sam, { reportId: 5, reportSize: 63 });
    const { chunks, exchange } = record(transport);
    await transport.open();
    expect(await exchange('findCard')).toBe(FIND_OK);
    // The firmware sees the report payload (63 bytes) without the id byte.
    expect(received.map((r) => r.length)).toEqual([63]);
    expect(toHex(received[0]!.subarray(0, 10))).toBe('AAAAAA96690003200122');
    expect(chunks.map((r) => r.length)).toEqual([63]);
    expect(await exchange('selectCard')).toBe(SELECT_OK);
    expect((await exchange('readTextPhoto'))?.length).toBe(1295 * 2);
    expect(chunks).toHaveLength(Math.ceil(1295 / 63));
  });

  it('paces reports when asked to', async () => {
    const sam = new VirtualSam({ timing: 'instant' });
    const transport = new SimulatedHidTransport(sam, { intervalMs: 1 });
    const { chunks } = record(transport);
    await transport.open();
    sam.placeCard(card());
    await transport.write(encodeNamedCommand('findCard'));
    vi.advanceTimersByTime(1); // reply produced, first report queued
    vi.advanceTimersByTime(1);
    expect(chunks).toHaveLength(1);
  });
});

describe('SimulatedSerialTransport', () => {
  it('splits replies into random chunks (≤ maxChunk) that add up to the exact reply', async () => {
    const sam = new VirtualSam({ timing: 'instant' });
    const c = card();
    sam.placeCard(c);
    const transport = new SimulatedSerialTransport(sam, { seed: 7, maxChunk: 16 });
    const { chunks, exchange } = record(transport);
    await transport.open();
    expect(await exchange('findCard')).toBe(FIND_OK);
    await exchange('selectCard');
    const read = await exchange('readTextPhotoFingerprint');
    expect(read).toBe(toHex(encodeReadReply(toCardImage(c), true)));
    expect(chunks.reduce((n, b) => n + b.length, 0)).toBe(2321);
    expect(chunks.every((b) => b.length >= 1 && b.length <= 16)).toBe(true);
    expect(new Set(chunks.map((b) => b.length)).size).toBeGreaterThan(5);
  });

  it('is deterministic per seed', async () => {
    const sizes = async (seed: number): Promise<number[]> => {
      const sam = new VirtualSam({ timing: 'instant' });
      sam.placeCard(card());
      const transport = new SimulatedSerialTransport(sam, { seed });
      const { chunks, exchange } = record(transport);
      await transport.open();
      await exchange('findCard');
      await exchange('selectCard');
      await exchange('readTextPhoto');
      return chunks.map((b) => b.length);
    };
    expect(await sizes(3)).toEqual(await sizes(3));
    expect(await sizes(3)).not.toEqual(await sizes(4));
  });

  it('paced chunks arrive one per interval', async () => {
    const sam = new VirtualSam({ timing: 'instant' });
    const transport = new SimulatedSerialTransport(sam, { seed: 1, maxChunk: 4, intervalMs: 2 });
    const { chunks, frames } = record(transport);
    await transport.open();
    await transport.write(encodeNamedCommand('findCard'));
    vi.advanceTimersByTime(1);
    const after = chunks.length;
    vi.advanceTimersByTime(2);
    expect(chunks.length).toBe(after + 1);
    vi.advanceTimersByTime(100);
    expect(frames()).toEqual(['AAAAAA9669000400008084']);
  });
});

describe.each([
  ['HID', (sam: VirtualSam) => new SimulatedHidTransport(sam)],
  ['serial', (sam: VirtualSam) => new SimulatedSerialTransport(sam)],
] as const)('%s: unplug, replug, close', (_name, make) => {
  it('unplug fires onClose once and rejects writes; replug lets a new transport open', async () => {
    const sam = new VirtualSam({ timing: 'instant' });
    sam.placeCard(card());
    const first = make(sam);
    const one = record(first);
    await first.open();
    expect(await one.exchange('findCard')).toBe(FIND_OK);
    one.chunks.length = 0;
    sam.unplug();
    expect(one.closes).toEqual(['unplugged']);
    await expect(first.write(encodeNamedCommand('findCard'))).rejects.toBeInstanceOf(DeviceError);

    const second = make(sam);
    await expect(second.open()).rejects.toBeInstanceOf(DeviceError);
    sam.replug();
    const two = record(second);
    await second.open();
    expect(await two.exchange('findCard')).toBe(FIND_OK);
    expect(one.chunks).toHaveLength(0);
    expect(one.closes).toEqual(['unplugged']);
  });

  it('a reply in flight is lost when the reader is pulled', async () => {
    const sam = new VirtualSam({ timing: 'realistic' });
    const transport = make(sam);
    const { chunks, closes } = record(transport);
    await transport.open();
    await transport.write(encodeNamedCommand('findCard'));
    vi.advanceTimersByTime(20);
    sam.unplug();
    vi.advanceTimersByTime(1000);
    expect(chunks).toHaveLength(0);
    expect(closes).toEqual(['unplugged']);
  });

  it('close() is quiet: no onClose, no more data, writes rejected', async () => {
    const sam = new VirtualSam({ timing: 'instant' });
    const transport = make(sam);
    const { chunks, closes } = record(transport);
    await transport.open();
    await transport.write(encodeNamedCommand('findCard'));
    await transport.close();
    vi.advanceTimersByTime(100);
    expect(chunks).toHaveLength(0);
    expect(closes).toEqual([]);
    await expect(transport.write(encodeNamedCommand('findCard'))).rejects.toBeInstanceOf(DeviceError);
    sam.unplug();
    expect(closes).toEqual([]);
  });

  it('listeners can unsubscribe', async () => {
    const sam = new VirtualSam({ timing: 'instant' });
    const transport = make(sam);
    const seen: Uint8Array[] = [];
    const stop = transport.onData((b) => seen.push(b));
    await transport.open();
    stop();
    await transport.write(encodeNamedCommand('findCard'));
    vi.advanceTimersByTime(10);
    expect(seen).toHaveLength(0);
    expect(transport.description).toMatch(/^Simulated/);
  });
});

/** Random chunking plus stray/duplicate faults over many seeds: the parser always recovers the exact frames. */
describe('fragmentation fuzz', () => {
  it.each([1, 2, 3, 5, 8, 13, 21, 34])('seed %i', async (seed) => {
    const sam = new VirtualSam({ timing: 'instant', seed });
    const c = card();
    sam.placeCard(c);
    const transport = new SimulatedSerialTransport(sam, { seed, maxChunk: 1 + (seed % 40) });
    const { chunks, frames } = record(transport);
    await transport.open();
    sam.injectFault({ kind: 'stray-bytes', before: Uint8Array.of(0xaa, 0x00), after: Uint8Array.of(0xaa) });
    sam.injectFault({ kind: 'duplicate-reply' }, { on: 'selectCard' });
    for (const command of ['findCard', 'selectCard', 'readTextPhotoFingerprint', 'findCard'] as const) {
      await transport.write(encodeNamedCommand(command));
      vi.advanceTimersByTime(10);
    }
    expect(chunks.length).toBeGreaterThan(2321 / 40);
    expect(frames()).toEqual([
      FIND_OK,
      SELECT_OK,
      SELECT_OK,
      toHex(encodeReadReply(toCardImage(c), true)),
      'AAAAAA9669000400008084',
    ]);
  });
});
