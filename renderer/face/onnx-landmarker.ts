import { FaceError } from '../../core/errors/face-error.js';
import type { LandmarkerInfo } from './recognizer.js';
import { resampleRegion, type Box, type Point, type RgbaImage } from './rgba.js';
import type { NetRunner } from './tfjs-onnx-net.js';

/** A landmark net for alignment: the detector's box in, 68 points in the picture's pixels out. */
export interface FaceLandmarker {
  readonly info: LandmarkerInfo;
  locate(image: RgbaImage, box: Box): Promise<Point[]>;
}

/**
 * A box-crop landmark net such as Faceplugin's fr_landmark.onnx (run by `net`): the box rounded to whole pixels
 * as the SDK does, resampled to size², greyscale.
 */
export function createOnnxLandmarker(net: NetRunner, info: LandmarkerInfo): FaceLandmarker {
  const { size, luma } = info;
  return {
    info,
    async locate(image, box) {
      const x = Math.round(box.x);
      const y = Math.round(box.y);
      const width = Math.max(1, Math.round(box.width));
      const height = Math.max(1, Math.round(box.height));
      const crop = resampleRegion(image, { x, y, width, height }, size, size);
      const grey = new Float32Array(size * size);
      for (let i = 0; i < grey.length; i++) grey[i] = (luma[0] * crop.data[i * 4]! + luma[1] * crop.data[i * 4 + 1]! + luma[2] * crop.data[i * 4 + 2]!) / 256;
      const d = await net.run(grey, [1, 1, size, size]);
      if (d.length < 136) throw new FaceError('model-load', `${info.id} returned no landmarks`);
      const points: Point[] = [];
      for (let i = 0; i < 68; i++) points.push({ x: d[2 * i]! * width + x, y: d[2 * i + 1]! * height + y });
      return points;
    },
  };
}
