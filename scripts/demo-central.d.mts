/** Types for demo-central.mjs (plain JS so `npm start` can import it without a TypeScript loader). */
export declare const DEMO_RULES_FILE: string;
export declare function withDemoFaces<T extends { entries: { citizenId: string; photo?: string }[] }>(root: string, sample: T): T;
