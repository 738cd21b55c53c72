import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CORS_POLICY } from '../core/http/cors.ts';
import { ROUTES } from '../core/http/routes.ts';
import { readConfig } from '../functions/config.ts';
import { createHandler } from '../functions/search.ts';
import { headerOf } from './helpers/body.ts';

/**
 * One CORS policy: the function's (core/http/cors.ts). Checked on the deploy file itself: API
 * Gateway has no CORS config that would answer preflights in the function's place, every route of
 * the route table is declared for every method so OPTIONS reaches the function, and the origins
 * parameter becomes CORS_ORIGINS, which the function reads. Then a preflight, sent as API Gateway
 * sends it, gets the policy's methods, headers and max-age.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- sample events are edited field by field
type Json = Record<string, any>;
const yml = parse(readFileSync(new URL('../serverless.yml', import.meta.url), 'utf8')) as Json;
const params = yml['params'].default as Record<string, string>;
const provider = yml['provider'] as Json;
const events = Object.values(yml['functions'] as Record<string, Json>).flatMap((f) => (f['events'] ?? []) as Json[]);

/** Every `cors` key anywhere under `v`, with its path. */
function corsKeys(v: unknown, path = ''): string[] {
  if (!v || typeof v !== 'object') return [];
  return Object.entries(v as Json).flatMap(([k, x]) => [...(k.toLowerCase() === 'cors' ? [`${path}${k}`] : []), ...corsKeys(x, `${path}${k}.`)]);
}

/** `{proxy+}`-free route keys: 'ANY /search' → ['ANY', '/search']; object form { method, path } too. */
const httpApiRoutes = events
  .filter((e) => 'httpApi' in e)
  .map((e) => {
    const h = e['httpApi'];
    const [method, path] = typeof h === 'string' ? (h.split(' ') as [string, string]) : [String(h.method), String(h.path)];
    return { method: method.toUpperCase(), path };
  });

/** A preflight as API Gateway HTTP API delivers it, from AWS's published sample event. */
function preflight(path: string, origin: string): Json {
  const e = JSON.parse(readFileSync(new URL('./fixtures/events/powertools/apigw-http-no-auth.json', import.meta.url), 'utf8')) as Json;
  e['routeKey'] = e['requestContext'].routeKey = `ANY ${path}`;
  e['rawPath'] = path;
  e['requestContext'].http = { ...e['requestContext'].http, method: 'OPTIONS', path };
  e['headers'] = { ...e['headers'], origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'content-type' };
  delete e['headers'].authorization;
  return e;
}

const handlerFor = (corsOrigins: string) => createHandler(readConfig({ INDEX_URI: '/nonexistent/index', CORS_ORIGINS: corsOrigins }), { log: () => {} });

describe('CORS: one policy, the function\'s', () => {
  it('leaves API Gateway without a CORS config of its own', () => {
    expect(corsKeys(provider), 'provider').toEqual([]);
    expect(corsKeys(yml['functions']), 'functions').toEqual([]);
  });

  it('routes every method of every route to the function, so preflights reach it', () => {
    expect(httpApiRoutes.length).toBeGreaterThan(0);
    // Routes are OpenAPI templates in the table; HTTP API uses the same {name} syntax.
    expect(httpApiRoutes.map((r) => r.path).sort()).toEqual(Object.values(ROUTES).map((r) => r.path).sort());
    for (const spec of Object.values(ROUTES)) {
      const declared = httpApiRoutes.filter((r) => r.path === spec.path).map((r) => r.method);
      for (const m of spec.methods) expect(declared.includes('ANY') || declared.includes('*') || declared.includes(m), `${m} ${spec.path}`).toBe(true);
    }
    expect(provider['httpApi']?.cors).toBeUndefined();
  });

  it('passes the origins parameter to the function as CORS_ORIGINS, in a form it accepts', () => {
    expect(provider['environment']['CORS_ORIGINS']).toBe('${param:corsOrigin}');
    expect(readConfig({ INDEX_URI: '/x', CORS_ORIGINS: params['corsOrigin'] }).corsOrigins).toEqual(['*']);
  });

  it('answers a preflight with the policy on every route, as deployed (default *)', async () => {
    const handler = handlerFor(params['corsOrigin'] as string);
    for (const spec of Object.values(ROUTES)) {
      const path = spec.path.replace('{id}', 'some-article');
      const res = await handler(preflight(path, 'https://any.example'));
      expect(res.statusCode, path).toBe(204);
      expect(headerOf(res, 'access-control-allow-origin'), path).toBe('*');
      const methods = headerOf(res, 'access-control-allow-methods')?.split(/,\s*/) ?? [];
      expect(methods, path).toEqual([...CORS_POLICY.allowMethods]);
      // Everything the route serves beyond the CORS-safelisted HEAD is allowed.
      for (const m of spec.methods.filter((x) => x !== 'HEAD')) expect(methods, `${path}: ${m}`).toContain(m);
      expect(headerOf(res, 'access-control-allow-headers'), path).toBe(CORS_POLICY.allowHeaders.join(', '));
      expect(headerOf(res, 'access-control-max-age'), path).toBe(String(CORS_POLICY.maxAgeSeconds));
    }
  });

  it('restricts to the configured origins when the parameter names them', async () => {
    const handler = handlerFor('https://news.example,https://www.news.example');
    const ok = await handler(preflight('/search', 'https://www.news.example'));
    expect(ok.statusCode).toBe(204);
    expect(headerOf(ok, 'access-control-allow-origin')).toBe('https://www.news.example');
    expect(headerOf(ok, 'vary')?.split(/,\s*/)).toContain('origin');
    const denied = await handler(preflight('/search', 'https://evil.example'));
    expect(headerOf(denied, 'access-control-allow-origin')).toBeUndefined();
    expect(headerOf(denied, 'access-control-allow-methods')).toBeUndefined();
  });
});
