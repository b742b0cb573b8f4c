import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SamFrameParser } from '../../../../../native/idcard-reader/frame-parser.js';
import {
  encodeCommand,
  encodeNamedCommand,
  encodeResponse,
  fromHex,
  toHex,
  toResponse,
  xorChecksum,
  type CommandName,
} from '../../../../../native/idcard-reader/sam-protocol.js';
import {
  encodeAppendedAddress,
  encodeTextBlock,
  syntheticCard,
  type SimulatedCard,
} from '../../../../../native/idcard-reader/simulator/card-image.js';
import {
  DEFAULT_SAM_ID,
  realisticDelays,
  resolveDelays,
  VirtualSam,
  type VirtualSamOptions,
} from '../../../../../native/idcard-reader/simulator/virtual-sam.js';
import { LIN, sampleEntry } from '../../../../support/sample-roster.js';

const FIND_OK = 'AAAAAA9669000800009F0000000097';
const FIND_NONE = 'AAAAAA9669000400008084';
const SELECT_OK = 'AAAAAA9669000C00009000000000000000009C';
const OK_NO_DATA = 'AAAAAA96690004000090' + '94';
const statusFrame = (sw3: number): string => toHex(encodeResponse(sw3));

const card = (options: Parameters<typeof syntheticCard>[1] = {}): SimulatedCard =>
  syntheticCard(sampleEntry(LIN), options);

