import type { FaceConfig } from '../../../core/contract/face-config.js';
import { createBrowserFaceEngine, type BrowserFaceEngine } from '../../face/browser-face-engine.js';

/**
 * One face engine per window, loaded on first use (models are ~12 MB; most of the day the window never
 * needs them reloaded). Models and WASM come from the app's own files (see scripts/build.mjs).
 */
export function faceEngineLoader(config: () => FaceConfig): () => Promise<BrowserFaceEngine> {
  let loading: Promise<BrowserFaceEngine> | undefined;
  return () => {
    loading ??= createBrowserFaceEngine({ config: config(), modelBaseUrl: '/models/face/', wasmBaseUrl: '/models/face/wasm/' });
    // A failed load (e.g. files missing) is retried on the next use rather than cached.
    loading.catch(() => (loading = undefined));
    return loading;
  };
}
