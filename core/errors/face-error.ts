import { zhCN } from '../i18n/zh-CN.js';
import { StationError, type ErrorCode } from './station-error.js';

/**
 * Why the face engine could not produce a result. Detection reasons describe the picture (the candidate can fix
 * them); engine reasons describe the installation (staff cannot).
 */
export const faceErrorReasons = [
  'no-face',
  'multiple-faces',
  'not-frontal',
  'too-small',
  'image-invalid',
  'model-load',
  'backend-unavailable',
  'not-ready',
  'photo-too-large',
] as const;
export type FaceErrorReason = (typeof faceErrorReasons)[number];

/** Picture problems are input that does not meet requirements (VALIDATION); missing models are FILE_INVALID. */
const codeOf: Record<FaceErrorReason, ErrorCode> = {
  'no-face': 'VALIDATION',
  'multiple-faces': 'VALIDATION',
  'not-frontal': 'VALIDATION',
  'too-small': 'VALIDATION',
  'image-invalid': 'VALIDATION',
  'photo-too-large': 'VALIDATION',
  'model-load': 'FILE_INVALID',
  'backend-unavailable': 'INTERNAL',
  'not-ready': 'INVALID_STATE',
};

const messageOf: Record<FaceErrorReason, string> = {
  'no-face': zhCN.face.detection.noFace,
  'multiple-faces': zhCN.face.detection.multipleFaces,
  'not-frontal': zhCN.face.detection.notFrontal,
  'too-small': zhCN.face.detection.tooSmall,
  'image-invalid': zhCN.face.engine.imageInvalid,
  'photo-too-large': zhCN.face.photo.checks.tooLarge,
  'model-load': zhCN.face.engine.modelLoadFailed,
  'backend-unavailable': zhCN.face.engine.backendUnavailable,
  'not-ready': zhCN.face.engine.notReady,
};

export class FaceError extends StationError {
  override readonly reason: FaceErrorReason;

  /** `detail` is for developers: sizes, counts, file names of models; never a person's data. */
  constructor(reason: FaceErrorReason, detail: string, options?: { cause?: unknown }) {
    super(codeOf[reason], messageOf[reason], `${reason}: ${detail}`, options);
    this.reason = reason;
  }
}
