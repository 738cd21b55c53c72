/**
 * The one CORS policy, for every deployment shape (HTTP API, REST API, ALB, Function URL, local
 * server): API Gateway's own CORS handling is off (serverless.yml), so preflights reach the router
 * and get these headers. GET is all the API serves (HEAD is CORS-safelisted anyway); the widget
 * sends no custom headers, and `content-type` is allowed for clients that set it on a GET.
 */
export const CORS_POLICY = {
  allowMethods: ['GET', 'OPTIONS'],
  allowHeaders: ['content-type'],
  /** Seconds a browser may cache a preflight answer. */
  maxAgeSeconds: 600,
} as const;

/**
 * CORS headers for a public, read-only API. `['*']` (the default) lets any site embed the widget;
 * a list of origins restricts it, echoing the allowed origin and varying the cache on it.
 */
export function corsHeaders(allowed: readonly string[], origin: string | undefined): Record<string, string> {
  const base = {
    'access-control-allow-methods': CORS_POLICY.allowMethods.join(', '),
    'access-control-allow-headers': CORS_POLICY.allowHeaders.join(', '),
    'access-control-max-age': String(CORS_POLICY.maxAgeSeconds),
  };
  if (allowed.includes('*')) return { ...base, 'access-control-allow-origin': '*' };
  if (origin && allowed.includes(origin)) {
    return { ...base, 'access-control-allow-origin': origin, vary: 'origin' };
  }
  return { vary: 'origin' };
}
