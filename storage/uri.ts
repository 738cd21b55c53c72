/**
 * Where an index lives: an S3 location (`s3://bucket/prefix`) or a local folder. Parsed once at the
 * boundary (CLI argument, `INDEX_URI`) so the rest of the code handles typed values, not strings.
 */
export interface S3Location {
  kind: 's3';
  bucket: string;
  /** Key prefix without leading or trailing `/`; may be empty (the bucket root). */
  prefix: string;
}

export interface FolderLocation {
  kind: 'folder';
  dir: string;
}

export type IndexLocation = S3Location | FolderLocation;

export class IndexUriError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IndexUriError';
  }
}

// S3 bucket naming rules, simplified: lower-case letters, digits, dots and hyphens, 3 to 63 long.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function isS3Uri(uri: string): boolean {
  return uri.startsWith('s3://');
}

/**
 * @example parseS3Uri('s3://my-bucket/news/reuters/') // { kind: 's3', bucket: 'my-bucket', prefix: 'news/reuters' }
 */
export function parseS3Uri(uri: string): S3Location {
  if (!isS3Uri(uri)) throw new IndexUriError(`${uri} is not an s3:// URI`);
  const rest = uri.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const prefix = (slash === -1 ? '' : rest.slice(slash + 1)).replace(/^\/+|\/+$/g, '');
  if (!BUCKET.test(bucket)) throw new IndexUriError(`${uri}: "${bucket}" is not a valid S3 bucket name`);
  if (prefix && prefix.split('/').some((seg) => seg === '' || seg === '.' || seg === '..')) {
    throw new IndexUriError(`${uri}: the key prefix has an empty, "." or ".." segment`);
  }
  return { kind: 's3', bucket, prefix };
}

export function parseIndexUri(uri: string): IndexLocation {
  if (isS3Uri(uri)) return parseS3Uri(uri);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri) && !uri.startsWith('file://')) {
    throw new IndexUriError(`${uri}: only s3:// URIs and local folders are supported`);
  }
  if (uri.trim() === '') throw new IndexUriError('the index location is empty');
  return { kind: 'folder', dir: uri.startsWith('file://') ? new URL(uri).pathname : uri };
}

/** Joins a prefix and a relative key, e.g. `key({prefix:'a/b'}, 'current.json')` → `a/b/current.json`. */
export function s3Key(loc: S3Location, relative: string): string {
  return loc.prefix ? `${loc.prefix}/${relative}` : relative;
}

export function formatS3Uri(loc: S3Location): string {
  return `s3://${loc.bucket}${loc.prefix ? `/${loc.prefix}` : ''}`;
}
