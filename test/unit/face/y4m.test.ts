import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRgba } from '../../../renderer/face/rgba.js';
import { rgbaToI420, writeY4m, y4mHeader } from '../../support/face/y4m.js';

describe('Y4M writer for the fake camera', () => {
  it('maps white, black and pure colours to BT.601 studio-range YUV', () => {
    expect(Array.from(rgbaToI420(createRgba(2, 2, [255, 255, 255])))).toEqual([235, 235, 235, 235, 128, 128]);
    expect(Array.from(rgbaToI420(createRgba(2, 2, [0, 0, 0])))).toEqual([16, 16, 16, 16, 128, 128]);
    const red = rgbaToI420(createRgba(2, 2, [255, 0, 0]));
    expect([red[0], red[4], red[5]]).toEqual([81, 90, 240]);
  });

  it('writes header and repeated frames', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'y4m-'));
    try {
      const file = path.join(dir, 'cam.y4m');
      await writeY4m(file, [createRgba(4, 2, [10, 20, 30])], { repeat: 3, fps: 15 });
      const bytes = await readFile(file);
      const header = y4mHeader(4, 2, 15);
      expect(bytes.subarray(0, header.length).toString('latin1')).toBe(header);
      expect(bytes.length).toBe(header.length + 3 * ('FRAME\n'.length + 4 * 2 * 1.5));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses odd sizes', () => {
    expect(() => rgbaToI420(createRgba(3, 2))).toThrow(RangeError);
  });
});
