import type { S3Client } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { createRouter } from '../core/http/router.ts';
import { toErrorResponse } from '../core/http/respond.ts';
import { accessLogLine } from '../core/http/access-log.ts';
import { createS3Client } from '../storage/s3-client.ts';
import { toApiRequest, toResult } from './adapter.ts';
import { readConfig, type HandlerConfig } from './config.ts';
import { IndexHolder } from './index-holder.ts';
import { folderSource, s3Source, type IndexSource } from './index-source.ts';

export type SearchHandler = (event: APIGatewayProxyEventV2, context?: Pick<Context, 'awsRequestId'>) => Promise<APIGatewayProxyStructuredResultV2>;

export interface HandlerDeps {
  /** An S3 client to use instead of one built from `config.s3` (tests). */
  s3?: S3Client;
  /** Where the one-line JSON logs go (default: stdout, which Lambda sends to CloudWatch). */
  log?: (line: string) => void;
}

export interface SearchApp {
  handler: SearchHandler;
  holder: IndexHolder;
}

/**
 * One "container": its own S3 client, index and router. The module-level `handler` below makes one
 * per Lambda container; tests make a fresh one per case instead of re-importing the module.
 */
export function createSearchApp(config: HandlerConfig, deps: HandlerDeps = {}): SearchApp {
  const log = deps.log ?? ((line: string) => process.stdout.write(line + '\n'));
  const emit = (fields: Record<string, unknown>) => log(JSON.stringify({ time: new Date().toISOString(), ...fields }));
  const source: IndexSource =
    config.index.kind === 's3' ? s3Source(deps.s3 ?? createS3Client(config.s3), config.index, config.s3) : folderSource(config.index.dir);
  const holder = new IndexHolder({ source, reloadMs: config.reloadSeconds * 1000, log: emit });
  const router = createRouter({ getIndex: () => holder.get(), corsOrigins: config.corsOrigins });
  let coldStart = true;

  const handler: SearchHandler = async (event, context) => {
    const t0 = performance.now();
    const cold = coldStart;
    coldStart = false;
    let res;
    try {
      res = await router(toApiRequest(event));
    } catch (err) {
      res = toErrorResponse(err, 'unknown'); // the router catches its own errors; this is a malformed event
    }
    log(
      accessLogLine(res, {
        method: event.requestContext?.http?.method,
        path: event.rawPath,
        ms: performance.now() - t0,
        extra: { requestId: event.requestContext?.requestId, awsRequestId: context?.awsRequestId, coldStart: cold },
      }),
    );
    return toResult(res);
  };
  return { handler, holder };
}

export function createHandler(config: HandlerConfig, deps: HandlerDeps = {}): SearchHandler {
  return createSearchApp(config, deps).handler;
}

let app: SearchApp | undefined;

/** Built on first use so importing this module never throws; a bad config fails the invocation loudly. */
function container(): SearchApp {
  app ??= createSearchApp(readConfig(process.env));
  return app;
}

// In Lambda, start loading during the init phase, which runs at full CPU before the first request.
if (process.env['AWS_LAMBDA_FUNCTION_NAME'] && process.env['INDEX_URI'] && !process.env['IS_OFFLINE']) {
  try {
    container().holder.get().catch(() => {}); // a failure is retried, and reported, by the first request
  } catch {
    // Config errors surface on the first invocation with the variable named.
  }
}

export const handler: SearchHandler = (event, context) => container().handler(event, context);
