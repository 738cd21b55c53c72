/** Types for build.mjs, so TypeScript tests can import it. */
export declare const GZIP_BUDGET_BYTES: number;
export declare const OUTFILE: string;
export declare function buildWidget(): Promise<{ bytes: number; gzipBytes: number; outfile: string }>;
