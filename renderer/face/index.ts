/** The face engine's public surface (renderer side). Node adapters live in scripts/face/. */
export { FaceConfig, FaceDetectionConfig, FaceMatchConfig, LivenessConfig, PhotoSpecConfig, RecognizerId, calibratedThresholds, defaultFaceConfig } from '../../core/contract/face-config.js';
export { FaceEngine, rejectionMessage, type AnalyseOptions, type FaceAnalysis, type FaceLocation, type FaceReference, type FaceVerification } from './face-engine.js';
export { cosineDistance, decide, descriptorDistance, euclideanDistance, matchResult, type DistanceMetric, type FaceDecision, type FaceMatchResult, type FaceTimings } from './face-match.js';
export { alignFace, fivePoints, type AlignmentSpec } from './align.js';
export { frameQuality, type FrameQuality } from './frame-quality.js';
export { RECOGNIZERS, recognizerLabel, type FaceRecognizer, type LandmarkerInfo, type RecognizerInfo } from './recognizer.js';
export { createOnnxLandmarker, type FaceLandmarker } from './onnx-landmarker.js';
export { selectSingleFace, type DetectedFace, type DetectionRejection, type ImageKind } from './face-rules.js';
export { alignedRecognizerPort, faceApiPort, modelFilesFor, modelVersionOf, type FaceApiModule, type FaceDescription, type FaceModelPort } from './face-api-port.js';
export { assertLocalUrl, createBrowserFaceEngine, grabFrame, type BrowserBackend, type BrowserFaceEngine, type BrowserFaceEngineOptions } from './browser-face-engine.js';
export { startLiveness, stepLiveness, type LivenessPhase, type LivenessState } from './liveness.js';
export { headPose, meanEyeAspectRatio, type HeadPose } from './landmarks.js';
export type { Box, Point, RgbaImage } from './rgba.js';
