import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ApiRequest, ApiResponse } from '../core/http/types.ts';

/**
 * API Gateway HTTP API (payload format 2.0) ⇄ the router's plain request and response. Uses
 * `rawQueryString`, because `queryStringParameters` joins repeated names with commas and
 * `person=a&person=b` would turn into one person "a,b".
 */
export function toApiRequest(event: APIGatewayProxyEventV2): ApiRequest {
  return {
    method: event.requestContext.http.method,
    path: stripStage(event.rawPath, event.requestContext.stage),
    query: event.rawQueryString ?? '',
    // HTTP API lower-cases header names and joins repeated headers with commas already.
    headers: event.headers ?? {},
  };
}

/** A named stage (not `$default`) appears as the first path segment of `rawPath`. */
function stripStage(rawPath: string, stage: string): string {
  if (stage && stage !== '$default' && rawPath.startsWith(`/${stage}/`)) return rawPath.slice(stage.length + 1);
  return rawPath;
}

export function toResult(res: ApiResponse): APIGatewayProxyStructuredResultV2 {
  return { statusCode: res.status, headers: res.headers, body: res.body, isBase64Encoded: false };
}
