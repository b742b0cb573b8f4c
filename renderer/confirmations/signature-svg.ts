import type { SignatureStrokes } from '../../core/contract/kiosk.js';
import type { z } from 'zod';

/**
 * The candidate's signature as a small SVG (a few KB, scales to any receipt), drawn from the kiosk's
 * strokes. Coordinates are numbers we format ourselves, so nothing from the kiosk is copied into markup.
 */
export function signatureSvg(strokes: z.infer<typeof SignatureStrokes>, width = 900, height = 300): Uint8Array<ArrayBuffer> {
  const paths = strokes
    .map((stroke) => {
      const points = stroke.map((p) => `${(p.x * width).toFixed(1)} ${(p.y * height).toFixed(1)}`);
      return `<path d="M${points.join('L')}"/>`;
    })
    .join('');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">` +
    `<g fill="none" stroke="#000" stroke-width="3" stroke-linecap="round" stroke-linejoin="round">${paths}</g></svg>`;
  return new TextEncoder().encode(svg);
}
