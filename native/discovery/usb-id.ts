export interface UsbId {
  vendorId: number;
  productId: number;
}

export function formatUsbId(id: UsbId): string {
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
  return `${hex(id.vendorId)}:${hex(id.productId)}`;
}

export function matchesUsbId(candidate: Partial<UsbId>, wanted: readonly UsbId[]): boolean {
  return wanted.some((id) => id.vendorId === candidate.vendorId && id.productId === candidate.productId);
}
