import { FaceError } from '../../core/errors/face-error.js';
import { openOrtSession, type OrtModule } from './onnx-recognizer.js';
import type { LandmarkerInfo } from './recognizer.js';
import { resampleRegion, type Box, type Point, type RgbaImage } from './rgba.js';

/** A landmark net for alignment: the detector's box in, 68 points in the picture's pixels out. */
export interface FaceLandmarker {
  readonly info: LandmarkerInfo;
  locate(image: RgbaImage, box: Box): Promise<Point[]>;
}

/**
 * One ORT session (WASM, single-threaded like the recognizer's) for a box-crop landmark net such as Faceplugin's
 * fr_landmark.onnx: the box rounded to whole pixels as the SDK does, resampled to size², greyscale.
 */
export async function createOnnxLandmarker(ort: OrtModule, info: LandmarkerInfo, model: Uint8Array): Promise<FaceLandmarker> {
  const { session, input, output } = await openOrtSession(ort, info.id, model);
  const { size, luma } = info;
  let queue: Promise<unknown> = Promise.resolve();
  return {
    info,
    locate(image, box) {
      const run = queue.then(async () => {
        const x = Math.round(box.x);
        const y = Math.round(box.y);
        const width = Math.max(1, Math.round(box.width));
        const height = Math.max(1, Math.round(box.height));
        const crop = resampleRegion(image, { x, y, width, height }, size, size);
        const grey = new Float32Array(size * size);
        for (let i = 0; i < grey.length; i++) grey[i] = (luma[0] * crop.data[i * 4]! + luma[1] * crop.data[i * 4 + 1]! + luma[2] * crop.data[i * 4 + 2]!) / 256;
        const tensor = new ort.Tensor('float32', grey, [1, 1, size, size]);
        try {
          const result = await session.run({ [input]: tensor });
          const out = result[output];
          if (!out || !(out.data instanceof Float32Array) || out.data.length < 136) throw new FaceError('model-load', `${info.id} returned no landmarks`);
          const d = out.data;
          const points: Point[] = [];
          for (let i = 0; i < 68; i++) points.push({ x: d[2 * i]! * width + x, y: d[2 * i + 1]! * height + y });
          out.dispose();
          return points;
        } finally {
          tensor.dispose();
        }
      });
      queue = run.catch(() => undefined);
      return run;
    },
  };
}
