import { ConfigError, intFromEnv } from '../core/env.ts';
import { DEFAULT_CACHE_MB } from '../core/search/load-index.ts';
import { s3SettingsFromEnv, type S3ClientSettings } from '../storage/s3-client.ts';
import { IndexUriError, parseIndexUri, type IndexLocation } from '../storage/uri.ts';
import { normalizeBasePath } from '../core/http/router.ts';
import { isLogLevel, LOG_LEVELS, type LogLevel } from './log.ts';

export { ConfigError };

/** Everything the search function is configured with, validated. */
export interface HandlerConfig {
  index: IndexLocation;
  s3: S3ClientSettings;
  corsOrigins: string[];
  /** Seconds between checks for a newly published version; 0 checks on every request. */
  reloadSeconds: number;
  /** A path prefix the API is served under (`BASE_PATH`, e.g. `/v1` for a custom domain mapping); '' for none. */
  basePath?: string;
  /** Least severe level logged (`LOG_LEVEL`); default info. Metrics are emitted whatever the level. */
  logLevel?: LogLevel;
  /** The metrics' FunctionName dimension (`AWS_LAMBDA_FUNCTION_NAME`, set by Lambda). */
  functionName?: string;
  /** Byte budget in MiB of the cache for postings, stored text and token ids (`INDEX_CACHE_MB`). */
  cacheMb?: number;
}

const ORIGIN = /^https?:\/\/[^/\s]+$/;

/**
 * Reads the function's configuration from environment variables, once per container. Every problem
 * is a `ConfigError` naming the variable, so a bad deploy fails with a message that says what to fix.
 *
 * @example readConfig({ INDEX_URI: 's3://my-bucket/news', CORS_ORIGINS: 'https://example.org' })
 */
export function readConfig(env: NodeJS.ProcessEnv): HandlerConfig {
  const uri = env['INDEX_URI']?.trim();
  if (!uri) throw new ConfigError('INDEX_URI', 'is not set; use s3://bucket/prefix or a local index folder');
  let index: IndexLocation;
  try {
    index = parseIndexUri(uri);
  } catch (err) {
    if (err instanceof IndexUriError) throw new ConfigError('INDEX_URI', err.message);
    throw err;
  }
  return {
    index,
    s3: s3SettingsFromEnv(env),
    corsOrigins: parseOrigins(env['CORS_ORIGINS']),
    reloadSeconds: intFromEnv(env, 'INDEX_RELOAD_SECONDS', 60, 0, 86_400),
    basePath: parseBasePath(env['BASE_PATH']),
    logLevel: parseLogLevel(env['LOG_LEVEL']),
    functionName: env['AWS_LAMBDA_FUNCTION_NAME']?.trim() || 'news-search',
    // The default suits a 1,769 MB function (one full vCPU): the rest is the resident columns and headroom.
    cacheMb: intFromEnv(env, 'INDEX_CACHE_MB', DEFAULT_CACHE_MB, 16, 65_536),
  };
}

function parseBasePath(raw: string | undefined): string {
  try {
    return normalizeBasePath(raw);
  } catch (err) {
    throw new ConfigError('BASE_PATH', (err as Error).message);
  }
}

function parseLogLevel(raw: string | undefined): LogLevel {
  if (raw === undefined || raw.trim() === '') return 'info';
  const level = raw.trim().toLowerCase();
  if (!isLogLevel(level)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(raw)}`);
  return level;
}

function parseOrigins(raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return ['*'];
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const o of list) {
    if (o !== '*' && !ORIGIN.test(o)) {
      throw new ConfigError('CORS_ORIGINS', `${JSON.stringify(o)} is not an origin like https://example.org (no path, no trailing slash) or *`);
    }
  }
  return list.length ? list : ['*'];
}
