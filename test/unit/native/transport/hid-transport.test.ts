import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DeviceError } from '../../../../core/errors/station-error.js';
import { SamFrameParser } from '../../../../native/idcard-reader/frame-parser.js';
import { encodeNamedCommand, encodeResponse, toHex } from '../../../../native/idcard-reader/sam-protocol.js';
import { toInputReports } from '../../../../native/transport/hid-reports.js';
import { HidTransport } from '../../../../native/transport/hid-transport.js';

/** A stand-in for node-hid's HIDAsync: an EventEmitter with async write/close. */
const fake = vi.hoisted(() => ({
  opened: [] as { path: string; options: unknown; device: unknown }[],
  openError: undefined as Error | undefined,
}));

class FakeHidDevice extends EventEmitter {
  readonly written: Buffer[] = [];
  writeError: Error | undefined;
  write = vi.fn(async (data: Buffer): Promise<number> => {
    if (this.writeError) throw this.writeError;
    this.written.push(Buffer.from(data));
    return data.length;
  });
  close = vi.fn(async (): Promise<void> => {
    this.removeAllListeners();
  });
}

vi.mock('node-hid', () => ({
  HIDAsync: {
    open: vi.fn(async (path: string, options: unknown) => {
      if (fake.openError) throw fake.openError;
      const device = new FakeHidDevice();
      fake.opened.push({ path, options, device });
      return device;
    }),
  },
}));

const lastDevice = (): FakeHidDevice => fake.opened.at(-1)!.device as FakeHidDevice;

async function openTransport(options: Partial<ConstructorParameters<typeof HidTransport>[0]> = {}) {
  const transport = new HidTransport({ path: '/dev/hidraw3', description: 'HID 2B8B:2721', ...options });
  const data: Uint8Array[] = [];
  const closes: string[] = [];
  transport.onData((b) => data.push(b));
  transport.onClose((r) => closes.push(r));
  await transport.open();
  return { transport, data, closes, device: lastDevice() };
}

beforeEach(() => {
  fake.opened.length = 0;
  fake.openError = undefined;
});

describe('HidTransport (node-hid mocked)', () => {
  it('opens the path lazily through HIDAsync.open', async () => {
    const transport = new HidTransport({ path: '/dev/hidraw3' });
    expect(fake.opened).toHaveLength(0);
    await transport.open();
    expect(fake.opened[0]?.path).toBe('/dev/hidraw3');
    expect(fake.opened[0]?.options).toEqual({ nonExclusive: false });
    expect(transport.description).toBe('HID /dev/hidraw3');
  });

  it('writes one 65-byte buffer: report id 0x00 + the frame zero-padded to 64', async () => {
    const { transport, device } = await openTransport();
    await transport.write(encodeNamedCommand('findCard'));
    expect(device.written).toHaveLength(1);
    const report = device.written[0]!;
    expect(report.length).toBe(65);
    expect(report[0]).toBe(0x00);
    expect(toHex(report.subarray(1, 11))).toBe('AAAAAA96690003200122');
    expect(report.subarray(11).every((b) => b === 0)).toBe(true);
  });

  it('numbered reports: writes carry the id, reads are stripped of it', async () => {
    const { transport, device, data } = await openTransport({ reportId: 2, reportSize: 63 });
    await transport.write(encodeNamedCommand('selectCard'));
    expect(device.written[0]!.length).toBe(64);
    expect(device.written[0]![0]).toBe(2);
    const reply = encodeResponse(0x9f, new Uint8Array(4));
    device.emit('data', Buffer.from(toInputReports(reply, { reportSize: 63, reportId: 2 })[0]!));
    expect(data).toHaveLength(1);
    expect(data[0]!.length).toBe(63);
    expect(toHex(data[0]!.subarray(0, 15))).toBe('AAAAAA9669000800009F0000000097');
    device.emit('data', Buffer.from([7, 1, 2, 3])); // another report id: not ours
    expect(data).toHaveLength(1);
  });

  it('forwards unnumbered IN reports as raw bytes; a 2321-byte reply in 37 reports reassembles', async () => {
    const { device, data } = await openTransport();
    const reply = encodeResponse(0x90, new Uint8Array(2310).map((_, i) => i & 0xff));
    const reports = toInputReports(reply);
    expect(reports).toHaveLength(37);
    for (const report of reports) device.emit('data', Buffer.from(report));
    expect(data.every((d) => d.length === 64 && d instanceof Uint8Array)).toBe(true);
    const parser = new SamFrameParser();
    const frames = data.flatMap((d) => parser.push(d));
    expect(frames).toHaveLength(1);
    expect(frames[0]?.kind === 'frame' && toHex(frames[0].frame)).toBe(toHex(reply));
  });

  it("a device 'error' (unplugged) fires onClose once, closes the handle and rejects later writes", async () => {
    const { transport, device, closes, data } = await openTransport();
    device.emit('error', new Error('could not read from HID device'));
    expect(closes).toEqual(['device error (could not read from HID device)']);
    expect(device.close).toHaveBeenCalledTimes(1);
    device.emit('data', Buffer.alloc(64, 0xaa));
    expect(data).toHaveLength(0);
    await expect(transport.write(encodeNamedCommand('findCard'))).rejects.toBeInstanceOf(DeviceError);
    expect(closes).toHaveLength(1);
  });

  it('a failing write fires onClose and rejects with DeviceError', async () => {
    const { transport, device, closes } = await openTransport();
    device.writeError = new Error('Cannot write to hid device');
    await expect(transport.write(encodeNamedCommand('findCard'))).rejects.toBeInstanceOf(DeviceError);
    expect(closes).toEqual(['write failed (Cannot write to hid device)']);
  });

  it('open failures become DeviceError; close() is quiet and idempotent', async () => {
    fake.openError = new Error('cannot open device');
    await expect(new HidTransport({ path: 'x' }).open()).rejects.toBeInstanceOf(DeviceError);
    fake.openError = undefined;
    const { transport, device, closes } = await openTransport();
    await transport.close();
    await transport.close();
    expect(device.close).toHaveBeenCalledTimes(1);
    expect(closes).toEqual([]);
    await expect(transport.write(encodeNamedCommand('findCard'))).rejects.toBeInstanceOf(DeviceError);
  });

  it('listeners unsubscribe', async () => {
    const transport = new HidTransport({ path: 'p' });
    const seen: Uint8Array[] = [];
    const stop = transport.onData((b) => seen.push(b));
    await transport.open();
    stop();
    lastDevice().emit('data', Buffer.alloc(64));
    expect(seen).toHaveLength(0);
  });
});
