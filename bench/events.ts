import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/**
 * API Gateway HTTP API (payload 2.0) events for the benchmark, made from the repo's genuine fixture
 * so the handler sees exactly the shape it gets in production; only the query and ids change.
 */
export const FIXTURE = resolve(import.meta.dirname, '..', 'test', 'fixtures', 'events', 'search-location.json');

export function loadTemplate(path = FIXTURE): APIGatewayProxyEventV2 {
  return JSON.parse(readFileSync(path, 'utf8')) as APIGatewayProxyEventV2;
}

export function searchEvent(template: APIGatewayProxyEventV2, rawQueryString: string, seq: number, path = '/search'): APIGatewayProxyEventV2 {
  const params: Record<string, string> = {};
  // API Gateway joins repeated names with commas in queryStringParameters; the handler reads rawQueryString.
  for (const [k, v] of new URLSearchParams(rawQueryString)) params[k] = k in params ? `${params[k]},${v}` : v;
  return {
    ...template,
    rawPath: path,
    routeKey: `GET ${path}`,
    rawQueryString,
    queryStringParameters: params,
    requestContext: {
      ...template.requestContext,
      http: { ...template.requestContext.http, path },
      routeKey: `GET ${path}`,
      requestId: `bench-${seq}`,
      timeEpoch: template.requestContext.timeEpoch + seq,
    },
  };
}