/** A SAM with instant timing and a recorder of everything it sends. */
function rig(options: VirtualSamOptions = {}) {
  const sam = new VirtualSam({ timing: 'instant', ...options });
  let sent: Uint8Array[] = [];
  sam.onReply((bytes) => sent.push(bytes.slice()));
  /** Everything sent since the last call, as one byte string. */
  const take = (): Uint8Array => {
    const out = new Uint8Array(sent.reduce((n, b) => n + b.length, 0));
    let at = 0;
    for (const b of sent) {
      out.set(b, at);
      at += b.length;
    }
    sent = [];
    return out;
  };
  const send = (command: CommandName | Uint8Array): Uint8Array => {
    sam.receive(typeof command === 'string' ? encodeNamedCommand(command) : command);
    vi.advanceTimersByTime(10_000);
    return take();
  };
  const hex = (command: CommandName | Uint8Array): string => toHex(send(command));
  const chunks = (): number => sent.length;
  return { sam, send, hex, take, chunks };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('replies byte for byte (spec §3–§5)', () => {
  it('find: 80 without a card, the spec frame 9F + 4 zero bytes with one', () => {
    const { sam, hex } = rig();
    expect(hex('findCard')).toBe(FIND_NONE);
    sam.placeCard(card());
    expect(hex('findCard')).toBe(FIND_OK);
    expect(sam.state).toBe('found');
  });

  it('select: 90 + 8 zero bytes (19-byte frame)', () => {
    const { sam, hex } = rig();
    sam.placeCard(card());
    hex('findCard');
    expect(hex('selectCard')).toBe(SELECT_OK);
    expect(sam.state).toBe('selected');
  });

  it('30 01: LEN 05 08, 14-byte header, text at 14, photo at 270, valid checksum (1295 bytes)', () => {
    const { sam, send, hex } = rig();
    const c = card();
    sam.placeCard(c);
    hex('findCard');
    hex('selectCard');
    const reply = send('readTextPhoto');
    expect(reply.length).toBe(1295);
    expect(toHex(reply.subarray(0, 14))).toBe('AAAAAA96690508000090' + '01000400');
    expect(reply.subarray(14, 270)).toEqual(encodeTextBlock(c));
    expect(reply.subarray(270, 1294)).toEqual(c.photo);
    expect(reply[1294]).toBe(xorChecksum(reply));
    expect(sam.state).toBe('read');
  });

  it.each([
    [1024, 2321, '090A', '0400'],
    [512, 1809, '070A', '0200'],
    [0, 1297, '050A', '0000'],
  ] as const)('30 10 with %i fingerprint bytes: %i-byte frame, LEN %s', (fp, size, len, fpLen) => {
    const { sam, send, hex } = rig();
    const c = card({ fingerprintSize: fp });
    sam.placeCard(c);
    hex('findCard');
    hex('selectCard');
    const reply = send('readTextPhotoFingerprint');
    expect(reply.length).toBe(size);
    expect(toHex(reply.subarray(0, 16))).toBe(`AAAAAA9669${len}000090` + `01000400${fpLen}`);
    expect(reply.subarray(16, 272)).toEqual(encodeTextBlock(c));
    expect(reply.subarray(272, 1296)).toEqual(c.photo);
    expect(reply.subarray(1296, size - 1)).toEqual(c.fingerprint);
    expect(reply[size - 1]).toBe(xorChecksum(reply));
  });

  it("30 10 without fingerprints answers 91 when configured 'not-present', 21 on a SAM without the command", () => {
    const notPresent = rig({ noFingerprintReply: 'not-present' });
    notPresent.sam.placeCard(card({ fingerprintSize: 0 }));
    notPresent.hex('findCard');
    notPresent.hex('selectCard');
    expect(notPresent.hex('readTextPhotoFingerprint')).toBe('AAAAAA9669000400009195');
    // The card stays selected, so a driver can fall back to 30 01 after a fresh select.
    expect(notPresent.hex('selectCard')).toBe(SELECT_OK);
    expect(notPresent.send('readTextPhoto').length).toBe(1295);

    const noFp = rig({ fingerprintCommand: false });
    noFp.sam.placeCard(card());
    noFp.hex('findCard');
    noFp.hex('selectCard');
    expect(noFp.hex('readTextPhotoFingerprint')).toBe('AAAAAA9669000400002125');
    expect(noFp.sam.state).toBe('selected');
  });

  it('30 03: newest of the appended addresses, 70 bytes UCS-2LE (LEN 00 4A); 91 when there is none', () => {
    const { sam, send, hex } = rig();
    sam.placeCard(card({ appendedAddresses: ['河南省郑州市金水区样例路1号', '河南省郑州市金水区样例路2号'] }));
    hex('findCard');
    hex('selectCard');
    const reply = send('readNewestAddress');
    expect(reply.length).toBe(81); // 7 + LEN 74
    expect(toHex(reply.subarray(5, 10))).toBe('004A000090');
    expect(reply.subarray(10, 80)).toEqual(encodeAppendedAddress('河南省郑州市金水区样例路2号'));
    expect(reply[80]).toBe(xorChecksum(reply));

    // Right after a base read the newest address needs no new find/select (spec §5.3).
    sam.placeCard(card());
    hex('findCard');
    hex('selectCard');
    expect(send('readTextPhoto').length).toBe(1295);
    expect(hex('readNewestAddress')).toBe('AAAAAA9669000400009195');
  });

  it('12 FF: 16-byte SAM id, LEN 00 14 (27-byte frame); 11 FF and 10 FF: 90', () => {
    const { hex, send } = rig();
    const id = send('readSamId');
    expect(id.length).toBe(27);
    expect(toHex(id.subarray(0, 10))).toBe('AAAAAA96690014000090');
    expect(id.subarray(10, 26)).toEqual(DEFAULT_SAM_ID);
    expect(id[26]).toBe(xorChecksum(id));
    expect(hex('samStatus')).toBe(OK_NO_DATA);
    expect(hex('resetSam')).toBe(OK_NO_DATA);
    const custom = rig({ samId: new Uint8Array(16).fill(7) });
    expect(custom.send('readSamId').subarray(10, 26)).toEqual(new Uint8Array(16).fill(7));
    expect(() => new VirtualSam({ samId: new Uint8Array(15) })).toThrow(RangeError);
  });

  it('60 00–04 set the baud rate; 60 05 is an unknown parameter (21); 61 FF + 1 byte tunes', () => {
    const { sam, hex } = rig();
    expect(hex(fromHex('AAAAAA9669000360 00 63'))).toBe(OK_NO_DATA);
    for (const [para, baud] of [[1, 57600], [2, 38400], [3, 19200], [4, 9600], [0, 115200]] as const) {
      expect(hex(encodeCommand(0x60, para))).toBe(OK_NO_DATA);
      expect(sam.baudRate).toBe(baud);
    }
    expect(hex(encodeCommand(0x60, 0x05))).toBe(statusFrame(0x21));
    expect(hex(fromHex('AAAAAA9669000461FF50CA'))).toBe(OK_NO_DATA);
  });

  it('10 FF reset drops a selection but keeps the read latch', () => {
    const { sam, hex, send } = rig();
    sam.placeCard(card());
    hex('findCard');
    hex('selectCard');
    hex('resetSam');
    expect(sam.state).toBe('present');
    hex('findCard');
    hex('selectCard');
    send('readTextPhoto');
    hex('resetSam');
    expect(hex('findCard')).toBe(FIND_NONE);
  });
});

describe('broken command frames (spec §11.1)', () => {
  it('bad checksum → 10 with LEN 00 04', () => {
    const { hex } = rig();
    expect(hex(fromHex('AAAAAA96690003200123'))).toBe('AAAAAA9669000400001014');
  });

  it('LEN inconsistent with the command → 11; impossible LEN → 11', () => {
    const { hex } = rig();
    expect(hex(encodeCommand(0x20, 0x01, Uint8Array.of(0)))).toBe('AAAAAA9669000400001115');
    expect(hex(encodeCommand(0x61, 0xff))).toBe('AAAAAA9669000400001115');
    expect(hex(fromHex('AAAAAA966900022022'))).toBe('AAAAAA9669000400001115');
    expect(hex(fromHex('AAAAAA96691001'))).toBe('AAAAAA9669000400001115');
  });

  it('a frame cut short (LEN promised more) → 11 after the frame timeout', () => {
    const { sam, take } = rig({ frameTimeoutMs: 100 });
    sam.receive(fromHex('AAAAAA966900032001'));
    vi.advanceTimersByTime(99);
    expect(take().length).toBe(0);
    vi.advanceTimersByTime(1); // the timeout fires, the 11 reply follows on the next (instant) timer
    vi.advanceTimersByTime(1);
    expect(toHex(take())).toBe('AAAAAA9669000400001115');
  });

  it('unknown CMD or PARA → 21', () => {
    const { hex } = rig();
    expect(hex(encodeCommand(0x99, 0x01))).toBe('AAAAAA9669000400002125');
    expect(hex(encodeCommand(0x20, 0x03))).toBe('AAAAAA9669000400002125');
    expect(hex(encodeCommand(0x30, 0x02))).toBe('AAAAAA9669000400002125');
  });

  it('skips garbage and a missing first sync byte', () => {
    const { sam, hex } = rig();
    sam.placeCard(card());
    expect(hex(fromHex('00FF13AAAA9669000320012200'))).toBe(FIND_OK);
  });
});

describe('state machine and read latch (spec §4.1, §11.2)', () => {
  it('EMPTY → PRESENT → FOUND → SELECTED → READ, then find answers 80 until the card is removed', () => {
    const { sam, hex, send } = rig();
    expect(sam.state).toBe('empty');
    sam.placeCard(card());
    expect(sam.state).toBe('present');
    expect(hex('findCard')).toBe(FIND_OK);
    expect(hex('selectCard')).toBe(SELECT_OK);
    expect(send('readTextPhoto').length).toBe(1295);
    expect(sam.state).toBe('read');
    for (let i = 0; i < 3; i += 1) expect(hex('findCard')).toBe(FIND_NONE);
    expect(hex('selectCard')).toBe(statusFrame(0x81));
    expect(hex('readTextPhoto')).toBe(statusFrame(0x41));
    sam.removeCard();
    expect(hex('findCard')).toBe(FIND_NONE);
    sam.placeCard(card());
    expect(hex('findCard')).toBe(FIND_OK);
  });

  it('without the latch, find keeps answering 9F for a card that was read', () => {
    const { sam, hex, send } = rig({ readLatch: false });
    sam.placeCard(card());
    hex('findCard');
    hex('selectCard');
    send('readTextPhoto');
    expect(hex('findCard')).toBe(FIND_OK);
  });

  it('with reselectAfterRead, a latched card can be selected and read again without a find', () => {
    const { sam, hex, send } = rig({ reselectAfterRead: true });
    sam.placeCard(card());
    hex('findCard');
    hex('selectCard');
    send('readTextPhoto');
    expect(hex('findCard')).toBe(FIND_NONE);
    expect(hex('selectCard')).toBe(SELECT_OK);
    expect(send('readTextPhoto').length).toBe(1295);
    expect(hex('findCard')).toBe(FIND_NONE);
  });

  it('reads outside SELECTED answer 41 (or the configured 21)', () => {
    const { sam, hex } = rig();
    expect(hex('readTextPhoto')).toBe(statusFrame(0x41));
    expect(hex('readNewestAddress')).toBe(statusFrame(0x41));
    sam.placeCard(card());
    expect(hex('readTextPhoto')).toBe(statusFrame(0x41));
    hex('findCard');
    expect(hex('readTextPhotoFingerprint')).toBe(statusFrame(0x41));
    expect(hex('readNewestAddress')).toBe(statusFrame(0x41));

    const strict = rig({ outOfSequenceReadStatus: 0x21 });
    strict.sam.placeCard(card());
    strict.hex('findCard');
    expect(strict.hex('readTextPhoto')).toBe(statusFrame(0x21));
  });

  it('select needs a found card: 81 when empty, present-but-not-found, or latched', () => {
    const { sam, hex } = rig();
    expect(hex('selectCard')).toBe(statusFrame(0x81));
    sam.placeCard(card());
    expect(hex('selectCard')).toBe(statusFrame(0x81));
  });

  it('a card lifted during a read fails that read with 41', () => {
    const { sam, take } = rig({ timing: 'realistic' });
    sam.placeCard(card());
    sam.receive(encodeNamedCommand('findCard'));
    vi.advanceTimersByTime(50);
    sam.receive(encodeNamedCommand('selectCard'));
    vi.advanceTimersByTime(80);
    take();
    sam.receive(encodeNamedCommand('readTextPhoto'));
    vi.advanceTimersByTime(400);
    sam.removeCard();
    vi.advanceTimersByTime(500);
    expect(toHex(take())).toBe(statusFrame(0x41));
  });
});

describe('fragmentation', () => {
  const session: CommandName[] = ['readSamId', 'findCard', 'selectCard', 'readTextPhotoFingerprint', 'findCard'];

  function expected(): string {
    const { sam, hex } = rig();
    sam.placeCard(card());
    return session.map((c) => hex(c)).join('');
  }

  it('commands fed one byte at a time get the same replies', () => {
    const { sam, take } = rig();
    sam.placeCard(card());
    for (const command of session) {
      for (const byte of encodeNamedCommand(command)) sam.receive(Uint8Array.of(byte));
      vi.advanceTimersByTime(10);
    }
    expect(toHex(take())).toBe(expected());
  });

  it('commands arriving in one chunk are answered in order, each after its own delay', () => {
    const { sam, take } = rig({ timing: 'realistic' });
    sam.placeCard(card());
    const all = session.map((c) => toHex(encodeNamedCommand(c))).join('');
    sam.receive(fromHex(all));
    vi.advanceTimersByTime(realisticDelays.readSamId + realisticDelays.findCard + realisticDelays.selectCard);
    expect(take().length).toBe(27 + 15 + 19);
    vi.advanceTimersByTime(realisticDelays.readTextPhotoFingerprint - 1);
    expect(take().length).toBe(0);
    vi.advanceTimersByTime(1 + realisticDelays.findCard);
    expect(take().length).toBe(2321 + 11);
  });

  it('commands inside zero-padded 64-byte reports (HID) are answered normally', () => {
    const { sam, hex } = rig();
    sam.placeCard(card());
    const report = new Uint8Array(64);
    report.set(encodeNamedCommand('findCard'));
    expect(hex(report)).toBe(FIND_OK);
  });
});

describe('timing', () => {
  it('realistic defaults: find 50, select 80, read 900, read+fp 1400 ms', () => {
    const { sam, take } = rig({ timing: 'realistic' });
    sam.placeCard(card());
    const at = (command: CommandName, ms: number, size: number) => {
      sam.receive(encodeNamedCommand(command));
      vi.advanceTimersByTime(ms - 1);
      expect(take().length, `${command} early`).toBe(0);
      vi.advanceTimersByTime(1);
      expect(take().length, command).toBe(size);
    };
    at('findCard', 50, 15);
    at('selectCard', 80, 19);
    at('readTextPhoto', 900, 1295);
    sam.placeCard(card());
    at('findCard', 50, 15);
    at('selectCard', 80, 19);
    at('readTextPhotoFingerprint', 1400, 2321);
  });

  it('instant, scaled and explicit custom delays', () => {
    expect(Object.values(resolveDelays('instant')).every((d) => d === 0)).toBe(true);
    const scaled = resolveDelays({ scale: 0.1 });
    expect([scaled.findCard, scaled.selectCard, scaled.readTextPhoto, scaled.readTextPhotoFingerprint]).toEqual([
      5, 8, 90, 140,
    ]);
    const custom = resolveDelays({ scale: 0, readTextPhoto: 20 });
    expect(custom.readTextPhoto).toBe(20);
    expect(custom.findCard).toBe(0);
    expect(resolveDelays({ findCard: 7 }).selectCard).toBe(80);
  });

  it('instant replies still arrive asynchronously, and setTiming changes delays', () => {
    const { sam, take } = rig();
    sam.receive(encodeNamedCommand('findCard'));
    expect(take().length).toBe(0);
    vi.advanceTimersByTime(0);
    expect(take().length).toBe(11);
    sam.setTiming({ scale: 0, findCard: 30 });
    sam.receive(encodeNamedCommand('findCard'));
    vi.advanceTimersByTime(29);
    expect(take().length).toBe(0);
    vi.advanceTimersByTime(1);
    expect(take().length).toBe(11);
  });

  it('uses an injected scheduler', () => {
    const pending: (() => void)[] = [];
    const sam = new VirtualSam({
      timing: 'instant',
      frameTimeoutMs: null,
      scheduler: { setTimeout: (fn) => pending.push(fn), clearTimeout: () => undefined },
    });
    const out: Uint8Array[] = [];
    sam.onReply((b) => out.push(b));
    sam.receive(encodeNamedCommand('findCard'));
    expect(out).toHaveLength(0);
    pending.shift()?.();
    expect(toHex(out[0]!)).toBe(FIND_NONE);
  });
});

describe('fault injection', () => {
  function selected(options: VirtualSamOptions = {}) {
    const r = rig(options);
    r.sam.placeCard(card());
    r.hex('findCard');
    r.hex('selectCard');
    return r;
  }

  it('bad checksum in the next reply, one-shot', () => {
    const { sam, send, hex } = rig();
    sam.injectFault({ kind: 'bad-checksum' });
    const bad = send('findCard');
    expect(toHex(bad.subarray(0, 10))).toBe(FIND_NONE.slice(0, 20));
    expect(bad[bad.length - 1]).not.toBe(xorChecksum(bad));
    const items = new SamFrameParser().push(bad);
    expect(items[0]?.kind === 'error' && items[0].error.reason).toBe('bad-checksum');
    expect(hex('findCard')).toBe(FIND_NONE);
    expect(sam.pendingFaults).toHaveLength(0);
  });

  it('truncated reply: the frame stops mid-way (and optionally resumes after a stall)', () => {
    const { sam, send, take } = selected();
    sam.injectFault({ kind: 'truncated' });
    const part = send('readTextPhoto');
    expect(part.length).toBe(647);
    const parser = new SamFrameParser();
    expect(parser.push(part)).toEqual([]);
    expect(parser.flush().map((i) => (i.kind === 'error' ? i.error.reason : i.kind))).toEqual(['truncated']);

    sam.placeCard(card());
    send('findCard');
    send('selectCard');
    sam.injectFault({ kind: 'truncated', keepBytes: 100, resumeAfterMs: 500 });
    sam.receive(encodeNamedCommand('readTextPhoto'));
    vi.advanceTimersByTime(1);
    expect(take().length).toBe(100);
    vi.advanceTimersByTime(499);
    const rest = take();
    expect(rest.length).toBe(1195);
    const frames = new SamFrameParser().push(new Uint8Array([...part.subarray(0, 100), ...rest]));
    expect(frames.map((f) => f.kind)).toEqual(['frame']);
  });

  it('no reply: nothing is sent and the command had no effect', () => {
    const { sam, send, hex } = rig();
    sam.placeCard(card());
    sam.injectFault({ kind: 'no-reply' });
    expect(send('findCard').length).toBe(0);
    expect(sam.state).toBe('present');
    expect(hex('selectCard')).toBe(statusFrame(0x81));
  });

  it('stray bytes before and after a reply', () => {
    const { sam, hex } = rig();
    sam.injectFault({ kind: 'stray-bytes' });
    expect(hex('findCard')).toBe(`0055F6${FIND_NONE}F6`);
    sam.injectFault({ kind: 'stray-bytes', before: Uint8Array.of(0xaa), after: Uint8Array.of(0xaa, 0xaa) });
    const out = hex('findCard');
    expect(out).toBe(`AA${FIND_NONE}AAAA`);
    const parsed = new SamFrameParser().push(fromHex(out));
    expect(parsed.map((p) => (p.kind === 'frame' ? toHex(p.frame) : p.kind))).toEqual([FIND_NONE]);
  });

  it('garbled byte: one byte flipped after the header, so the host sees a checksum error', () => {
    const { sam, send } = selected({ seed: 42 });
    sam.injectFault({ kind: 'garbled-byte' });
    const reply = send('readTextPhoto');
    expect(reply.length).toBe(1295);
    expect(toHex(reply.subarray(0, 7))).toBe('AAAAAA96690508');
    const items = new SamFrameParser().push(reply);
    expect(items.map((i) => (i.kind === 'error' ? i.error.reason : i.kind))).toEqual(['bad-checksum']);

    const fixed = rig();
    fixed.sam.injectFault({ kind: 'garbled-byte', offset: 9, xor: 0x01 });
    expect(fixed.hex('findCard')).toBe('AAAAAA9669000400008184');
  });

  it('dropped byte and duplicated reply', () => {
    const { sam, send } = rig();
    sam.injectFault({ kind: 'dropped-byte', offset: 9 });
    expect(toHex(send('findCard'))).toBe('AAAAAA96690004000084');
    sam.injectFault({ kind: 'duplicate-reply' });
    expect(toHex(send('findCard'))).toBe(FIND_NONE + FIND_NONE);
  });

  it('delayed reply', () => {
    const { sam, take } = rig({ timing: 'realistic' });
    sam.injectFault({ kind: 'delay', ms: 1000 });
    sam.receive(encodeNamedCommand('findCard'));
    vi.advanceTimersByTime(1049);
    expect(take().length).toBe(0);
    vi.advanceTimersByTime(1);
    expect(toHex(take())).toBe(FIND_NONE);
  });

  it.each([
    ['findCard', 0x80],
    ['findCard', 0x40],
    ['selectCard', 0x81],
    ['selectCard', 0x31],
    ['selectCard', 0x47],
    ['readTextPhoto', 0x41],
    ['readTextPhoto', 0x32],
    ['readTextPhoto', 0x33],
    ['readTextPhotoFingerprint', 0x47],
    ['readSamId', 0x60],
    ['samStatus', 0x66],
  ] as const)('status fault on %s → SW3 %d with LEN 00 04', (command, sw3) => {
    const { sam, hex } = rig();
    sam.placeCard(card());
    if (command !== 'findCard') hex('findCard');
    if (command.startsWith('read') && command !== 'readSamId') hex('selectCard');
    // Armed for this command only: the commands before it must not consume it.
    sam.injectFault({ kind: 'status', sw3 }, { on: command });
    expect(hex('samStatus')).toBe(command === 'samStatus' ? statusFrame(sw3) : OK_NO_DATA);
    if (command === 'samStatus') return;
    const reply = hex(command);
    expect(reply).toBe(statusFrame(sw3));
    expect(reply.slice(10, 14)).toBe('0004');
    if (command !== 'readSamId') expect(sam.state).toBe('present');
    // After a failed card command the host starts again from find, and that works.
    expect(hex('findCard')).toBe(FIND_OK);
  });

  it('sticky faults repeat until removed; targeted faults wait for their command', () => {
    const { sam, hex } = rig();
    const remove = sam.injectFault({ kind: 'status', sw3: 0x60 }, { sticky: true });
    expect(hex('findCard')).toBe(statusFrame(0x60));
    expect(hex('readSamId')).toBe(statusFrame(0x60));
    remove();
    expect(hex('findCard')).toBe(FIND_NONE);

    sam.injectFault({ kind: 'bad-checksum' }, { on: 'read' });
    expect(hex('findCard')).toBe(FIND_NONE);
    expect(sam.pendingFaults).toHaveLength(1);
    sam.clearFaults();
    expect(sam.pendingFaults).toHaveLength(0);
  });

  it('faults apply to broken frames too (on: invalid-frame)', () => {
    const { sam, hex } = rig();
    sam.injectFault({ kind: 'no-reply' }, { on: 'invalid-frame' });
    expect(hex(fromHex('AAAAAA96690003200123'))).toBe('');
  });

  it('card removed mid-read: 41, slot empty; with putBack the card is found again', () => {
    const { sam, hex } = selected();
    sam.injectFault({ kind: 'card-removed-mid-read' });
    expect(hex('findCard')).toBe(FIND_OK); // not a read: the fault waits
    hex('selectCard');
    expect(hex('readTextPhoto')).toBe(statusFrame(0x41));
    expect(sam.state).toBe('empty');
    expect(sam.card).toBeUndefined();
    expect(hex('findCard')).toBe(FIND_NONE);

    sam.placeCard(card());
    hex('findCard');
    hex('selectCard');
    sam.injectFault({ kind: 'card-removed-mid-read', putBack: true });
    expect(hex('readTextPhotoFingerprint')).toBe(statusFrame(0x41));
    expect(sam.state).toBe('present');
    expect(hex('findCard')).toBe(FIND_OK);
  });

  it('unplug loses pending replies and ignores input; replug powers the card up again (latch cleared)', () => {
    const { sam, send, take, hex } = selected({ timing: 'realistic' });
    const plugs: boolean[] = [];
    sam.onPlugChange((p) => plugs.push(p));
    sam.receive(encodeNamedCommand('readTextPhoto'));
    vi.advanceTimersByTime(100);
    sam.unplug();
    vi.advanceTimersByTime(5000);
    expect(take().length).toBe(0);
    expect(sam.plugged).toBe(false);
    expect(send('findCard').length).toBe(0);
    sam.replug();
    expect(plugs).toEqual([false, true]);
    sam.setTiming('instant');
    expect(sam.state).toBe('present');
    expect(hex('findCard')).toBe(FIND_OK);
    hex('selectCard');
    send('readTextPhoto');
    sam.unplug();
    sam.replug();
    expect(hex('findCard')).toBe(FIND_OK);
  });
});

describe('listeners', () => {
  it('onCommand reports each command with the state it met; unsubscribe works', () => {
    const { sam, hex } = rig();
    const seen: string[] = [];
    const stop = sam.onCommand((e) => seen.push(`${e.kind}@${e.state}`));
    sam.placeCard(card());
    hex('findCard');
    hex(encodeCommand(0x99, 0));
    stop();
    hex('selectCard');
    expect(seen).toEqual(['findCard@present', 'unknown@found']);
  });

  it('accepts a raw CardImage (e.g. an unknown document type) and serves it verbatim', () => {
    const { sam, send, hex } = rig();
    const textBlock = new Uint8Array(256).fill(0x20);
    textBlock.set([0x51, 0x00], 248); // marker 'Q': not a known document type
    sam.placeCard({ textBlock, photo: new Uint8Array(1024), fingerprint: new Uint8Array(0), appendedAddresses: [] });
    hex('findCard');
    hex('selectCard');
    const reply = send('readTextPhoto');
    expect(reply.subarray(14, 270)).toEqual(textBlock);
    expect(toResponse(reply).sw3).toBe(0x90);
  });
});

const vectorsDir =
  process.env.IDCARD_VECTORS_DIR ?? fileURLToPath(new URL('../../../../../../shared/specs/vectors/', import.meta.url));

/** The published read reply (test-only data, read at run time, never copied) is reproduced bit for bit. */
describe.skipIf(!existsSync(`${vectorsDir}/frame-read-text-photo-A.hex`))('against the published read reply', () => {
  it('frame-read-text-photo-A: same text and photo give the same 1295 bytes', () => {
    const published = fromHex(readFileSync(`${vectorsDir}/frame-read-text-photo-A.hex`, 'utf8'));
    const vectors = JSON.parse(readFileSync(`${vectorsDir}/idcard-sam-vectors.json`, 'utf8')) as {
      vectors: { id: string; expect?: { text?: Record<string, string> } }[];
    };
    const t = vectors.vectors.find((v) => v.id === 'frame-read-text-photo-A')?.expect?.text ?? {};
    const textBlock = encodeTextBlock({
      cardType: 'resident',
      name: t.name ?? '',
      sexCode: t.sexCode ?? '',
      nationCode: t.nationCode ?? '',
      birthDate: t.birthDate ?? '',
      address: t.address ?? '',
      idNumber: t.idNumber ?? '',
      issuingAuthority: t.issuingAuthority ?? '',
      validFrom: t.validFrom ?? '',
      validTo: t.validTo ?? '',
    });
    const { sam, send, hex } = rig();
    sam.placeCard({ textBlock, photo: published.slice(270, 1294), fingerprint: new Uint8Array(0), appendedAddresses: [] });
    hex('findCard');
    hex('selectCard');
    expect(toHex(send('readTextPhoto'))).toBe(toHex(published.subarray(0, 1295)));
  });
});
