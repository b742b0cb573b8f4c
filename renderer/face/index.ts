/** The face engine's public surface (renderer side). Node adapters live in scripts/face/. */
export { FaceConfig, FaceDetectionConfig, FaceMatchConfig, LivenessConfig, PhotoSpecConfig, defaultFaceConfig } from '../../core/contract/face-config.js';
export { FaceEngine, rejectionMessage, type AnalyseOptions, type FaceAnalysis, type FaceVerification } from './face-engine.js';
export { decide, euclideanDistance, matchResult, type FaceDecision, type FaceMatchResult, type FaceTimings } from './face-match.js';
export { selectSingleFace, type DetectedFace, type DetectionRejection, type ImageKind } from './face-rules.js';
export { faceApiPort, modelFilesFor, modelVersionOf, type FaceApiModule, type FaceModelPort } from './face-api-port.js';
export { assertLocalUrl, createBrowserFaceEngine, grabFrame, type BrowserBackend, type BrowserFaceEngine, type BrowserFaceEngineOptions } from './browser-face-engine.js';
export { startLiveness, stepLiveness, type LivenessPhase, type LivenessState } from './liveness.js';
export { headPose, meanEyeAspectRatio, type HeadPose } from './landmarks.js';
export type { Box, Point, RgbaImage } from './rgba.js';
