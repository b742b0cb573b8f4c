import { open } from 'node:fs/promises';
import type { RgbaImage } from '../../../renderer/face/rgba.js';
import { readImage } from '../../../scripts/face/decode-image.js';
import { toCameraFrame } from '../../../scripts/face/camera-frame.js';

/**
 * Y4M (YUV4MPEG2, 4:2:0) for Chromium's fake camera: `--use-fake-device-for-media-stream
 * --use-file-for-fake-video-capture=<file>.y4m`. Chromium loops the file. Written directly from RGB (BT.601,
 * studio range, as Chromium's I420 path expects), so no ffmpeg is needed. Write it to a temp folder: a fixture
 * turned into video is still a fixture (never commit, ship or show it).
 */
export function y4mHeader(width: number, height: number, fps: number): string {
  return `YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`;
}

/** One frame's planes: Y (w×h), then U and V (w/2 × h/2, each the mean of a 2×2 block). */
export function rgbaToI420(image: RgbaImage): Uint8Array {
  const { width: w, height: h, data } = image;
  if (w % 2 !== 0 || h % 2 !== 0) throw new RangeError('4:2:0 needs even width and height');
  const out = new Uint8Array(w * h * 1.5);
  const cw = w / 2;
  const uOff = w * h;
  const vOff = uOff + cw * (h / 2);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      const r = data[i] ?? 0;
      const g = data[i + 1] ?? 0;
      const b = data[i + 2] ?? 0;
      out[y * w + x] = Math.round(16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255);
    }
  }
  for (let y = 0; y < h / 2; y++) {
    for (let x = 0; x < cw; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
        const i = ((2 * y + dy) * w + 2 * x + dx) * 4;
        r += (data[i] ?? 0) / 4;
        g += (data[i + 1] ?? 0) / 4;
        b += (data[i + 2] ?? 0) / 4;
      }
      out[uOff + y * cw + x] = Math.round(128 + (-37.797 * r - 74.203 * g + 112 * b) / 255);
      out[vOff + y * cw + x] = Math.round(128 + (112 * r - 93.786 * g - 18.214 * b) / 255);
    }
  }
  return out;
}

/** Writes frames in order, each repeated `repeat` times (a still picture needs only a second or so of video). */
export async function writeY4m(file: string, frames: readonly RgbaImage[], options: { fps?: number; repeat?: number } = {}): Promise<void> {
  const first = frames[0];
  if (!first) throw new RangeError('no frames');
  if (frames.some((f) => f.width !== first.width || f.height !== first.height)) throw new RangeError('frames differ in size');
  const fps = options.fps ?? 15;
  const handle = await open(file, 'w');
  try {
    await handle.write(y4mHeader(first.width, first.height, fps));
    for (const frame of frames) {
      const planes = rgbaToI420(frame);
      for (let k = 0; k < (options.repeat ?? 1); k++) {
        await handle.write('FRAME\n');
        await handle.write(planes);
      }
    }
  } finally {
    await handle.close();
  }
}

/**
 * A fixture picture (JPEG/PNG) as a fake-camera file: placed in a width×height frame (default 640×480) as a
 * webcam would see a candidate, `seconds` long at 15 fps.
 */
export async function imageToY4m(imageFile: string, outFile: string, options: { width?: number; height?: number; seconds?: number } = {}): Promise<void> {
  const frame = toCameraFrame(await readImage(imageFile), options.width ?? 640, options.height ?? 480);
  await writeY4m(outFile, [frame], { fps: 15, repeat: Math.max(1, Math.round((options.seconds ?? 1) * 15)) });
}
