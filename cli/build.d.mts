/** Types for build.mjs, so TypeScript tests can import it. */
export declare const ROOT: string;
export declare const DIST: string;
export declare const STAMP: string;
export declare const CLI_ENTRY: string;
export declare function isFresh(stampFile?: string, root?: string): boolean;
export declare function buildCli(): Promise<{ ms: number; files: number }>;
