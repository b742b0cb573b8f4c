import { describe, expect, it, vi } from 'vitest';

vi.mock('serialport', () => ({
  SerialPort: {
    list: async () => [
      { path: 'COM3', vendorId: '1a86', productId: '7523', manufacturer: 'wch.cn' },
      { path: 'COM1' },
      { path: 'COM7', vendorId: '0403', productId: '6001' },
    ],
  },
}));

const { findSerialDevices } = await import('../../../../native/discovery/serial-discovery.js');

describe('findSerialDevices', () => {
  it('finds ports by their USB bridge id, or by configured name for ports without ids', async () => {
    expect(await findSerialDevices([{ vendorId: 0x1a86, productId: 0x7523 }])).toEqual([
      { bus: 'serial', vendorId: 0x1a86, productId: 0x7523, path: 'COM3', product: 'wch.cn' },
    ]);
    expect((await findSerialDevices([], ['com1'])).map((d) => d.path)).toEqual(['COM1']);
    expect(await findSerialDevices([], [])).toEqual([]);
    expect(await findSerialDevices([{ vendorId: 0x10c4, productId: 0xea60 }])).toEqual([]);
  });
});
