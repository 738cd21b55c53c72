import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isIgnoredParameter } from '../core/http/canonical.ts';
import { cacheControl } from '../core/http/cache.ts';
import { ROUTE_LIST } from '../core/http/routes.ts';

/**
 * The optional CloudFront distribution (`cdn: true`), checked on the deploy file itself: created
 * only on request, keyed on everything the answer depends on (query string, Accept-Encoding, Origin)
 * and nothing it does not (tracking parameters the function ignores, cookies), caching only what the
 * function says may be cached, in front of the HTTP API.
 */
type Json = Record<string, unknown>;
const yml = parse(readFileSync(new URL('../serverless.yml', import.meta.url), 'utf8')) as Json;
const params = (yml['params'] as { default: Record<string, unknown> }).default;
const resources = yml['resources'] as { Conditions: Record<string, Json>; Resources: Record<string, Json & { Type: string; Condition?: string; Properties: Json }>; Outputs?: Record<string, Json> };
const policy = resources.Resources['CdnCachePolicy'] as unknown as Json & { Properties: { CachePolicyConfig: Json & { ParametersInCacheKeyAndForwardedToOrigin: Json } } };
const distribution = resources.Resources['CdnDistribution'] as unknown as Json & { Properties: { DistributionConfig: Json } };
const key = policy.Properties.CachePolicyConfig.ParametersInCacheKeyAndForwardedToOrigin;

/** What CloudFormation's Fn::Equals of the CreateCdn condition gives once serverless has put `value` in for ${param:cdn}. */
function cdnCreated(value: string): boolean {
  const [a, b] = resources.Conditions['CreateCdn']?.['Fn::Equals'] as [string, string];
  return a.replace('${param:cdn}', value) === b.replace('${param:cdn}', value);
}

describe('the CDN block of serverless.yml', () => {
  it('is off by default, and on with cdn=true', () => {
    expect(String(params['cdn'])).toBe('false');
    expect(cdnCreated(String(params['cdn']))).toBe(false);
    expect(cdnCreated('true')).toBe(true);
    expect(cdnCreated('yes')).toBe(false);
    for (const name of ['CdnCachePolicy', 'CdnDistribution']) expect(resources.Resources[name]?.Condition, name).toBe('CreateCdn');
    expect(policy['Type']).toBe('AWS::CloudFront::CachePolicy');
    expect(distribution['Type']).toBe('AWS::CloudFront::Distribution');
    const output = resources.Outputs?.['CdnUrl'];
    expect(output?.['Condition']).toBe('CreateCdn');
  });

  it('keys the cache on the query string and on Accept-Encoding (gzip and brotli)', () => {
    const qs = key['QueryStringsConfig'] as { QueryStringBehavior: string; QueryStrings?: string[] };
    expect(['all', 'allExcept']).toContain(qs.QueryStringBehavior);
    // Left out of the key only what the function ignores: two URLs that differ there get one answer.
    for (const name of qs.QueryStrings ?? []) expect(isIgnoredParameter(name), name).toBe(true);
    for (const name of ['q', 'person', 'location', 'about', 'from', 'to', 'sort', 'page', 'limit', 'cursor']) expect(qs.QueryStrings ?? []).not.toContain(name);
    expect(qs.QueryStrings).toEqual(expect.arrayContaining(['_', 'fbclid', 'gclid', 'utm_source', 'utm_medium', 'utm_campaign']));
    expect(key['EnableAcceptEncodingGzip']).toBe(true);
    expect(key['EnableAcceptEncodingBrotli']).toBe(true);
    // CORS answers vary on Origin when CORS_ORIGINS lists origins; cookies mean nothing to the API.
    expect(key['HeadersConfig']).toEqual({ HeaderBehavior: 'whitelist', Headers: ['Origin'] });
    expect(key['CookiesConfig']).toEqual({ CookieBehavior: 'none' });
  });

  it('caches for as long as the function says, and nothing it does not', () => {
    const config = policy.Properties.CachePolicyConfig;
    expect(config['MinTTL']).toBe(0);
    expect(config['DefaultTTL']).toBe(0); // no Cache-Control (never sent by the function), no caching
    expect(config['MaxTTL'] as number).toBeGreaterThanOrEqual(Number(params['reloadSeconds']));
    // What the function sends: s-maxage is what CloudFront reads.
    expect(cacheControl('public', Number(params['reloadSeconds']))).toMatch(/s-maxage=60, stale-while-revalidate=60/);
    const errors = (distribution.Properties.DistributionConfig['CustomErrorResponses'] ?? []) as Array<{ ErrorCode: number; ErrorCachingMinTTL: number }>;
    expect(errors.map((e) => e.ErrorCode).sort((a, b) => a - b)).toEqual([500, 502, 503, 504]);
    for (const e of errors) expect(e.ErrorCachingMinTTL).toBe(0);
  });

  it('sends every method the function serves to the HTTP API, over HTTPS, and caches only GET and HEAD', () => {
    const config = distribution.Properties.DistributionConfig;
    const behavior = config['DefaultCacheBehavior'] as Json;
    expect(behavior['CachePolicyId']).toEqual({ Ref: 'CdnCachePolicy' });
    const served = [...new Set(ROUTE_LIST.flatMap((r) => r.methods))].sort();
    expect([...(behavior['AllowedMethods'] as string[])].sort()).toEqual(served);
    expect([...(behavior['CachedMethods'] as string[])].sort()).toEqual(['GET', 'HEAD']);
    expect(behavior['ViewerProtocolPolicy']).toBe('redirect-to-https');
    const origins = config['Origins'] as Array<Json & { Id: string; DomainName: unknown; CustomOriginConfig: Json }>;
    expect(origins).toHaveLength(1);
    expect(behavior['TargetOriginId']).toBe(origins[0]?.Id);
    expect(JSON.stringify(origins[0]?.DomainName)).toContain('{"Ref":"HttpApi"}');
    expect(JSON.stringify(origins[0]?.DomainName)).toContain('.execute-api.');
    expect(origins[0]?.CustomOriginConfig['OriginProtocolPolicy']).toBe('https-only');
    expect(config['Enabled']).toBe(true);
  });
});
