import { ConfigError, intFromEnv } from '../core/env.ts';
import { s3SettingsFromEnv, type S3ClientSettings } from '../storage/s3-client.ts';
import { IndexUriError, parseIndexUri, type IndexLocation } from '../storage/uri.ts';

export { ConfigError };

/** Everything the search function is configured with, validated. */
export interface HandlerConfig {
  index: IndexLocation;
  s3: S3ClientSettings;
  corsOrigins: string[];
  /** Seconds between checks for a newly published version; 0 checks on every request. */
  reloadSeconds: number;
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
  };
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
