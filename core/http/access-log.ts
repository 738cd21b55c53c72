import type { ApiResponse } from './types.ts';

/** What an adapter knows about one request besides the router's answer. */
export interface RequestFacts {
  method: string | undefined;
  path: string | undefined;
  /** Milliseconds from receiving the request to having the answer. */
  ms: number;
  /** Adapter-specific fields (request ids, cold start). */
  extra?: Record<string, unknown>;
}

/**
 * The one JSON log line per request, shared by the Lambda handler and the local server so both log
 * the same fields: a 5xx is an error, anything else info; the router's `log` (route, index version,
 * error code) is appended. One line of JSON is what CloudWatch Logs Insights queries field by field.
 */
export function accessLogLine(res: Pick<ApiResponse, 'status' | 'log'>, facts: RequestFacts, now: Date = new Date()): string {
  return JSON.stringify({
    time: now.toISOString(),
    level: res.status >= 500 ? 'error' : 'info',
    msg: 'request',
    method: facts.method,
    path: facts.path,
    status: res.status,
    ms: Math.round(facts.ms * 100) / 100,
    ...facts.extra,
    ...res.log,
  });
}
