import type { FaceConfig } from '../../../core/contract/face-config.js';
import { createBrowserFaceEngine, type BrowserFaceEngine } from '../../face/browser-face-engine.js';

/**
 * One face engine per window, loaded on first use (models are ~12 MB; most of the day the window never
 * needs them reloaded). Models and WASM come from the app's own files (see scripts/build.mjs).
 *
 * The match thresholds are read again on every use: a province bundle adopted between candidates may set
 * others (core/rules/apply.ts effectiveFaceConfig), and they apply to the next check on the same loaded models.
 * Which recognizer and detectors run is fixed at load (the station's config; changing it means a restart).
 */
export function faceEngineLoader(config: () => FaceConfig, create: typeof createBrowserFaceEngine = createBrowserFaceEngine): () => Promise<BrowserFaceEngine> {
  let loading: Promise<BrowserFaceEngine> | undefined;
  let current: BrowserFaceEngine | undefined;
  return async () => {
    if (!loading) {
      loading = create({ config: config(), modelBaseUrl: '/models/face/', wasmBaseUrl: '/models/face/wasm/' });
      // A failed load (e.g. files missing) is retried on the next use rather than cached.
      loading.catch(() => (loading = undefined));
    }
    const loaded = await loading;
    current ??= loaded;
    const match = config().match;
    const running = current.engine.config.match;
    if (match.recognizer === running.recognizer && !sameMatch(match, running)) current = { ...current, engine: current.engine.withMatch(match) };
    return current;
  };
}

function sameMatch(a: FaceConfig['match'], b: FaceConfig['match']): boolean {
  return a.recognizer === b.recognizer && a.threshold === b.threshold && a.reviewBand.lower === b.reviewBand.lower && a.reviewBand.upper === b.reviewBand.upper && a.frames === b.frames;
}
