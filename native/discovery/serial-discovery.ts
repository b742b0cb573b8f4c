import type { FoundDevice } from './hid-discovery.js';
import { matchesUsbId, type UsbId } from './usb-id.js';

/**
 * Serial ports whose USB bridge matches the configured ids (serialport reports ids as hex strings), or whose
 * path is configured outright (on-board COM ports and bridges that report no ids).
 */
export async function findSerialDevices(wanted: readonly UsbId[], paths: readonly string[] = []): Promise<FoundDevice[]> {
  if (wanted.length === 0 && paths.length === 0) return [];
  const namedPaths = new Set(paths.map((p) => p.toLowerCase()));
  const { SerialPort } = await import('serialport');
  const ports = await SerialPort.list();
  const found: FoundDevice[] = [];
  for (const port of ports) {
    const vendorId = port.vendorId ? Number.parseInt(port.vendorId, 16) : Number.NaN;
    const productId = port.productId ? Number.parseInt(port.productId, 16) : Number.NaN;
    if (matchesUsbId({ vendorId, productId }, wanted) || namedPaths.has(port.path.toLowerCase())) {
      found.push({ bus: 'serial', vendorId, productId, path: port.path, product: port.manufacturer });
    }
  }
  return found;
}
