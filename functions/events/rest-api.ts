import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { ApiResponse } from '../../core/http/types.ts';
import { encodeBody, multiValued, payloadV1Request, type SourceAdapter } from './common.ts';

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
  toRequest: (event) => payloadV1Request(event, WHAT, 'rest-api', false),
  toResult(res: ApiResponse) {
    return { statusCode: res.status, headers: { ...res.headers }, multiValueHeaders: multiValued(res.headers), ...encodeBody(res.body) };
  },
};
