/**
 * Runs inside Chromium (bundled by face-chromium.ts with esbuild): loads the face engine through the app's own
 * createBrowserFaceEngine (one backend only, so a failure is reported rather than hidden by the fallback), then
 * times FaceEngine.analyse (detect + landmarks + align + descriptor) on one 640×480 RGBA frame served by the bench.
 */
import { FaceConfig } from '../../core/contract/face-config.js';
import { createBrowserFaceEngine, type BrowserBackend, type BrowserFaceEngine } from '../../renderer/face/browser-face-engine.js';

export interface FaceBenchParams {
  backend: BrowserBackend;
  detector: FaceConfig['detection']['detector'];
  recognizer: FaceConfig['match']['recognizer'];
  frames: number;
  frameWidth: number;
  frameHeight: number;
  /** Same-origin URLs, as the app uses them. */
  modelBaseUrl: string;
  wasmBaseUrl: string;
  frameUrl: string;
}

export interface FaceBenchSuccess {
  ok: true;
  /** The backend tfjs reports after loading (what the engine really runs on). */
  backend: string;
  /** createBrowserFaceEngine's own figure: module + backend start + weights. */
  modelLoadMs: number;
  /** Start of createBrowserFaceEngine → first weights manifest request (backend start: WASM compile / WebGL context). */
  backendStartMs: number;
  /** First weights manifest request → engine ready (fetch + parse + upload of the weights). */
  weightsMs: number;
  /** The first analyse (WebGL compiles its shaders here; WASM warms its kernels). */
  firstFrameMs: number;
  detectMs: number[];
  descriptorMs: number[];
  totalMs: number[];
  faceWidthPx: number;
}

export interface FaceBenchFailure {
  ok: false;
  error: string;
}

export interface FaceBenchEnvironment {
  userAgent: string;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  /** WebGL renderer string (UNMASKED when available), or why no context could be created. */
  webgl: string;
}

const errorText = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (cause: ${error.cause.message})` : '';
  return `${error.message}${cause}`;
};

function describeWebgl(): string {
  const canvas = document.createElement('canvas');
  for (const kind of ['webgl2', 'webgl'] as const) {
    const gl: WebGLRenderingContext | WebGL2RenderingContext | null = kind === 'webgl2' ? canvas.getContext('webgl2') : canvas.getContext('webgl');
    if (!gl) continue;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
    return `${kind}: ${String(renderer)}`;
  }
  return 'no WebGL context (getContext returned null)';
}

function environment(): FaceBenchEnvironment {
  return { userAgent: navigator.userAgent, crossOriginIsolated: globalThis.crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency, webgl: describeWebgl() };
}

async function runFaceBench(params: FaceBenchParams): Promise<FaceBenchSuccess | FaceBenchFailure> {
  const response = await fetch(params.frameUrl);
  if (!response.ok) return { ok: false, error: `frame: HTTP ${response.status}` };
  const frame = { width: params.frameWidth, height: params.frameHeight, data: new Uint8ClampedArray(await response.arrayBuffer()) };

  // Splits the engine's load time without touching its code: tfjs fetches the weights through the global fetch.
  let firstManifestAt: number | undefined;
  const pageFetch = globalThis.fetch.bind(globalThis);
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (firstManifestAt === undefined && url.endsWith('-weights_manifest.json')) firstManifestAt = performance.now();
    return pageFetch(input, init);
  };

  const config = FaceConfig.parse({ detection: { detector: params.detector }, match: { recognizer: params.recognizer } });
  const started = performance.now();
  let loaded: BrowserFaceEngine;
  try {
    loaded = await createBrowserFaceEngine({ config, modelBaseUrl: params.modelBaseUrl, wasmBaseUrl: params.wasmBaseUrl, backends: [params.backend] });
  } catch (error) {
    return { ok: false, error: errorText(error) };
  } finally {
    globalThis.fetch = pageFetch;
  }
  const ready = performance.now();
  const split = firstManifestAt ?? ready;
  const { engine } = loaded;

  const t0 = performance.now();
  const warm = await engine.analyse(frame, 'live');
  const firstFrameMs = performance.now() - t0;
  if (!warm.ok) return { ok: false, error: `warm-up frame: ${warm.reason} (${warm.faceCount} faces)` };

  const detectMs: number[] = [];
  const descriptorMs: number[] = [];
  const totalMs: number[] = [];
  for (let i = 0; i < params.frames; i++) {
    const a = await engine.analyse(frame, 'live');
    if (!a.ok) return { ok: false, error: `frame ${i}: ${a.reason}` };
    detectMs.push(a.timings.detectMs);
    descriptorMs.push(a.timings.descriptorMs);
    totalMs.push(a.timings.totalMs);
  }
  return {
    ok: true,
    backend: engine.backend,
    modelLoadMs: loaded.modelLoadMs,
    backendStartMs: split - started,
    weightsMs: ready - split,
    firstFrameMs,
    detectMs,
    descriptorMs,
    totalMs,
    faceWidthPx: Math.round(warm.face.box.width),
  };
}

const exposed = globalThis as unknown as { runFaceBench: typeof runFaceBench; faceBenchEnvironment: typeof environment };
exposed.runFaceBench = runFaceBench;
exposed.faceBenchEnvironment = environment;
