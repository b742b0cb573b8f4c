/**
 * Synthetic ID card photos for OCR tests and the benchmark: cards drawn in Chromium (real CJK fonts), then put
 * on a desk in Node with rotation, perspective, shadow, uneven light, blur, noise and JPEG compression.
 * Everything stays in memory (or a temp dir the caller chooses); nothing is committed but this code.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { chromium, type Browser } from '@playwright/test';
import { seededRandom } from '../../../native/simulators/seeded-random.js';
import { homography, type Point, type Quad, type RgbaImage } from '../../../renderer/ocr/image.js';
import { renderCardInPage, type RenderRequest } from './card-template.js';
import { randomIdentity, type SyntheticIdentity } from './synthetic-identity.js';

export interface Perturbation {
  /** Degrees. */
  rotation: number;
  /** Corner jitter as a fraction of the card width (perspective). */
  perspective: number;
  /** Card width as a fraction of the scene width. */
  cardScale: number;
  /** Light falloff across the card, 0 = even. */
  lighting: number;
  /** Box-blur passes (0–2). */
  blur: number;
  /** Gaussian-ish noise amplitude in grey levels. */
  noise: number;
  jpegQuality: number;
  /** Specular spots (laminate under a desk lamp) in card fractions: centre, radius, strength in grey levels. */
  glareSpots?: readonly { u: number; v: number; r: number; strength: number }[] | undefined;
  /** Screen or sensor moiré: amplitude in grey levels (0 = none). */
  moire?: number | undefined;
  /** A thumb over this card corner (0 top-left … 3 bottom-left, clockwise). */
  thumbCorner?: 0 | 1 | 2 | 3 | undefined;
  /** A patterned desk under the card: checks, stripes, wood grain or printed paper. */
  deskPattern?: 'checks' | 'stripes' | 'wood' | 'print' | undefined;
}

/**
 * Tiers of the benchmark. mild and strong: geometry, light, blur, noise, JPEG. The others are mild plus one thing
 * real desk cameras add: glare spots on the laminate, moiré, a thumb over a corner, a patterned desk.
 */
export const TIERS = ['mild', 'strong', 'glare', 'moire', 'thumb', 'desk'] as const;
export type Tier = (typeof TIERS)[number];

export interface GeneratedCard {
  identity: SyntheticIdentity;
  side: 'front' | 'back';
  image: RgbaImage;
  /** JPEG bytes of `image` as a camera would deliver it. */
  jpeg: Uint8Array;
  /** Card corners in the image: top-left, top-right, bottom-right, bottom-left. */
  quad: Quad;
  perturbation: Perturbation;
}

export interface GeneratorOptions {
  seed: number;
  /** 'none' renders the flat card filling the frame (a scan). */
  perturb?: 'none' | Tier;
  /** Vary faces, positions, backgrounds and textures of the card itself (CardStyle.varied). Default false. */
  varied?: boolean;
  sides?: readonly ('front' | 'back')[];
  /** Desk photo width range in pixels (default 900–1400, a desk camera's frame). */
  sceneWidth?: readonly [number, number];
  /** Flat card size as a fraction of the template (default 1: text at about 300 dpi). */
  flatScale?: number;
}

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** Owns one Chromium for many cards; call close() when done. */
export class CardGenerator {
  private browser: Browser | undefined;
  private readonly random: () => number;

  constructor(private readonly options: GeneratorOptions) {
    this.random = seededRandom(options.seed);
  }

  private async page() {
    if (!this.browser) this.browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const context = this.browser.contexts()[0] ?? (await this.browser.newContext());
    const page = context.pages()[0] ?? (await context.newPage());
    // Fonts load lazily: draw once so the first real card is not rendered in a fallback face.
    if (page.url() === 'about:blank') {
      // tsx/esbuild wrap named inner functions in __name(); the serialised template needs it in the page too.
      await page.addInitScript('globalThis.__name = (f) => f;');
      await page.evaluate('globalThis.__name = (f) => f;');
      await page.setContent('<html><body style="font-family:\'Noto Sans CJK SC\'">字 <span style="font-family:\'Noto Serif CJK SC\'">字</span> <span style="font-family:\'DejaVu Sans Mono\'">0</span></body></html>');
      await page.evaluate(async () => {
        await document.fonts.load('32px "Noto Sans CJK SC"', '字');
        await document.fonts.load('32px "Noto Serif CJK SC"', '字');
        await document.fonts.load('bold 36px "DejaVu Sans Mono"', '0');
        for (const face of ['Noto Sans CJK JP', 'Noto Serif CJK JP', 'Noto Sans Mono CJK SC', 'Noto Sans CJK TC']) {
          for (const weight of ['300', '400', '500', '700']) await document.fonts.load(`${weight} 32px "${face}"`, '字0');
        }
      });
    }
    return page;
  }

