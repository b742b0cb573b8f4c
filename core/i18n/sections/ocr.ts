/** User-facing text for the ocr feature; part of the one catalogue as `zhCN.ocr` (see ../zh-CN.ts). */
export const ocrText = {} as const;
