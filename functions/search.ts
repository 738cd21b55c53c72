import { loadIndex } from '../core/search/load-index.ts';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ALBEvent, ALBResult, APIGatewayProxyEvent, APIGatewayProxyEventV2, APIGatewayProxyResult, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { accessLogRecord } from '../core/http/access-log.ts';
import { toErrorResponse } from '../core/http/respond.ts';
import { createRouter } from '../core/http/router.ts';
import type { ApiResponse } from '../core/http/types.ts';
import { createS3Client } from '../storage/s3-client.ts';
import { readEvent, type HttpResult } from './adapter.ts';
import { readConfig, type HandlerConfig } from './config.ts';
import { IndexHolder } from './index-holder.ts';
import { folderSource, newReadStats, s3Source, type IndexSource } from './index-source.ts';
import { createLogger, type LogRecord } from './log.ts';
import { emfRecord, requestMetrics } from './metrics.ts';

export type InvocationContext = Pick<Context, 'awsRequestId'>;

/**
 * The Lambda handler: one function for every HTTP event source, each answered in its own shape
 * (see functions/adapter.ts). The overloads give callers that know their source its result type.
 */
export interface SearchHandler {
  (event: APIGatewayProxyEventV2, context?: InvocationContext): Promise<APIGatewayProxyStructuredResultV2>;
  (event: APIGatewayProxyEvent, context?: InvocationContext): Promise<APIGatewayProxyResult>;
  (event: ALBEvent, context?: InvocationContext): Promise<ALBResult>;
  (event: unknown, context?: InvocationContext): Promise<HttpResult>;
}

export interface HandlerDeps {
  /** An S3 client to use instead of one built from `config.s3` (tests). */
  s3?: S3Client;
  /** Where the JSON lines go, logs and metrics (default: stdout, which Lambda sends to CloudWatch). */
  log?: (line: string) => void;
}

export interface SearchApp {
  handler: SearchHandler;
  holder: IndexHolder;
}

/**
 * One "container": its own S3 client, index and router. The module-level `handler` below makes one
 * per Lambda container; tests make a fresh one per case instead of re-importing the module.
 *
 * Each request writes one access log line (filtered by `LOG_LEVEL`) and one metrics line in
 * CloudWatch Embedded Metric Format (always). Storage reads are counted per container and reported
 * per request as the difference, which is exact in Lambda, where a container runs one request at a time.
 */
export function createSearchApp(config: HandlerConfig, deps: HandlerDeps = {}): SearchApp {
  const sink = deps.log ?? ((line: string) => process.stdout.write(line + '\n'));
  const logger = createLogger(config.logLevel ?? 'info', sink);
  const stats = newReadStats();
  const source: IndexSource =
    config.index.kind === 's3' ? s3Source(deps.s3 ?? createS3Client(config.s3), config.index, config.s3, stats) : folderSource(config.index.dir, stats);
  const loads: number[] = [];
  const holder = new IndexHolder({
    source,
    reloadMs: config.reloadSeconds * 1000,
    load: (read) => loadIndex(read, config.cacheMb !== undefined ? { cacheMb: config.cacheMb } : {}),
    log: (event) => logger.write(event as LogRecord),
    onLoad: (ms) => loads.push(ms),
  });
  // Answers stay fresh in caches for the reload interval: a new version is picked up no later than that.
  const router = createRouter({
    getIndex: () => holder.get(),
    corsOrigins: config.corsOrigins,
    cacheSeconds: config.reloadSeconds,
    basePath: config.basePath ?? '',
  });
  const dimensions = { FunctionName: config.functionName ?? 'news-search' };
  let coldStart = true;

  const handler = async (event: unknown, context?: InvocationContext): Promise<HttpResult> => {
    const t0 = performance.now();
    const cold = coldStart;
    coldStart = false;
    const reads0 = stats.reads;
    const bytes0 = stats.bytes;
    const read = readEvent(event);
    let res: ApiResponse;
    if (read.ok) {
      try {
        res = await router(read.request);
      } catch (err) {
        res = toErrorResponse(err, 'unknown'); // the router catches its own errors; this is a bug
        logger.error('router failed', { error: (err as Error)?.message });
      }
    } else {
      res = toErrorResponse(read.error, 'unknown');
    }
    const ms = performance.now() - t0;
    const requestId = read.ok ? read.requestId : undefined;
    logger.write(
      accessLogRecord(res, {
        method: read.ok ? read.request.method : undefined,
        path: read.ok ? read.request.path : undefined,
        ms,
        // Says what was wrong with an event that is not one this function understands.
        level: read.ok ? undefined : 'warn',
        extra: {
          source: read.source,
          requestId,
          awsRequestId: context?.awsRequestId,
          coldStart: cold,
          ...(read.ok ? {} : { invalidEvent: read.error.message, field: read.error.field }),
        },
      }),
    );
    const metrics = requestMetrics({
      ms,
      status: res.status,
      coldStart: cold,
      usedIndex: res.log.indexVersion !== undefined,
      partReads: stats.reads - reads0,
      bytesRead: stats.bytes - bytes0,
      indexLoadMs: loads.splice(0),
    });
    sink(JSON.stringify(emfRecord(metrics, dimensions, { route: res.log.route, status: res.status, source: read.source, requestId })));
    return read.toResult(res);
  };
  return { handler: handler as SearchHandler, holder };
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

export const handler = ((event: unknown, context?: InvocationContext) => container().handler(event, context)) as SearchHandler;
