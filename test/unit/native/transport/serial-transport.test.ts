import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DeviceError } from '../../../../core/errors/station-error.js';
import { encodeNamedCommand, toHex } from '../../../../native/idcard-reader/sam-protocol.js';
import { SerialTransport } from '../../../../native/transport/serial-transport.js';

/** Ports created by the mocked SerialPort constructor, and what the next open() should fail with. */
const fake = vi.hoisted(() => ({ ports: [] as unknown[], openError: null as Error | null }));

class FakeSerialPort extends EventEmitter {
  readonly options: Record<string, unknown>;
  readonly written: Buffer[] = [];
  isOpen = false;
  writeError: Error | null = null;
  constructor(options: Record<string, unknown>) {
    super();
    this.options = options;
    fake.ports.push(this);
  }
  open(callback: (error: Error | null) => void): void {
    this.isOpen = fake.openError === null;
    callback(fake.openError);
  }
  write(data: Buffer, callback: (error: Error | null) => void): boolean {
    this.written.push(Buffer.from(data));
    callback(this.writeError);
    return true;
  }
  close = vi.fn((callback: (error: Error | null) => void): void => {
    this.isOpen = false;
    callback(null);
    this.emit('close', null);
  });
}

vi.mock('serialport', () => ({ SerialPort: FakeSerialPort }));

const lastPort = (): FakeSerialPort => fake.ports.at(-1) as FakeSerialPort;

async function openTransport(baudRate?: number) {
  const transport = new SerialTransport(
    baudRate === undefined ? { path: '/dev/ttyUSB0' } : { path: '/dev/ttyUSB0', baudRate },
  );
  const data: Uint8Array[] = [];
  const closes: string[] = [];
  transport.onData((b) => data.push(b));
  transport.onClose((r) => closes.push(r));
  await transport.open();
  return { transport, data, closes, port: lastPort() };
}

beforeEach(() => {
  fake.ports.length = 0;
  fake.openError = null;
});

describe('SerialTransport (serialport mocked)', () => {
  it('opens 115200 8N1 by default, explicitly (autoOpen false)', async () => {
    const { port, transport } = await openTransport();
    expect(port.options).toEqual({
      path: '/dev/ttyUSB0',
      baudRate: 115200,
      dataBits: 8,
      parity: 'none',
      stopBits: 1,
      autoOpen: false,
    });
    expect(transport.description).toBe('/dev/ttyUSB0');
  });

  it('uses a configured baud rate', async () => {
    const { port } = await openTransport(9600);
    expect(port.options.baudRate).toBe(9600);
  });

  it('writes frames as-is and forwards every received chunk', async () => {
    const { transport, port, data } = await openTransport();
    await transport.write(encodeNamedCommand('findCard'));
    expect(port.written.map((b) => toHex(b))).toEqual(['AAAAAA96690003200122']);
    port.emit('data', Buffer.from([0xaa, 0xaa]));
    port.emit('data', Buffer.from([0xaa, 0x96, 0x69]));
    expect(data.map((d) => toHex(d))).toEqual(['AAAA', 'AA9669']);
    expect(data[0]).toBeInstanceOf(Uint8Array);
  });

  it("'close' with a disconnect error (USB bridge pulled) fires onClose once", async () => {
    const { transport, port, closes } = await openTransport();
    port.isOpen = false;
    port.emit('close', Object.assign(new Error('Port is not open'), { disconnected: true }));
    port.emit('error', new Error('again'));
    expect(closes).toEqual(['closed (Port is not open)']);
    await expect(transport.write(encodeNamedCommand('findCard'))).rejects.toBeInstanceOf(DeviceError);
  });

  it("an 'error' event fires onClose and releases the port", async () => {
    const { port, closes } = await openTransport();
    port.emit('error', new Error('EIO'));
    expect(closes).toEqual(['port error (EIO)']);
    expect(port.close).toHaveBeenCalledTimes(1);
  });

  it('a failing write rejects with DeviceError and fires onClose', async () => {
    const { transport, port, closes } = await openTransport();
    port.writeError = new Error('EIO');
    await expect(transport.write(encodeNamedCommand('findCard'))).rejects.toBeInstanceOf(DeviceError);
    expect(closes).toEqual(['write failed (EIO)']);
  });

  it('open failures become DeviceError', async () => {
    fake.openError = new Error('Opening COM9: File not found');
    const transport = new SerialTransport({ path: 'COM9', description: 'COM9 reader' });
    await expect(transport.open()).rejects.toThrow(/COM9 reader: open failed/);
    await expect(transport.write(encodeNamedCommand('findCard'))).rejects.toBeInstanceOf(DeviceError);
  });

  it('close() is quiet: no onClose even though the port emits close', async () => {
    const { transport, port, closes, data } = await openTransport();
    await transport.close();
    expect(port.close).toHaveBeenCalledTimes(1);
    expect(closes).toEqual([]);
    port.emit('data', Buffer.from([1]));
    expect(data).toHaveLength(0);
    await transport.close();
  });
});
