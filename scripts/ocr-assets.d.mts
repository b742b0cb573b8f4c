/** Types for ocr-assets.mjs (plain JS so the build script can import it without a TypeScript loader). */
export declare const OCR_LANG_VARIANT: '4.0.0' | '4.0.0_best_int';
export declare const OCR_LANGS: string[];
export declare const PADDLE_FILES: [string, string][];
export declare function copyOcrAssets(outDir: string, options?: { browser?: boolean }): Promise<string[]>;
