import { ConfigError, intFromEnv } from '../core/env.ts';
import { s3SettingsFromEnv, type S3ClientSettings } from '../storage/s3-client.ts';
import { IndexUriError, parseIndexUri, type S3Location } from '../storage/uri.ts';
import { isLogLevel, LOG_LEVELS, type LogLevel } from './log.ts';

export { ConfigError };

/** Everything the ingest function is configured with, validated. */
export interface IngestConfig {
  /** The published index the files are added to (`INDEX_URI`, s3:// only); the inbox is in its bucket. */
  index: S3Location;
  /** Key prefixes in that bucket, each ending in `/`: where files are dropped, and where they go. */
  inboxPrefix: string;
  processedPrefix: string;
  rejectedPrefix: string;
  /** A writer's S3 settings: patient (uploads of new segments), unlike the search function's fail-fast reads. */
  s3: S3ClientSettings;
  logLevel: LogLevel;
  /** The metrics' FunctionName dimension (`AWS_LAMBDA_FUNCTION_NAME`, set by Lambda). */
  functionName: string;
}

/** Defaults of a writer: a part upload may take seconds, and one failed call costs a whole retry of the file. */
export const INGEST_S3_DEFAULTS = { connectTimeoutMs: 5_000, requestTimeoutMs: 60_000, maxAttempts: 3 } as const;

/**
 * Reads the ingest function's configuration from environment variables, once per container. Every
 * problem is a `ConfigError` naming the variable. The three prefixes may not overlap each other or
 * the index: a file moved to `processed/` inside the inbox would be ingested again, forever.
 *
 * @example readIngestConfig({ INDEX_URI: 's3://my-bucket/news' }) // inbox/, processed/, rejected/ of my-bucket
 */
export function readIngestConfig(env: NodeJS.ProcessEnv): IngestConfig {
  const uri = env['INDEX_URI']?.trim();
  if (!uri) throw new ConfigError('INDEX_URI', 'is not set; use s3://bucket/prefix (the index files are added to)');
  let index;
  try {
    index = parseIndexUri(uri);
  } catch (err) {
    if (err instanceof IndexUriError) throw new ConfigError('INDEX_URI', err.message);
    throw err;
  }
  if (index.kind !== 's3') throw new ConfigError('INDEX_URI', `must be an s3:// URI for the ingest function (files arrive in that bucket), got ${JSON.stringify(uri)}`);

  const prefixes = {
    INBOX_PREFIX: keyPrefix(env, 'INBOX_PREFIX', 'inbox/'),
    PROCESSED_PREFIX: keyPrefix(env, 'PROCESSED_PREFIX', 'processed/'),
    REJECTED_PREFIX: keyPrefix(env, 'REJECTED_PREFIX', 'rejected/'),
  };
  // The index's own keys: its prefix, or at the bucket root the names a published index uses.
  const indexKeys = index.prefix ? [`${index.prefix}/`] : ['current.json', 'parts/', 'versions/'];
  const overlaps = (a: string, b: string) => a.startsWith(b) || b.startsWith(a);
  const names = Object.keys(prefixes) as Array<keyof typeof prefixes>;
  for (const [i, name] of names.entries()) {
    const p = prefixes[name];
    for (const other of names.slice(0, i)) {
      if (overlaps(p, prefixes[other])) throw new ConfigError(name, `${JSON.stringify(p)} overlaps ${other} ${JSON.stringify(prefixes[other])}: they must be separate folders`);
    }
    for (const k of indexKeys) {
      if (overlaps(p, k)) throw new ConfigError(name, `${JSON.stringify(p)} overlaps the index at ${uri}: use a folder outside it`);
    }
  }

  const base = s3SettingsFromEnv(env);
  return {
    index,
    inboxPrefix: prefixes.INBOX_PREFIX,
    processedPrefix: prefixes.PROCESSED_PREFIX,
    rejectedPrefix: prefixes.REJECTED_PREFIX,
    s3: {
      ...base,
      connectTimeoutMs: intFromEnv(env, 'S3_CONNECT_TIMEOUT_MS', INGEST_S3_DEFAULTS.connectTimeoutMs, 1, 60_000),
      requestTimeoutMs: intFromEnv(env, 'S3_REQUEST_TIMEOUT_MS', INGEST_S3_DEFAULTS.requestTimeoutMs, 1, 600_000),
      maxAttempts: intFromEnv(env, 'S3_MAX_ATTEMPTS', INGEST_S3_DEFAULTS.maxAttempts, 1, 10),
    },
    logLevel: parseLogLevel(env['LOG_LEVEL']),
    functionName: env['AWS_LAMBDA_FUNCTION_NAME']?.trim() || 'news-search-ingest',
  };
}

/** A folder-like key prefix: no leading `/`, one trailing `/`, no empty, `.` or `..` segment. */
function keyPrefix(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const p = raw.trim().replace(/^\/+/, '').replace(/\/*$/, '/');
  if (p === '/' || p.slice(0, -1).split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw new ConfigError(name, `must be a folder of the bucket like "inbox/" (no empty, "." or ".." part), got ${JSON.stringify(raw)}`);
  }
  return p;
}

function parseLogLevel(raw: string | undefined): LogLevel {
  if (raw === undefined || raw.trim() === '') return 'info';
  const level = raw.trim().toLowerCase();
  if (!isLogLevel(level)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(raw)}`);
  return level;
}
