import { zhCN } from '../i18n/zh-CN.js';
import { StationError, type ErrorCode } from './station-error.js';

/**
 * Why ID card OCR produced no result. Image reasons describe the picture (staff can retake it); engine reasons
 * describe the installation (missing language data, worker failed to start).
 */
export const ocrErrorReasons = ['image-invalid', 'card-not-found', 'engine', 'output-invalid'] as const;
export type OcrErrorReason = (typeof ocrErrorReasons)[number];

const codeOf: Record<OcrErrorReason, ErrorCode> = {
  'image-invalid': 'VALIDATION',
  'card-not-found': 'VALIDATION',
  engine: 'FILE_INVALID',
  'output-invalid': 'INTERNAL',
};

const messageOf: Record<OcrErrorReason, string> = {
  'image-invalid': zhCN.ocr.errors.imageInvalid,
  'card-not-found': zhCN.ocr.errors.cardNotFound,
  engine: zhCN.ocr.errors.engine,
  'output-invalid': zhCN.ocr.errors.outputInvalid,
};

export class OcrError extends StationError {
  override readonly reason: OcrErrorReason;

  /** `detail` is for developers (sizes, stages); never recognised text, which is personal data. */
  constructor(reason: OcrErrorReason, detail: string, options?: { cause?: unknown }) {
    super(codeOf[reason], messageOf[reason], `${reason}: ${detail}`, options);
    this.reason = reason;
  }
}
