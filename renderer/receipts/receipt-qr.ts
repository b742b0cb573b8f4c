import QRCode from 'qrcode';

/**
 * The receipt's QR code as an SVG data URL (vector: sharp on any printer, no canvas needed). Error
 * correction M survives a crease or a smudge on thermal paper at this payload size (~330 characters).
 */
export async function receiptQrDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${btoa(svg)}`;
}
