/** Types for swap-dir.mjs (plain JS so the build can import it without a TypeScript loader). */
export declare function swapDir(built: string, target: string): Promise<void>;
