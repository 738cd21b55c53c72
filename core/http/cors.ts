/**
 * CORS for a public, read-only, GET-only API. `['*']` (the default) lets any site embed the widget;
 * a list of origins restricts it, echoing the allowed origin and varying the cache on it.
 */
export function corsHeaders(allowed: readonly string[], origin: string | undefined): Record<string, string> {
  const base = {
    'access-control-allow-methods': 'GET, OPTIONS',
    'access-control-allow-headers': 'content-type',
    'access-control-max-age': '600',
  };
  if (allowed.includes('*')) return { ...base, 'access-control-allow-origin': '*' };
  if (origin && allowed.includes(origin)) {
    return { ...base, 'access-control-allow-origin': origin, vary: 'origin' };
  }
  return { vary: 'origin' };
}
