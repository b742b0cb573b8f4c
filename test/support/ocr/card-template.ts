/**
 * Draws a flat synthetic ID card (front 人像面 or back 国徽面) on a canvas in Chromium, where the installed CJK
 * fonts render the text. The layout follows the printed card (labels in blue, values in black, number in a
 * monospaced face); it is a look-alike for OCR tests, deliberately without the real security features.
 *
 * `renderCardInPage` runs inside the page (Playwright serialises it), so it may use only DOM APIs.
 */
import type { SyntheticIdentity } from './synthetic-identity.js';

export const TEMPLATE_WIDTH = 1000;
export const TEMPLATE_HEIGHT = 631;

export interface CardStyle {
  /** 0–1 picks: value font, label hue, background tint, pattern phase, photo look. */
  seed: number;
  serifValues: boolean;
  /**
   * Vary what one generator would keep fixed: the value and digit faces and weights, glyph width, field
   * positions (within a few per cent, as between the specimen cards in shared/fixtures/idcards), the
   * background pattern and a paper or laminate texture. Default false (the original look, kept for tests
   * that compare against it).
   */
  varied?: boolean;
}

export interface RenderRequest {
  side: 'front' | 'back';
  identity: SyntheticIdentity;
  style: CardStyle;
  /** Output size as a fraction of TEMPLATE_WIDTH × TEMPLATE_HEIGHT (default 1); tests of location need no 300 dpi text. */
  scale?: number;
}

