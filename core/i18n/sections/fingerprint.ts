/** User-facing text for the fingerprint feature; part of the one catalogue as `zhCN.fingerprint` (see ../zh-CN.ts). */
export const fingerprintText = {} as const;
