import { FaceError } from '../../core/errors/face-error.js';
import { detectorsOf, type FaceConfig } from '../../core/contract/face-config.js';
import { alignedRecognizerPort, faceApiPort, netsFor, tfRuntime, type FaceApiModule, type FaceModelPort } from './face-api-port.js';
import { FaceEngine } from './face-engine.js';
import { createOnnxNets, onnxWeightFiles } from './onnx-recognizer.js';
import { onnxTf } from './tfjs-onnx-net.js';
import { RECOGNIZERS, type RecognizerInfo } from './recognizer.js';

export type BrowserBackend = 'webgl' | 'wasm';

export interface BrowserFaceEngineOptions {
  readonly config: FaceConfig;
  /** Folder URL of the weight files (e.g. './models/face/'), served by the app itself. */
  readonly modelBaseUrl: string;
  /** Folder URL of tfjs-backend-wasm's *.wasm files (e.g. './models/face/wasm/'). */
  readonly wasmBaseUrl: string;
  /** Backends to try in order; WebGL is several times faster where the GPU driver allows it. */
  readonly backends?: readonly BrowserBackend[];
  /** The page's own URL, to resolve relative URLs and to refuse remote ones (defaults to location.href). */
  readonly pageUrl?: string;
  /** Injected for tests; defaults to importing the bundled face-api ESM build. */
  readonly loadModule?: () => Promise<FaceApiModule>;
}

/**
 * Model and WASM URLs must point at the app itself (same origin, app://, file:, or a loopback host): weights
 * are part of the installation, and a remote URL would make every check depend on, and leak to, a third party.
 */
export function assertLocalUrl(url: string, pageUrl: string): string {
  let resolved: URL;
  try {
    resolved = new URL(url, pageUrl);
  } catch (cause) {
    throw new FaceError('model-load', 'model URL does not parse', { cause });
  }
  const page = new URL(pageUrl);
  const loopback = resolved.hostname === '127.0.0.1' || resolved.hostname === 'localhost' || resolved.hostname === '[::1]';
  const local =
    resolved.origin === page.origin || resolved.protocol === 'app:' || resolved.protocol === 'file:' || ((resolved.protocol === 'http:' || resolved.protocol === 'https:') && loopback);
  if (!local) throw new FaceError('model-load', `refusing non-local model URL (${resolved.protocol}//${resolved.hostname})`);
  const href = resolved.href;
  return href.endsWith('/') ? href : `${href}/`;
}

export interface BrowserFaceEngine {
  readonly engine: FaceEngine;
  readonly backend: BrowserBackend;
  readonly modelLoadMs: number;
  /** Start → first weights request (module import, backend start), and the rest (weights, recognizer session). */
  readonly backendStartMs: number;
}

/**
 * Loads face-api in the renderer: WebGL first, WASM as the fallback (software rendering, blocked GPU), weights
 * from the app's own files. Call once per window and keep the engine; loading takes ~0.2–1 s.
 */
