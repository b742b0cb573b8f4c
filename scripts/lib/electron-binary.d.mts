/** Types for electron-binary.mjs (plain JS so `npm start` can import it without a TypeScript loader). */
export declare function findElectronBinary(env?: NodeJS.ProcessEnv): { binary: string } | { why: string };
