import { createStore, type StoreApi } from 'zustand/vanilla';
import { DeviceError, toStationError } from '../../../core/errors/station-error.js';
import { zhCN } from '../../../core/i18n/zh-CN.js';
import { listCameras, openCamera, type CameraDevice } from '../../camera/camera-service.js';
import { grabFrame } from '../../face/browser-face-engine.js';
import type { RgbaImage } from '../../face/rgba.js';

/** The staff window's camera: one stream shared by the face check and the standard photo. */
export interface CameraState {
  status: 'off' | 'starting' | 'on' | 'failed';
  message: string | undefined;
  devices: CameraDevice[];
  deviceId: string | undefined;
  stream: MediaStream | undefined;
  start(deviceId?: string): Promise<void>;
  stop(): void;
  /** The <video> showing the stream (registered by the preview component). */
  attach(video: HTMLVideoElement | null): void;
  /** The current frame as RGBA. */
  grab(): RgbaImage;
  /** Frames spaced a little apart (so "best of N" sees N different moments). */
  frames(intervalMs?: number): AsyncIterable<RgbaImage>;
  /** Resolves once the preview shows a picture (a just-opened camera needs a moment). */
  whenShowing(timeoutMs?: number): Promise<void>;
}

export function createCameraStore(deps: { media: Pick<MediaDevices, 'getUserMedia' | 'enumerateDevices'> | undefined }): StoreApi<CameraState> {
  let video: HTMLVideoElement | null = null;
  const canvas = typeof OffscreenCanvas === 'undefined' ? undefined : new OffscreenCanvas(1, 1);

  return createStore<CameraState>()((set, get) => ({
    status: 'off',
    message: undefined,
    devices: [],
    deviceId: undefined,
    stream: undefined,

    async start(deviceId) {
      const media = deps.media;
      if (!media) {
        set({ status: 'failed', message: toStationError(new Error('no mediaDevices')).userMessage });
        return;
      }
      if (get().status === 'starting') return;
      get().stream?.getTracks().forEach((track) => track.stop());
      set({ status: 'starting', message: undefined });
      try {
        const stream = await openCamera(media, deviceId ?? get().deviceId);
        const devices = await listCameras(media);
        const active = stream.getVideoTracks()[0]?.getSettings().deviceId;
        set({ status: 'on', stream, devices, deviceId: active ?? deviceId });
      } catch (error) {
        set({ status: 'failed', message: toStationError(error).userMessage, stream: undefined });
      }
    },

    stop() {
      get().stream?.getTracks().forEach((track) => track.stop());
      set({ status: 'off', stream: undefined });
    },

    attach(element) {
      video = element;
    },

    grab() {
      if (!video || !canvas) throw toStationError(new Error('camera preview not shown'));
      return grabFrame(video, canvas);
    },

    async whenShowing(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      // HAVE_CURRENT_DATA: the element has a frame to draw.
      while (!video || video.readyState < 2 || video.videoWidth === 0) {
        if (Date.now() > deadline) throw new DeviceError('camera shows no picture', zhCN.face.camera.failed);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },

    async *frames(intervalMs = 200) {
      await get().whenShowing();
      for (;;) {
        yield get().grab();
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
      }
    },
  }));
}
