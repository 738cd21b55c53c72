import { STATUS_CODES } from 'node:http';
import type { ALBEvent, ALBResult } from 'aws-lambda';
import type { ApiResponse } from '../../core/http/types.ts';
import { encodeBody, isObject, multiValued, payloadV1Request, type Json, type SourceAdapter } from './common.ts';

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
  toRequest: (event) => payloadV1Request(event, WHAT, 'alb', true),
  toResult(res: ApiResponse, event) {
    const statusDescription = `${res.status} ${STATUS_CODES[res.status] ?? ''}`.trimEnd();
    const body = encodeBody(res.body);
    if (isObject(event) && multiValue(event)) {
      return { statusCode: res.status, statusDescription, multiValueHeaders: multiValued(res.headers), ...body };
    }
    return { statusCode: res.status, statusDescription, headers: { ...res.headers }, ...body };
  },
};
