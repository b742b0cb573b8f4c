import type { FoundDevice } from './hid-discovery.js';
import { matchesUsbId, type UsbId } from './usb-id.js';

/** Serial ports whose USB bridge matches the configured ids (serialport reports ids as hex strings). */
export async function findSerialDevices(wanted: readonly UsbId[]): Promise<FoundDevice[]> {
  if (wanted.length === 0) return [];
  const { SerialPort } = await import('serialport');
  const ports = await SerialPort.list();
  const found: FoundDevice[] = [];
  for (const port of ports) {
    const vendorId = port.vendorId ? Number.parseInt(port.vendorId, 16) : Number.NaN;
    const productId = port.productId ? Number.parseInt(port.productId, 16) : Number.NaN;
    if (matchesUsbId({ vendorId, productId }, wanted)) {
      found.push({ bus: 'serial', vendorId, productId, path: port.path, product: port.manufacturer });
    }
  }
  return found;
}
