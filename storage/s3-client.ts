import { S3Client } from '@aws-sdk/client-s3';
import { ConfigError, intFromEnv } from '../core/env.ts';

/** How the S3 client talks to S3. Every number is bounded so a slow S3 fails fast instead of hanging. */
export interface S3ClientSettings {
  /** Custom endpoint (s3rver, MinIO, LocalStack); switches to path-style addressing. */
  endpoint?: string;
  region?: string;
  /** Milliseconds to establish a connection. */
  connectTimeoutMs: number;
  /** Milliseconds for one HTTP request and its response. */
  requestTimeoutMs: number;
  /** Attempts per call, including the first; retries cover throttling and transient 5xx. */
  maxAttempts: number;
  /** Static credentials (tests); otherwise the SDK's default chain (env, role, profile). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export const S3_DEFAULTS = { connectTimeoutMs: 1000, requestTimeoutMs: 3000, maxAttempts: 3 } as const;

/**
 * S3 settings from the environment. `AWS_ENDPOINT_URL_S3` is the SDK's own variable for a custom
 * endpoint; we read it here too because such endpoints (s3rver, MinIO) need path-style addressing.
 */
export function s3SettingsFromEnv(env: NodeJS.ProcessEnv): S3ClientSettings {
  const endpoint = env['AWS_ENDPOINT_URL_S3']?.trim() || undefined;
  if (endpoint) {
    try {
      new URL(endpoint);
    } catch {
      throw new ConfigError('AWS_ENDPOINT_URL_S3', `is not a URL: ${JSON.stringify(endpoint)}`);
    }
  }
  const region = env['AWS_REGION']?.trim() || env['AWS_DEFAULT_REGION']?.trim() || undefined;
  return {
    ...(endpoint ? { endpoint } : {}),
    ...(region ? { region } : {}),
    connectTimeoutMs: intFromEnv(env, 'S3_CONNECT_TIMEOUT_MS', S3_DEFAULTS.connectTimeoutMs, 1, 60_000),
    requestTimeoutMs: intFromEnv(env, 'S3_REQUEST_TIMEOUT_MS', S3_DEFAULTS.requestTimeoutMs, 1, 600_000),
    maxAttempts: intFromEnv(env, 'S3_MAX_ATTEMPTS', S3_DEFAULTS.maxAttempts, 1, 10),
  };
}

export function createS3Client(s: S3ClientSettings): S3Client {
  return new S3Client({
    region: s.region ?? 'us-east-1',
    // A bucket in another region than the client's answers with a redirect; follow it once.
    followRegionRedirects: true,
    ...(s.endpoint ? { endpoint: s.endpoint, forcePathStyle: true } : {}),
    ...(s.credentials ? { credentials: s.credentials } : {}),
    maxAttempts: s.maxAttempts,
    requestHandler: {
      connectionTimeout: s.connectTimeoutMs,
      requestTimeout: s.requestTimeoutMs,
      // Without this the SDK only logs a warning when requestTimeout passes.
      throwOnRequestTimeout: true,
    },
    // Parts carry their own SHA-256 in the manifest, which readers verify; the SDK's CRC checksums
    // would add nothing, and S3-compatible test servers reject the aws-chunked uploads they need.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/**
 * A hard deadline for one SDK call, retries included, as an AbortSignal: the request timeout alone
 * does not bound connection reuse stalls or the SDK's backoff between attempts.
 */
export function callDeadline(s: Pick<S3ClientSettings, 'connectTimeoutMs' | 'requestTimeoutMs' | 'maxAttempts'>): AbortSignal {
  return AbortSignal.timeout((s.connectTimeoutMs + s.requestTimeoutMs) * s.maxAttempts + 500 * (s.maxAttempts - 1));
}
