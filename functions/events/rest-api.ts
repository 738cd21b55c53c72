import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { ApiResponse } from '../../core/http/types.ts';
import { encodeBody, encodedPath, lowerCaseHeaders, optionalMap, queryFromMaps, requireString, type Json, type SourceAdapter } from './common.ts';

const WHAT = 'API Gateway REST API';

/**
 * API Gateway REST API, Lambda proxy integration (payload format 1.0, which HTTP APIs can also
 * send). API Gateway decodes query values (`+` included) before the function sees them, so they
 * are encoded back into a query string; `multiValueQueryStringParameters` keeps repeated names,
 * `queryStringParameters` only the last value of each. `path` is the resource path without the stage.
 *
 * The result carries every header in both `headers` and `multiValueHeaders` (API Gateway merges
 * them; a pair in both is sent once). A compressed body goes base64 with `isBase64Encoded`; a REST
 * API decodes it only when `binaryMediaTypes` matches (see README, "Event sources").
 */
export const restApi: SourceAdapter<APIGatewayProxyEvent, APIGatewayProxyResult> = {
  source: 'rest-api',
  toRequest(event) {
    const e = event as unknown as Json;
    const method = requireString(e, 'httpMethod', 'httpMethod', WHAT, 'rest-api');
    const path = requireString(e, 'path', 'path', WHAT, 'rest-api');
    const query = queryFromMaps(optionalMap(e, 'queryStringParameters', WHAT, 'rest-api'), optionalMap(e, 'multiValueQueryStringParameters', WHAT, 'rest-api'), false);
    const headers = lowerCaseHeaders(optionalMap(e, 'headers', WHAT, 'rest-api'), optionalMap(e, 'multiValueHeaders', WHAT, 'rest-api'));
    return { method: method.toUpperCase(), path: encodedPath(path), query, headers };
  },
  toResult(res: ApiResponse) {
    const multiValueHeaders: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(res.headers)) multiValueHeaders[k] = [v];
    return { statusCode: res.status, headers: { ...res.headers }, multiValueHeaders, ...encodeBody(res.body) };
  },
};
