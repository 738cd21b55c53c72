import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ApiRequest, ApiResponse } from '../../core/http/types.ts';
import { encodeBody, encodedPath, InvalidEventError, isObject, lowerCaseHeaders, optionalMap, queryFromMaps, requireString, type EventSource, type Json, type SourceAdapter } from './common.ts';

/**
 * API Gateway HTTP API (payload format 2.0) and Lambda Function URLs, which send the same event
 * and take the same structured result. The query comes from `rawQueryString`, because
 * `queryStringParameters` joins repeated names with commas (`person=a&person=b` would become one
 * person "a,b"); an event without it (hand-written, some emulators) falls back to that map.
 */
function adapter(source: EventSource, what: string): SourceAdapter<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    source,
    toRequest(event) {
      const e = event as unknown as Json;
      const ctx = e['requestContext'];
      if (!isObject(ctx)) throw new InvalidEventError(`${what} event without requestContext`, 'requestContext', source);
      const http = ctx['http'];
      if (!isObject(http)) throw new InvalidEventError(`${what} event without requestContext.http`, 'requestContext.http', source);
      const method = requireString(http, 'method', 'requestContext.http.method', what, source);
      const rawPath = typeof e['rawPath'] === 'string' ? e['rawPath'] : typeof http['path'] === 'string' ? http['path'] : undefined;
      if (rawPath === undefined) throw new InvalidEventError(`${what} event without rawPath`, 'rawPath', source);
      const query = typeof e['rawQueryString'] === 'string' ? e['rawQueryString'] : queryFromMaps(optionalMap(e, 'queryStringParameters', what, source), undefined, false);
      // HTTP API lower-cases header names and joins repeated headers with commas already.
      const headers = lowerCaseHeaders(optionalMap(e, 'headers', what, source), undefined);
      const stage = typeof ctx['stage'] === 'string' ? ctx['stage'] : '';
      return { method: method.toUpperCase(), path: encodedPath(stripStage(rawPath, stage)), query, headers } satisfies ApiRequest;
    },
    toResult(res: ApiResponse) {
      return { statusCode: res.status, headers: res.headers, ...encodeBody(res.body) };
    },
  };
}

/** A named stage (not `$default`) appears as the first path segment of `rawPath`. */
function stripStage(rawPath: string, stage: string): string {
  if (stage && stage !== '$default' && rawPath.startsWith(`/${stage}/`)) return rawPath.slice(stage.length + 1);
  return rawPath;
}

export const httpApi = adapter('http-api', 'API Gateway HTTP API');
export const functionUrl = adapter('function-url', 'Function URL');

/** Function URLs are the 2.0 events whose domain is `<url-id>.lambda-url.<region>.on.aws`. */
export function isFunctionUrl(event: Json): boolean {
  const ctx = event['requestContext'];
  const domain = isObject(ctx) ? ctx['domainName'] : undefined;
  return typeof domain === 'string' && domain.includes('.lambda-url.');
}
