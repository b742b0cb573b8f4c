import { matchesUsbId, type UsbId } from './usb-id.js';

export interface FoundDevice extends UsbId {
  /** How to talk to it: a HID device, a serial port, or a simulator's virtual device. */
  bus: 'hid' | 'serial' | 'sim';
  /** OS path: hidraw node / Windows device path, a COM port, or `sim:<kind>`. */
  path: string;
  product: string | undefined;
}

/**
 * HID devices matching the configured ids. The native module is loaded lazily so that a machine
 * without libusb/hidraw support still starts (with simulators) instead of crashing at import.
 */
export async function findHidDevices(wanted: readonly UsbId[]): Promise<FoundDevice[]> {
  if (wanted.length === 0) return [];
  const hid = await import('node-hid');
  const all = await hid.devicesAsync();
  return all
    .filter((d) => d.path !== undefined && matchesUsbId(d, wanted))
    .map((d) => ({ bus: 'hid' as const, vendorId: d.vendorId, productId: d.productId, path: d.path!, product: d.product }));
}
