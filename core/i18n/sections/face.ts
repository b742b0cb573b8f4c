/** User-facing text for the face feature; part of the one catalogue as `zhCN.face` (see ../zh-CN.ts). */
export const faceText = {} as const;
