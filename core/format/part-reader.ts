/**
 * How the runtime reads one named part of a bundle: a folder, S3 or memory, the caller decides. The
 * core only sees bytes, so it stays free of filesystem and AWS code.
 */
export type PartReader = (name: string) => Promise<Uint8Array>;