  /** Flat card image as drawn (TEMPLATE_WIDTH × TEMPLATE_HEIGHT times `flatScale`). */
  async renderFlat(identity: SyntheticIdentity, side: 'front' | 'back', styleSeed: number, serifValues: boolean): Promise<RgbaImage> {
    const page = await this.page();
    const req: RenderRequest = { side, identity, style: { seed: styleSeed, serifValues, varied: this.options.varied ?? false }, scale: this.options.flatScale ?? 1 };
    const dataUrl = await page.evaluate(renderCardInPage, req);
    const png = PNG.sync.read(Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'));
    return { width: png.width, height: png.height, data: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length) };
  }

  /**
   * The next `count` cards (both sides unless `sides` says otherwise), deterministic for the seed and the
   * sequence of calls. `perturb` overrides the generator's level for this call (one Chromium for several tiers).
   */
  async generate(count: number, perturb: GeneratorOptions['perturb'] = this.options.perturb): Promise<GeneratedCard[]> {
    const out: GeneratedCard[] = [];
    const sides = this.options.sides ?? ['front', 'back'];
    const jobs = Array.from({ length: count }, () => ({ identity: randomIdentity(this.random), styleSeed: this.random(), serif: this.random() < 0.25 })).flatMap(
      (plan) => sides.map((side) => ({ ...plan, side })),
    );
    const render = (k: number) => {
      const job = jobs[k];
      if (!job) return undefined;
      const flat = this.renderFlat(job.identity, job.side, job.styleSeed, job.serif);
      // Awaited in the loop below; this keeps a failure from counting as unhandled while the loop is busy.
      flat.catch(() => undefined);
      return flat;
    };
    // Chromium draws card k + 1 while Node puts card k on the desk.
    let next = render(0);
    for (const [k, { identity, side }] of jobs.entries()) {
      const flat = await (next as Promise<RgbaImage>);
      next = render(k + 1);
      const p = this.perturbation(perturb ?? 'mild');
      const scene = perturb === 'none' ? { image: flat, quad: frameQuad(flat) } : placeOnDesk(flat, p, this.random, this.options.sceneWidth);
      const bytes = jpeg.encode({ width: scene.image.width, height: scene.image.height, data: scene.image.data }, p.jpegQuality).data;
      const decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
      const image = { width: decoded.width, height: decoded.height, data: new Uint8ClampedArray(decoded.data.buffer, decoded.data.byteOffset, decoded.data.length) };
      out.push({ identity, side, image, jpeg: new Uint8Array(bytes), quad: scene.quad, perturbation: p });
    }
    return out;
  }

  private perturbation(level: 'none' | Tier): Perturbation {
    const r = this.random;
    if (level === 'none') return { rotation: 0, perspective: 0, cardScale: 1, lighting: 0, blur: 0, noise: 0, jpegQuality: 92 };
    const strong = level === 'strong';
    const base = this.geometry(strong);
    if (level === 'glare') {
      const n = 1 + Math.floor(r() * 3);
      // A lamp's reflection washes text out but leaves it legible to a person (a spot that erases it is a retake,
      // not an OCR test).
      return { ...base, glareSpots: Array.from({ length: n }, () => ({ u: r(), v: r(), r: 0.03 + r() * 0.06, strength: 50 + r() * 90 })) };
    }
    if (level === 'moire') return { ...base, moire: 5 + r() * 10 };
    if (level === 'thumb') return { ...base, thumbCorner: Math.floor(r() * 4) as 0 | 1 | 2 | 3 };
    if (level === 'desk') return { ...base, deskPattern: (['checks', 'stripes', 'wood', 'print'] as const)[Math.floor(r() * 4)] ?? 'checks' };
    return base;
  }

  private geometry(strong: boolean): Perturbation {
    const r = this.random;
    return {
      rotation: (r() * 2 - 1) * (strong ? 15 : 6),
      perspective: r() * (strong ? 0.06 : 0.03),
      cardScale: strong ? 0.45 + r() * 0.45 : 0.6 + r() * 0.3,
      lighting: r() * (strong ? 0.35 : 0.2),
      blur: Math.floor(r() * (strong ? 3 : 2)),
      noise: r() * (strong ? 8 : 4),
      jpegQuality: Math.round(strong ? 45 + r() * 45 : 65 + r() * 30),
    };
  }

