import { zhCN } from '../../core/i18n/zh-CN.js';

/** What the simulated camera films: the candidate (their roster face), another person, or nobody. */
export type CameraScene = 'candidate' | 'stranger' | 'empty';

export const SIMULATED_CAMERA_ID = 'simulated-camera';

export interface SimulatedCameraOptions {
  /** Whether the station runs simulators (training, demos, tests); the device is offered only then. */
  enabled: () => boolean;
  /** The address of the face to film now (a demo face shipped in demo-faces/), or undefined for an empty desk. */
  picture: () => string | undefined;
  /** Loads a picture once; the painter keeps it. */
  load: (url: string) => Promise<ImageBitmap>;
}

type Media = Pick<MediaDevices, 'getUserMedia' | 'enumerateDevices'>;

const WIDTH = 1280;
const HEIGHT = 720;
const FPS = 15;

/**
 * MediaDevices with one more camera while simulators run: a canvas stream showing a synthetic person in front of
 * a plain backdrop, moving slightly as a seated candidate does. The face check, the standard photo and the
 * preview take it exactly as they take a real camera; only the picture source differs.
 */
export function withSimulatedCamera(real: Media | undefined, options: SimulatedCameraOptions): Media | undefined {
  if (!real && typeof document === 'undefined') return undefined;
  return {
    async enumerateDevices() {
      const devices = real ? await real.enumerateDevices().catch(() => []) : [];
      if (!options.enabled()) return devices;
      const simulated = { deviceId: SIMULATED_CAMERA_ID, kind: 'videoinput', label: zhCN.face.camera.simulated, groupId: 'simulated' } as MediaDeviceInfo;
      return [simulated, ...devices];
    },
    async getUserMedia(constraints) {
      const wanted = requestedDevice(constraints);
      if (options.enabled() && wanted === SIMULATED_CAMERA_ID) return simulatedStream(options);
      // With simulators on and no camera attached, the simulated one is the default (a training desk, a demo).
      if (options.enabled() && wanted === undefined && !(await hasRealCamera(real))) return simulatedStream(options);
      if (!real) throw new DOMException('no camera', 'NotFoundError');
      return real.getUserMedia(constraints);
    },
  };
}

async function hasRealCamera(real: Media | undefined): Promise<boolean> {
  if (!real) return false;
  const devices = await real.enumerateDevices().catch(() => []);
  return devices.some((device) => device.kind === 'videoinput');
}

function requestedDevice(constraints: MediaStreamConstraints | undefined): string | undefined {
  const video = constraints?.video;
  if (typeof video !== 'object' || video === null) return undefined;
  const id = video.deviceId;
  if (typeof id === 'string') return id;
  if (typeof id === 'object' && id !== null && !Array.isArray(id)) {
    const exact = (id as ConstrainDOMStringParameters).exact;
    return typeof exact === 'string' ? exact : undefined;
  }
  return undefined;
}

function simulatedStream(options: SimulatedCameraOptions): MediaStream {
  const canvas = document.createElement('canvas');
  canvas.width = WIDTH;
  canvas.height = HEIGHT;
  const context = canvas.getContext('2d');
  if (!context) throw new DOMException('no 2d context', 'NotReadableError');
  const stream = canvas.captureStream(FPS);
  const faces = new Map<string, ImageBitmap | undefined>();
  let frame = 0;
  const draw = () => {
    const url = options.picture();
    if (url !== undefined && !faces.has(url)) {
      faces.set(url, undefined);
      options.load(url).then(
        (bitmap) => faces.set(url, bitmap),
        () => faces.delete(url),
      );
    }
    drawScene(context, url === undefined ? undefined : faces.get(url), frame++);
  };
  draw();
  const timer = setInterval(draw, 1000 / FPS);
  for (const track of stream.getVideoTracks()) track.addEventListener('ended', () => clearInterval(timer));
  // MediaStreamTrack.stop() does not fire 'ended' on the stopping side: stop the painter with the track.
  const [track] = stream.getVideoTracks();
  if (track) {
    const stop = track.stop.bind(track);
    track.stop = () => {
      clearInterval(timer);
      stop();
    };
  }
  return stream;
}

/** A plain light backdrop, and the face inside a soft oval as a head-and-shoulders portrait, swaying a little. */
export function drawScene(context: CanvasRenderingContext2D, face: ImageBitmap | undefined, frame: number): void {
  const backdrop = context.createLinearGradient(0, 0, 0, HEIGHT);
  backdrop.addColorStop(0, '#eef2f6');
  backdrop.addColorStop(1, '#dfe6ee');
  context.fillStyle = backdrop;
  context.fillRect(0, 0, WIDTH, HEIGHT);
  if (!face) return;
  const sway = Math.sin(frame / 9) * 4;
  const size = 330;
  const cx = WIDTH / 2 + sway;
  const cy = HEIGHT / 2 - 20 + Math.cos(frame / 11) * 2;
  // Shoulders: a dark jacket below the head, so the frame reads as a person, not a floating face.
  context.fillStyle = '#2f3b4c';
  context.beginPath();
  context.ellipse(cx, cy + size * 0.95, size * 0.75, size * 0.45, 0, Math.PI, 0);
  context.fill();
  context.save();
  context.beginPath();
  context.ellipse(cx, cy, size * 0.36, size * 0.47, 0, 0, Math.PI * 2);
  context.clip();
  context.drawImage(face, cx - size / 2, cy - size / 2, size, size);
  context.restore();
}