export async function createBrowserFaceEngine(options: BrowserFaceEngineOptions): Promise<BrowserFaceEngine> {
  const pageUrl = options.pageUrl ?? globalThis.location.href;
  const modelBase = assertLocalUrl(options.modelBaseUrl, pageUrl);
  const wasmBase = assertLocalUrl(options.wasmBaseUrl, pageUrl);
  const recognizer = options.config.match.recognizer;
  const started = performance.now();
  // An ONNX recognizer's weights download while face-api's module and backend start; they run on the same tfjs.
  const onnx = recognizer === 'faceapi-dlib' ? undefined : RECOGNIZERS[recognizer];
  const onnxWeights = onnx ? fetchOnnxWeights(onnx, modelBase) : undefined;
  onnxWeights?.catch(() => undefined);
  const faceapi = await (options.loadModule ?? (() => import('@vladmandic/face-api') as Promise<FaceApiModule>))();
  const tf = tfRuntime(faceapi);
  // Must precede the first use of the WASM backend; tfjs would otherwise fetch the binaries from a CDN path.
  tf.setWasmPaths?.(wasmBase);
  let backend: BrowserBackend | undefined;
  // Measured (npm run bench:face): WebGL on a software rasteriser (SwiftShader, llvmpipe: no usable GPU) runs an
  // SSD frame in 3–7 s against ~0.3 s for WASM, so by default it is tried only on real graphics hardware.
  const defaults: BrowserBackend[] = softwareWebgl() ? ['wasm'] : ['webgl', 'wasm'];
  for (const candidate of options.backends ?? defaults) {
    try {
      if (await tf.setBackend(candidate)) {
        await tf.ready();
        backend = candidate;
        break;
      }
    } catch {
      // Try the next backend: a missing WebGL context or a blocked WASM compile only means "not here".
    }
  }
  if (!backend) throw new FaceError('backend-unavailable', `none of ${(options.backends ?? ['webgl', 'wasm']).join(', ')} initialised`);
  const backendStartMs = performance.now() - started;
  const detector = detectorsOf(options.config.detection);
  try {
    // All at once: the fetches overlap, and tfjs parses each as it arrives.
    await Promise.all(netsFor(faceapi, detector, recognizer).map((net) => (net.isLoaded ? undefined : net.loadFromUri(modelBase))));
  } catch (cause) {
    throw new FaceError('model-load', 'cannot load face models', { cause });
  }
  const nets = onnx && onnxWeights ? createOnnxNets(onnxTf(faceapi), onnx, await onnxWeights) : undefined;
  const port: FaceModelPort = nets ? alignedRecognizerPort(faceapi, detector, nets.recognizer, nets.landmarker) : faceApiPort(faceapi, detector);
  const modelLoadMs = performance.now() - started;
  const engine = new FaceEngine(port, options.config, modelLoadMs);
  return { engine, backend, modelLoadMs, backendStartMs };
}

async function fetchOnnxWeights(info: RecognizerInfo, modelBase: string): Promise<{ net: Uint8Array; landmarks?: Uint8Array }> {
  const files = onnxWeightFiles(info);
  const [net, landmarks] = await Promise.all([fetchWeights(info.id, files.net, modelBase), files.landmarks ? fetchWeights(info.id, files.landmarks, modelBase) : undefined]);
  return landmarks ? { net, landmarks } : { net };
}

async function fetchWeights(id: string, file: string, modelBase: string): Promise<Uint8Array> {
  try {
    const response = await fetch(new URL(file, modelBase));
    if (!response.ok) throw new FaceError('model-load', `HTTP ${response.status} for the ${id} weights (${file})`);
    return new Uint8Array(await response.arrayBuffer());
  } catch (cause) {
    throw cause instanceof FaceError ? cause : new FaceError('model-load', `cannot fetch the ${id} weights (${file})`, { cause });
  }
}

/** Whether WebGL here is a software rasteriser (or absent), judged from the unmasked renderer name. */
export function softwareWebgl(): boolean {
  try {
    const canvas = typeof OffscreenCanvas === 'undefined' ? undefined : new OffscreenCanvas(1, 1);
    const gl = canvas?.getContext('webgl2') ?? canvas?.getContext('webgl');
    if (!gl) return true;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    return /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i.test(renderer);
  } catch {
    return true;
  }
}

/** One video frame as RGBA, through a canvas the caller keeps (no per-frame allocation of a canvas). */
export function grabFrame(video: HTMLVideoElement, canvas: HTMLCanvasElement | OffscreenCanvas): ImageData {
  const width = video.videoWidth;
  const height = video.videoHeight;
  if (width === 0 || height === 0) throw new FaceError('image-invalid', 'video has no frame yet');
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (!ctx) throw new FaceError('backend-unavailable', 'no 2D canvas context');
  ctx.drawImage(video, 0, 0, width, height);
  return ctx.getImageData(0, 0, width, height);
}
