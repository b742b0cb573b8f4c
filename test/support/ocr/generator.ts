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
}

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
  perturb?: 'none' | 'mild' | 'strong';
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
      });
    }
    return page;
  }

  /** Flat card image as drawn (TEMPLATE_WIDTH × TEMPLATE_HEIGHT times `flatScale`). */
  async renderFlat(identity: SyntheticIdentity, side: 'front' | 'back', styleSeed: number, serifValues: boolean): Promise<RgbaImage> {
    const page = await this.page();
    const req: RenderRequest = { side, identity, style: { seed: styleSeed, serifValues }, scale: this.options.flatScale ?? 1 };
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

  private perturbation(level: 'none' | 'mild' | 'strong'): Perturbation {
    const r = this.random;
    if (level === 'none') return { rotation: 0, perspective: 0, cardScale: 1, lighting: 0, blur: 0, noise: 0, jpegQuality: 92 };
    const strong = level === 'strong';
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
      const spot = glare * Math.exp(-(gx * gx + gy * gy) / 0.02);
      for (let c = 0; c < 3; c++) {
        const d = card.data;
        const val =
          ((d[i + c] ?? 0) * (1 - fu) + (d[i + 4 + c] ?? 0) * fu) * (1 - fv) +
          ((d[i + card.width * 4 + c] ?? 0) * (1 - fu) + (d[i + card.width * 4 + 4 + c] ?? 0) * fu) * fv;
        out[o + c] = val * light + spot;
      }
    }
  }
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