  async close(): Promise<void> {
    await this.browser?.close();
    this.browser = undefined;
  }
}

function frameQuad(img: RgbaImage): Quad {
  return [
    { x: 0, y: 0 },
    { x: img.width, y: 0 },
    { x: img.width, y: img.height },
    { x: 0, y: img.height },
  ];
}

/** Composite the flat card onto a desk scene under the given perturbation. */
export function placeOnDesk(
  card: RgbaImage,
  p: Perturbation,
  random: () => number,
  sceneWidth: readonly [number, number] = [900, 1400],
): { image: RgbaImage; quad: Quad } {
  const sw = Math.round(sceneWidth[0] + random() * (sceneWidth[1] - sceneWidth[0]));
  const sh = Math.round(sw * (0.68 + random() * 0.12));
  const out = new Uint8ClampedArray(sw * sh * 4);
  // Desk: a random colour (light, dark or wood) with a gentle gradient and grain.
  const base = [
    [225, 225, 228],
    [60, 62, 70],
    [150, 110, 75],
    [200, 205, 215],
    [35, 35, 35],
  ][Math.floor(random() * 5)] as [number, number, number];
  const tilt = random() * 0.3 - 0.15;
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < sw; x++) {
      const f = 1 + tilt * (x / sw - 0.5) + 0.04 * Math.sin(y * 0.05 + x * 0.002);
      const o = (y * sw + x) * 4;
      out[o] = base[0] * f;
      out[o + 1] = base[1] * f;
      out[o + 2] = base[2] * f;
      out[o + 3] = 255;
    }
  }
  if (p.deskPattern) paintDesk(out, sw, sh, p.deskPattern, random);
  const a = (p.rotation * Math.PI) / 180;
  let corners: Point[] = [];
  // Shrink until the whole card is in the frame: location is tested against the full outline.
  for (let scale = p.cardScale; scale > 0.2; scale *= 0.92) {
    const cw = sw * scale;
    const ch = (cw * card.height) / card.width;
    const cx = sw / 2 + (random() - 0.5) * Math.max(0, sw - cw * 1.15) * 0.8;
    const cy = sh / 2 + (random() - 0.5) * Math.max(0, sh - ch * 1.3) * 0.8;
    corners = [
      { x: -cw / 2, y: -ch / 2 },
      { x: cw / 2, y: -ch / 2 },
      { x: cw / 2, y: ch / 2 },
      { x: -cw / 2, y: ch / 2 },
    ].map((c) => ({
      x: cx + c.x * Math.cos(a) - c.y * Math.sin(a) + (random() * 2 - 1) * p.perspective * cw,
      y: cy + c.x * Math.sin(a) + c.y * Math.cos(a) + (random() * 2 - 1) * p.perspective * cw,
    }));
    if (corners.every((c) => c.x > sw * 0.03 && c.x < sw * 0.97 && c.y > sh * 0.03 && c.y < sh * 0.97)) break;
  }
  const cw = Math.hypot((corners[1]?.x ?? 0) - (corners[0]?.x ?? 0), (corners[1]?.y ?? 0) - (corners[0]?.y ?? 0));
  const quad = corners as unknown as Quad;
  const cardRect: Quad = [
    { x: 0, y: 0 },
    { x: card.width, y: 0 },
    { x: card.width, y: card.height },
    { x: 0, y: card.height },
  ];
  const h = homography(quad, cardRect);
  const [h0 = 0, h1 = 0, h2 = 0, h3 = 0, h4 = 0, h5 = 0, h6 = 0, h7 = 0, h8 = 1] = h;
  const minX = Math.max(0, Math.floor(Math.min(...corners.map((c) => c.x))) - 30);
  const maxX = Math.min(sw - 1, Math.ceil(Math.max(...corners.map((c) => c.x))) + 30);
  const minY = Math.max(0, Math.floor(Math.min(...corners.map((c) => c.y))) - 30);
  const maxY = Math.min(sh - 1, Math.ceil(Math.max(...corners.map((c) => c.y))) + 30);
  const radius = card.width * 0.035;
  const shadowDx = cw * 0.012;
  const shadowDy = cw * 0.018;
  const glareX = random();
  const glareY = random();
  const glare = random() < 0.3 ? 40 + random() * 50 : 0;
  const lightAngle = random() * Math.PI * 2;
  const mapToCard = (x: number, y: number) => {
    const w = h6 * x + h7 * y + h8;
    return { u: (h0 * x + h1 * y + h2) / w, v: (h3 * x + h4 * y + h5) / w };
  };
  const inside = (u: number, v: number) => {
    if (u < 0 || v < 0 || u >= card.width || v >= card.height) return false;
    // Rounded corners.
    const dx = Math.max(radius - u, 0, u - (card.width - radius));
    const dy = Math.max(radius - v, 0, v - (card.height - radius));
    return dx === 0 || dy === 0 || dx * dx + dy * dy <= radius * radius;
  };
  for (let y = minY; y <= maxY; y++) {
    for (let x = minX; x <= maxX; x++) {
      const o = (y * sw + x) * 4;
      const { u, v } = mapToCard(x + 0.5, y + 0.5);
      if (!inside(u, v)) {
        const s = mapToCard(x + 0.5 - shadowDx, y + 0.5 - shadowDy);
        if (inside(s.u, s.v)) for (let c = 0; c < 3; c++) out[o + c] = (out[o + c] ?? 0) * 0.72;
        continue;
      }
      const ui = Math.min(card.width - 2, Math.max(0, Math.floor(u)));
      const vi = Math.min(card.height - 2, Math.max(0, Math.floor(v)));
      const fu = u - ui;
      const fv = v - vi;
      const i = (vi * card.width + ui) * 4;
      const nu = u / card.width - 0.5;
      const nv = v / card.height - 0.5;
      const light = 1 - p.lighting * (0.5 + nu * Math.cos(lightAngle) + nv * Math.sin(lightAngle));
      const gx = u / card.width - glareX;
      const gy = v / card.height - glareY;
      let spot = glare * Math.exp(-(gx * gx + gy * gy) / 0.02);
      for (const g of p.glareSpots ?? []) {
        // Card-fraction distance, aspect-corrected: a round spot on the card.
        const ddx = u / card.width - g.u;
        const ddy = ((v / card.height - g.v) * card.height) / card.width;
        const d2 = (ddx * ddx + ddy * ddy) / (g.r * g.r);
        // A bright core and a soft halo around it.
        spot += g.strength * Math.exp(-d2);
      }
      for (let c = 0; c < 3; c++) {
        const d = card.data;
        const val =
          ((d[i + c] ?? 0) * (1 - fu) + (d[i + 4 + c] ?? 0) * fu) * (1 - fv) +
          ((d[i + card.width * 4 + c] ?? 0) * (1 - fu) + (d[i + card.width * 4 + 4 + c] ?? 0) * fu) * fv;
        out[o + c] = val * light + spot;
      }
    }
  }
  if (p.thumbCorner !== undefined) paintThumb(out, sw, sh, corners, p.thumbCorner, random);
  if (p.moire) paintMoire(out, sw, sh, p.moire, random);
  let image: RgbaImage = { width: sw, height: sh, data: out };
  for (let k = 0; k < p.blur; k++) image = boxBlur(image);
  if (p.noise > 0) {
    const d = image.data;
    for (let k = 0; k < d.length; k += 4) {
      const n = (random() + random() + random() - 1.5) * p.noise;
      d[k] = (d[k] ?? 0) + n;
      d[k + 1] = (d[k + 1] ?? 0) + n;
      d[k + 2] = (d[k + 2] ?? 0) + n;
    }
  }
  return { image, quad };
}