/** Returns a PNG data URL of the card. Runs in the browser. */
export function renderCardInPage(req: RenderRequest): string {
  const W = 1000;
  const H = 631;
  const canvas = document.createElement('canvas');
  const scale = req.scale ?? 1;
  canvas.width = Math.round(W * scale);
  canvas.height = Math.round(H * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d context');
  ctx.scale(canvas.width / W, canvas.height / H);
  let s = Math.floor(req.style.seed * 2 ** 31) || 1;
  const rnd = () => {
    s = (s * 48271) % 2147483647;
    return s / 2147483647;
  };
  const sans = '"Noto Sans CJK SC", sans-serif';
  const serif = '"Noto Serif CJK SC", serif';
  const varied = req.style.varied === true;
  // Faces with the same simplified forms but other stroke shapes (the JP/TC cuts of Noto draw some components
  // differently), weights from light to bold, and three monospaced digit faces.
  const valueFaces = ['"Noto Sans CJK SC"', '"Noto Serif CJK SC"', '"Noto Sans CJK JP"', '"Noto Serif CJK JP"', '"Noto Sans Mono CJK SC"', '"Noto Sans CJK TC"'];
  const weights = ['300', '400', '400', '500', '700'];
  const digitFaces = ['"DejaVu Sans Mono"', '"Noto Sans Mono CJK SC"', '"DejaVu Sans Mono"', 'monospace'];
  const valueFace = varied ? `${weights[Math.floor(rnd() * weights.length)] ?? '400'} ${'SIZE'}px ${valueFaces[Math.floor(rnd() * valueFaces.length)] ?? sans}, sans-serif` : '';
  const valueFont = req.style.serifValues ? serif : sans;
  const digitFont = varied ? `${rnd() < 0.7 ? 'bold' : '500'} SIZEpx ${digitFaces[Math.floor(rnd() * digitFaces.length)] ?? 'monospace'}, monospace` : '';
  /** Glyph width factor (narrow or wide rendering) and position offsets, in template pixels. */
  const stretch = varied ? 0.92 + rnd() * 0.14 : 1;
  const jx = (range: number) => (varied ? (rnd() * 2 - 1) * range : 0);
  const labelColor = `hsl(${200 + rnd() * 15}, ${55 + rnd() * 25}%, ${38 + rnd() * 12}%)`;

  // Background: pale tint plus guilloche curves in pale colours.
  const g = ctx.createLinearGradient(0, 0, W, H);
  g.addColorStop(0, `hsl(${170 + rnd() * 30}, 30%, ${90 + rnd() * 5}%)`);
  g.addColorStop(0.5, `hsl(${30 + rnd() * 20}, 25%, ${93 + rnd() * 4}%)`);
  g.addColorStop(1, `hsl(${190 + rnd() * 30}, 30%, ${89 + rnd() * 6}%)`);
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, W, H);
  ctx.lineWidth = 1;
  for (let k = 0; k < 70; k++) {
    ctx.strokeStyle = `hsla(${rnd() < 0.5 ? 340 + rnd() * 20 : 170 + rnd() * 40}, 45%, 72%, ${0.25 + rnd() * 0.3})`;
    ctx.beginPath();
    const amp = 10 + rnd() * 40;
    const freq = 0.005 + rnd() * 0.02;
    const phase = rnd() * 6.28;
    const y0 = rnd() * H;
    for (let x = 0; x <= W; x += 8) {
      const y = y0 + amp * Math.sin(x * freq + phase) + 0.3 * amp * Math.sin(x * freq * 3.1);
      if (x === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    ctx.stroke();
  }
  if (varied) {
    // Texture: paper fibres or the fine dots of a laminate, and on some cards a second, denser guilloche.
    const texture = rnd();
    if (texture < 0.4) {
      for (let k = 0; k < 1800; k++) {
        ctx.fillStyle = `rgba(${rnd() < 0.5 ? '90,90,110' : '255,255,255'}, ${0.05 + rnd() * 0.12})`;
        ctx.fillRect(rnd() * W, rnd() * H, 1 + rnd() * 6, 1);
      }
    } else if (texture < 0.75) {
      for (let y = 0; y < H; y += 3) for (let x = (y / 3) % 2 === 0 ? 0 : 1.5; x < W; x += 3) {
        ctx.fillStyle = `rgba(120, 140, 170, ${0.04 + rnd() * 0.06})`;
        ctx.fillRect(x, y, 1, 1);
      }
    }
    if (rnd() < 0.5) {
      ctx.lineWidth = 0.8;
      for (let k = 0; k < 60; k++) {
        ctx.strokeStyle = `hsla(${rnd() * 360}, 35%, 75%, ${0.15 + rnd() * 0.2})`;
        ctx.beginPath();
        const cx = rnd() * W;
        const cy = rnd() * H;
        ctx.ellipse(cx, cy, 30 + rnd() * 160, 20 + rnd() * 90, rnd() * 3.14, 0, Math.PI * 2);
        ctx.stroke();
      }
    }
  }

  const label = (text: string, x: number, y: number, size = 26, spacing = 0) => {
    ctx.fillStyle = labelColor;
    ctx.font = `${size}px ${sans}`;
    ctx.textBaseline = 'middle';
    if (spacing === 0) ctx.fillText(text, x, y);
    else Array.from(text).forEach((ch, i) => ctx.fillText(ch, x + i * (size + spacing), y));
  };
  const value = (text: string, x: number, y: number, size = 32, font = valueFont) => {
    ctx.fillStyle = varied ? `hsl(220, 10%, ${5 + rnd() * 12}%)` : '#111';
    ctx.font = varied && font === valueFont ? valueFace.replace('SIZE', String(Math.round(size * (0.95 + rnd() * 0.1)))) : `${size}px ${font}`;
    ctx.textBaseline = 'middle';
    if (stretch === 1) ctx.fillText(text, x, y);
    else {
      ctx.save();
      ctx.translate(x, y);
      ctx.scale(stretch, 1);
      ctx.fillText(text, 0, 0);
      ctx.restore();
    }
  };
  const id = req.identity;

  if (req.side === 'front') {
    const lx = 75 + jx(8);
    const vx = 190 + jx(10);
    const dy = jx(0.012 * H);
    label('姓名', lx, (0.15 * H + dy), 26, 14);
    value(id.name, vx, (0.15 * H + dy), 34);
    label('性别', lx, (0.28 * H + dy), 26, 14);
    value(id.sex === 'male' ? '男' : '女', vx, (0.28 * H + dy));
    label('民族', 305, (0.28 * H + dy), 26, 14);
    value(id.nation, 400, (0.28 * H + dy));
    label('出生', lx, (0.41 * H + dy), 26, 14);
    const y = id.birthDate.slice(0, 4);
    const m = String(Number(id.birthDate.slice(4, 6)));
    const d = String(Number(id.birthDate.slice(6, 8)));
    ctx.font = `32px ${valueFont}`;
    let x = vx;
    value(y, x, (0.41 * H + dy));
    x += ctx.measureText(y).width + 14;
    label('年', x, (0.41 * H + dy));
    x += 40;
    value(m, x, (0.41 * H + dy));
    x += ctx.measureText(m).width + 14;
    label('月', x, (0.41 * H + dy));
    x += 40;
    value(d, x, (0.41 * H + dy));
    x += ctx.measureText(d).width + 14;
    label('日', x, (0.41 * H + dy));
    label('住址', lx, (0.54 * H + dy), 26, 14);
    const chars = Array.from(id.address);
    for (let line = 0; line * 11 < chars.length && line < 3; line++) {
      value(chars.slice(line * 11, line * 11 + 11).join(''), vx, (0.54 * H + dy) + line * 0.085 * H, 31);
    }
    label('公民身份号码', lx, (0.86 * H + dy), 27);
    ctx.fillStyle = '#111';
    ctx.font = varied ? digitFont.replace('SIZE', String(Math.round(34 + rnd() * 4))) : `bold 36px "DejaVu Sans Mono", monospace`;
    const nx = 350 + jx(15);
    const pitch = varied ? 29.5 + rnd() * 3 : 31;
    Array.from(id.idNumber).forEach((ch, i) => ctx.fillText(ch, nx + i * pitch, 0.86 * H + dy));

    // Photo: a plain portrait silhouette (no real face).
    const px = 630;
    const py = 65;
    const pw = 290;
    const ph = 370;
    ctx.fillStyle = `hsl(${200 + rnd() * 20}, 20%, ${88 + rnd() * 8}%)`;
    ctx.fillRect(px, py, pw, ph);
    ctx.fillStyle = `hsl(25, ${30 + rnd() * 20}%, ${60 + rnd() * 15}%)`;
    ctx.beginPath();
    ctx.ellipse(px + pw / 2, py + 160, 70, 92, 0, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = `hsl(20, 15%, ${8 + rnd() * 15}%)`;
    ctx.beginPath();
    ctx.ellipse(px + pw / 2, py + 105, 78, 55, 0, Math.PI, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = `hsl(${rnd() * 360}, 25%, ${25 + rnd() * 30}%)`;
    ctx.beginPath();
    ctx.ellipse(px + pw / 2, py + ph, 135, 95, 0, Math.PI, Math.PI * 2);
    ctx.fill();
  } else {
    // Emblem stand-in: concentric red and gold discs.
    ctx.fillStyle = '#c8102e';
    ctx.beginPath();
    ctx.arc(150, 130, 88, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = '#e8b923';
    ctx.beginPath();
    ctx.arc(150, 130, 52, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = '#111';
    ctx.font = `bold 44px ${serif}`;
    ctx.textBaseline = 'middle';
    ctx.fillText('中华人民共和国', 330, 0.19 * H);
    ctx.font = `bold 68px ${serif}`;
    ctx.fillText('居民身份证', 330, 0.37 * H);
    const bx = jx(10);
    const by = jx(0.01 * H);
    label('签发机关', 190 + bx, 0.755 * H + by, 26);
    value(id.issuingAuthority, 375 + bx + jx(6), 0.755 * H + by, 31);
    label('有效期限', 190 + bx, 0.875 * H + by, 26);
    const fmt = (d8: string) => (d8 === '长期' ? d8 : `${d8.slice(0, 4)}.${d8.slice(4, 6)}.${d8.slice(6, 8)}`);
    value(`${fmt(id.validFrom)}-${fmt(id.validTo)}`, 375 + bx + jx(6), 0.875 * H + by, 31);
  }
  return canvas.toDataURL('image/png');
}
