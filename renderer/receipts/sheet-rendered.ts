/**
 * Resolves once the receipt sheet React just rendered is on the page with its images decoded and its font
 * loaded, so neither the print dialog nor printToPDF catches a receipt without its QR or with fallback glyphs.
 */
export async function sheetRendered(): Promise<void> {
  // Two frames: React commits the store's new sheet, then the browser lays it out.
  await new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
  const sheet = document.querySelector('.receipt-print');
  if (!sheet) return;
  const images = [...sheet.querySelectorAll('img')].map((image) => image.decode().catch(() => undefined));
  const text = sheet.textContent ?? '';
  await Promise.all([...images, document.fonts.load("16px 'Receipt Sans'", text).catch(() => undefined)]);
}