function boxBlur(img: RgbaImage): RgbaImage {
  const { width: w, height: h, data } = img;
  const out = new Uint8ClampedArray(data.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 4;
      for (let c = 0; c < 3; c++) {
        let s = 0;
        let n = 0;
        for (let dy = -1; dy <= 1; dy++) {
          const yy = y + dy;
          if (yy < 0 || yy >= h) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            if (xx < 0 || xx >= w) continue;
            s += data[(yy * w + xx) * 4 + c] ?? 0;
            n++;
          }
        }
        out[o + c] = s / n;
      }
      out[o + 3] = 255;
    }
  }
  return { width: w, height: h, data: out };
}

/** Patterned desks: what a card-edge finder mistakes for edges. */
function paintDesk(out: Uint8ClampedArray, w: number, h: number, kind: NonNullable<Perturbation['deskPattern']>, random: () => number): void {
  const size = 18 + random() * 50;
  const angle = random() * Math.PI;
  const ca = Math.cos(angle);
  const sa = Math.sin(angle);
  const contrast = 0.25 + random() * 0.45;
  const tint = [random() * 80 - 40, random() * 80 - 40, random() * 80 - 40];
  const blocks: { x: number; y: number; w: number; h: number }[] = [];
  if (kind === 'print') {
    // Lines of "text" on printed paper: short dark bars in rows.
    for (let y = 10; y < h; y += size * 0.45) {
      for (let x = 5 + random() * 20; x < w; x += size * (0.3 + random() * 0.5)) blocks.push({ x, y, w: size * (0.2 + random() * 0.3), h: size * 0.22 });
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const u = x * ca + y * sa;
      const v = -x * sa + y * ca;
      let f = 1;
      if (kind === 'checks') f = (Math.floor(u / size) + Math.floor(v / size)) % 2 === 0 ? 1 : 1 - contrast;
      else if (kind === 'stripes') f = Math.floor(u / (size * 0.5)) % 2 === 0 ? 1 : 1 - contrast;
      else if (kind === 'wood') f = 1 - contrast * 0.5 * (1 + Math.sin(u / (size * 0.15) + 3 * Math.sin(v / (size * 2))));
      const o = (y * w + x) * 4;
      for (let c = 0; c < 3; c++) out[o + c] = ((out[o + c] ?? 0) + (tint[c] ?? 0)) * f;
    }
  }
  if (kind === 'print') {
    for (const b of blocks) {
      for (let y = Math.max(0, Math.floor(b.y)); y < Math.min(h, b.y + b.h); y++) {
        for (let x = Math.max(0, Math.floor(b.x)); x < Math.min(w, b.x + b.w); x++) {
          const o = (y * w + x) * 4;
          for (let c = 0; c < 3; c++) out[o + c] = (out[o + c] ?? 0) * 0.25;
        }
      }
    }
  }
}

