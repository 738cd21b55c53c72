import type { ApiResponse } from './types.ts';

export type AccessLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** What an adapter knows about one request besides the router's answer. */
export interface RequestFacts {
  method: string | undefined;
  path: string | undefined;
  /** Milliseconds from receiving the request to having the answer. */
  ms: number;
  /** Adapter-specific fields (request ids, cold start, event source). */
  extra?: Record<string, unknown>;
  /** Overrides the level the status implies (a malformed Lambda event is a `warn`). */
  level?: AccessLogLevel;
}

/**
 * The one log record per request, shared by the Lambda handler and the local server so both log
 * the same fields: a 5xx is an error, anything else info; the router's `log` (route, index version,
 * error code) is appended. One line of JSON is what CloudWatch Logs Insights queries field by field.
 */
export function accessLogRecord(
  res: Pick<ApiResponse, 'status' | 'log'>,
  facts: RequestFacts,
  now: Date = new Date(),
): { time: string; level: AccessLogLevel; msg: 'request' } & Record<string, unknown> {
  return {
    time: now.toISOString(),
    level: facts.level ?? (res.status >= 500 ? 'error' : 'info'),
    msg: 'request',
    method: facts.method,
    path: facts.path,
    status: res.status,
    ms: Math.round(facts.ms * 100) / 100,
    ...facts.extra,
    ...res.log,
  };
}

/** `accessLogRecord` as one line of JSON. */
export function accessLogLine(res: Pick<ApiResponse, 'status' | 'log'>, facts: RequestFacts, now: Date = new Date()): string {
  return JSON.stringify(accessLogRecord(res, facts, now));
}
