import { STATUS_CODES } from 'node:http';
import type { ALBEvent, ALBResult } from 'aws-lambda';
import type { ApiResponse } from '../../core/http/types.ts';
import { encodeBody, encodedPath, isObject, lowerCaseHeaders, optionalMap, queryFromMaps, requireString, type Json, type SourceAdapter } from './common.ts';

const WHAT = 'ALB';

/** Whether the target group has multi-value headers on: the event then carries only the multi-value maps. */
const multiValue = (e: Json) => isObject(e['multiValueHeaders']) || isObject(e['multiValueQueryStringParameters']);

/**
 * Application Load Balancer target events. Unlike API Gateway, ALB passes query names and values
 * as the client sent them, still percent-encoded, so they are joined back as they are. With
 * multi-value headers on, the event has `multiValueQueryStringParameters` and `multiValueHeaders`
 * (and repeated parameters survive); the answer must then use `multiValueHeaders` too, because ALB
 * ignores `headers` in that mode. `statusDescription` is required by ALB ("200 OK").
 */
export const alb: SourceAdapter<ALBEvent, ALBResult> = {
  source: 'alb',
  toRequest(event) {
    const e = event as unknown as Json;
    const method = requireString(e, 'httpMethod', 'httpMethod', WHAT, 'alb');
    const path = requireString(e, 'path', 'path', WHAT, 'alb');
    const query = queryFromMaps(optionalMap(e, 'queryStringParameters', WHAT, 'alb'), optionalMap(e, 'multiValueQueryStringParameters', WHAT, 'alb'), true);
    const headers = lowerCaseHeaders(optionalMap(e, 'headers', WHAT, 'alb'), optionalMap(e, 'multiValueHeaders', WHAT, 'alb'));
    return { method: method.toUpperCase(), path: encodedPath(path), query, headers };
  },
  toResult(res: ApiResponse, event) {
    const statusDescription = `${res.status} ${STATUS_CODES[res.status] ?? ''}`.trimEnd();
    const body = encodeBody(res.body);
    if (isObject(event) && multiValue(event)) {
      const multiValueHeaders: Record<string, string[]> = {};
      for (const [k, v] of Object.entries(res.headers)) multiValueHeaders[k] = [v];
      return { statusCode: res.status, statusDescription, multiValueHeaders, ...body };
    }
    return { statusCode: res.status, statusDescription, headers: { ...res.headers }, ...body };
  },
};