/**
 * A thumb over one corner of the card: a shaded skin-coloured ellipse centred on the corner (staff hold cards by
 * the corner, not over the fields).
 */
function paintThumb(out: Uint8ClampedArray, w: number, h: number, corners: readonly Point[], corner: 0 | 1 | 2 | 3, random: () => number): void {
  const c = corners[corner];
  const opposite = corners[(corner + 2) % 4];
  const next = corners[(corner + 1) % 4];
  if (!c || !opposite || !next) return;
  const cw = Math.hypot(next.x - c.x, next.y - c.y);
  const toward = { x: opposite.x - c.x, y: opposite.y - c.y };
  const len = Math.hypot(toward.x, toward.y) || 1;
  const rx = cw * (0.07 + random() * 0.04);
  const ry = cw * (0.05 + random() * 0.03);
  // Centre at the corner: the ball of the thumb covers the corner, reaching about rx (≤ 0.11 cw) along the
  // diagonal, so less than a tenth of the width along either edge.
  const inward = cw * 0.01;
  const cx = c.x + (toward.x / len) * inward;
  const cy = c.y + (toward.y / len) * inward;
  const rot = Math.atan2(toward.y, toward.x) + (random() - 0.5) * 0.8;
  const skin = [200 + random() * 40, 150 + random() * 40, 120 + random() * 40];
  const cr = Math.cos(rot);
  const sr = Math.sin(rot);
  for (let y = Math.max(0, Math.floor(cy - rx - 2)); y < Math.min(h, cy + rx + 2); y++) {
    for (let x = Math.max(0, Math.floor(cx - rx - 2)); x < Math.min(w, cx + rx + 2); x++) {
      const dx = x - cx;
      const dy = y - cy;
      const a = (dx * cr + dy * sr) / rx;
      const b = (-dx * sr + dy * cr) / ry;
      const d = a * a + b * b;
      if (d > 1) continue;
      const shade = 0.75 + 0.25 * (1 - d) - 0.1 * b;
      const o = (y * w + x) * 4;
      for (let k = 0; k < 3; k++) out[o + k] = (skin[k] ?? 180) * shade;
    }
  }
}

/** Moiré: two fine gratings a little apart in frequency beat into broad bands, with colour fringes. */
function paintMoire(out: Uint8ClampedArray, w: number, h: number, amplitude: number, random: () => number): void {
  const f1 = 0.45 + random() * 0.1;
  const f2 = f1 + 0.01 + random() * 0.03;
  const a1 = random() * Math.PI;
  const a2 = a1 + 0.05 + random() * 0.2;
  const [c1, s1, c2, s2] = [Math.cos(a1), Math.sin(a1), Math.cos(a2), Math.sin(a2)];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const g = Math.sin(Math.PI * f1 * (x * c1 + y * s1)) * Math.sin(Math.PI * f2 * (x * c2 + y * s2));
      const o = (y * w + x) * 4;
      for (let k = 0; k < 3; k++) out[o + k] = (out[o + k] ?? 0) + amplitude * g * (1 + 0.3 * (k - 1));
    }
  }
}
