/**
 * CloudWatch metrics in Embedded Metric Format: one JSON log line per request that CloudWatch Logs
 * turns into metrics, with no API call, no agent and no extra latency. Spec:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */

export const METRICS_NAMESPACE = 'NewsSearch';

export type MetricUnit = 'Milliseconds' | 'Count' | 'Bytes';

export interface Metric {
  name: string;
  unit: MetricUnit;
  /** EMF takes several values of one metric in one record as an array. */
  value: number | number[];
}

/** What the handler knows about one request once it is answered. */
export interface RequestFacts {
  ms: number;
  status: number;
  coldStart: boolean;
  /** Whether the route read the index (search, suggest, articles, health). */
  usedIndex: boolean;
  /** Index parts and pointer bytes fetched from storage (S3) while answering. */
  partReads: number;
  bytesRead: number;
  /** Milliseconds of index loads (cold start or new version) finished since the last request's metrics. */
  indexLoadMs: number[];
}

/**
 * The metrics of one request. Flags are 0 or 1 on every request, so a metric's Sum counts and its
 * Average is a rate: `ColdStart` Average = share of cold starts, `4xx`/`5xx` Average = error rates,
 * `IndexCacheHit` Average = share of index requests answered without fetching a part (the per-request
 * hit ratio of the term-shard and article-chunk caches together).
 */
export function requestMetrics(f: RequestFacts): Metric[] {
  const out: Metric[] = [
    { name: 'Latency', unit: 'Milliseconds', value: Math.round(f.ms * 100) / 100 },
    { name: 'ColdStart', unit: 'Count', value: f.coldStart ? 1 : 0 },
    { name: '4xx', unit: 'Count', value: f.status >= 400 && f.status < 500 ? 1 : 0 },
    { name: '5xx', unit: 'Count', value: f.status >= 500 ? 1 : 0 },
    { name: 'IndexBytesRead', unit: 'Bytes', value: f.bytesRead },
    { name: 'IndexPartReads', unit: 'Count', value: f.partReads },
  ];
  if (f.usedIndex) out.push({ name: 'IndexCacheHit', unit: 'Count', value: f.partReads === 0 ? 1 : 0 });
  if (f.indexLoadMs.length) {
    const loads = f.indexLoadMs.map((ms) => Math.round(ms));
    out.push({ name: 'IndexLoadTime', unit: 'Milliseconds', value: loads.length === 1 ? (loads[0] as number) : loads });
  }
  return out;
}

/**
 * One EMF record: `_aws` says which members are metrics (with units) and which are dimensions;
 * `properties` ride along as plain log fields, searchable in Logs Insights but not metrics (so
 * they cost nothing). One dimension set keeps the count of custom metrics small.
 */
export function emfRecord(
  metrics: readonly Metric[],
  dimensions: Record<string, string>,
  properties: Record<string, unknown> = {},
  opts: { namespace?: string; timestamp?: number } = {},
): Record<string, unknown> {
  const values: Record<string, number | number[]> = {};
  for (const m of metrics) values[m.name] = m.value;
  return {
    _aws: {
      Timestamp: opts.timestamp ?? Date.now(),
      CloudWatchMetrics: [
        {
          Namespace: opts.namespace ?? METRICS_NAMESPACE,
          Dimensions: [Object.keys(dimensions)],
          Metrics: metrics.map((m) => ({ Name: m.name, Unit: m.unit })),
        },
      ],
    },
    ...properties,
    ...dimensions,
    ...values,
  };
}
