import type { ALBEvent, ALBResult, APIGatewayProxyEvent, APIGatewayProxyEventV2, APIGatewayProxyResult, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ApiRequest, ApiResponse } from '../core/http/types.ts';
import { alb } from './events/alb.ts';
import { encodeBody, InvalidEventError, isObject, type EventSource, type Json, type SourceAdapter } from './events/common.ts';
import { functionUrl, httpApi, isFunctionUrl } from './events/http-api.ts';
import { restApi } from './events/rest-api.ts';

export { InvalidEventError, type EventSource };

/** Every event shape the function answers. */
export type HttpEvent = APIGatewayProxyEventV2 | APIGatewayProxyEvent | ALBEvent;
/** The matching result shapes. */
export type HttpResult = APIGatewayProxyStructuredResultV2 | APIGatewayProxyResult | ALBResult;

/** An event read for the router: the request, or why there is none, and how to answer either way. */
export type ReadEvent =
  | { ok: true; source: EventSource; request: ApiRequest; requestId: string | undefined; toResult: (res: ApiResponse) => HttpResult }
  | { ok: false; source: EventSource | undefined; error: InvalidEventError; toResult: (res: ApiResponse) => HttpResult };

type AnyAdapter = SourceAdapter<unknown, HttpResult>;

/**
 * Which source sent the event, from the fields that set each apart: ALB events have
 * `requestContext.elb`, payload 2.0 (HTTP API, Function URL) `version: "2.0"` and
 * `requestContext.http`, payload 1.0 (REST API) `httpMethod`.
 */
function detect(e: Json): AnyAdapter | undefined {
  const ctx = e['requestContext'];
  if (isObject(ctx) && isObject(ctx['elb'])) return alb;
  if (e['version'] === '2.0' || (isObject(ctx) && isObject(ctx['http']))) return isFunctionUrl(e) ? functionUrl : httpApi;
  if (e['version'] === '1.0' || 'httpMethod' in e) return restApi;
  return undefined;
}

/** For an event of no known source: the plain shape every HTTP integration accepts. */
function plainResult(res: ApiResponse): HttpResult {
  return { statusCode: res.status, headers: res.headers, ...encodeBody(res.body) };
}

function requestIdOf(e: Json, req: ApiRequest): string | undefined {
  const ctx = e['requestContext'];
  const id = isObject(ctx) ? ctx['requestId'] : undefined;
  return typeof id === 'string' ? id : req.headers['x-amzn-trace-id'];
}

/** Reads any supported event into the router's request; never throws. */
export function readEvent(event: unknown): ReadEvent {
  if (!isObject(event)) {
    return { ok: false, source: undefined, error: new InvalidEventError('the event is not a JSON object', 'event'), toResult: plainResult };
  }
  const adapter = detect(event);
  if (!adapter) {
    const keys = Object.keys(event).slice(0, 10).join(', ') || 'none';
    const error = new InvalidEventError(
      `not an HTTP event: expected API Gateway (HTTP or REST API), a Function URL or an ALB target event; its fields: ${keys}`,
      'requestContext',
    );
    return { ok: false, source: undefined, error, toResult: plainResult };
  }
  const toResult = (res: ApiResponse) => adapter.toResult(res, event);
  try {
    const request = adapter.toRequest(event);
    return { ok: true, source: adapter.source, request, requestId: requestIdOf(event, request), toResult };
  } catch (err) {
    if (err instanceof InvalidEventError) return { ok: false, source: adapter.source, error: err, toResult };
    throw err;
  }
}
