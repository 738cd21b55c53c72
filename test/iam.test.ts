import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * Least privilege, checked on the deploy file itself: the function may read objects under the index
 * prefix and nothing else; no other IAM grant hides elsewhere in the stack; the bucket is private.
 */
type Json = Record<string, unknown>;
const yml = parse(readFileSync(new URL('../serverless.yml', import.meta.url), 'utf8')) as Json;
const provider = yml['provider'] as Json;
const params = (yml['params'] as { default: Record<string, string> }).default;
const resources = ((yml['resources'] as Json)['Resources'] ?? {}) as Record<string, { Type: string; Properties?: Json }>;

const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * Renders a CloudFormation value to every string it can take: `Fn::Join` joined, `Fn::If` as both
 * branches, `Ref` as `<Ref:Name>`. Anything else is an error, so a new construct gets looked at.
 */
function render(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  const o = v as Json;
  if (o && typeof o === 'object' && 'Ref' in o) return [`<Ref:${String(o['Ref'])}>`];
  if (o && typeof o === 'object' && 'Fn::If' in o) {
    const [, a, b] = o['Fn::If'] as unknown[];
    return [...render(a), ...render(b)];
  }
  if (o && typeof o === 'object' && 'Fn::Join' in o) {
    const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
    return parts.reduce<string[]>((acc, p) => acc.flatMap((prefix) => render(p).map((s) => (prefix === '' ? s : prefix + sep + s))), ['']);
  }
  throw new Error(`cannot render ${JSON.stringify(v)}`);
}

const BUCKETS = ['<Ref:IndexBucket>', '${param:indexBucket}'];
const statements = (((provider['iam'] as Json)?.['role'] as Json)?.['statements'] ?? []) as Json[];

describe('IAM in serverless.yml', () => {
  it('grants only s3:GetObject, only under the index prefix', () => {
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) {
      expect(Object.keys(s).sort()).toEqual(['Action', 'Effect', 'Resource']); // no NotAction, NotResource, Condition tricks
      expect(s['Effect']).toBe('Allow');
      expect(list(s['Action'])).toEqual(['s3:GetObject']);
      const arns = list(s['Resource']).flatMap(render);
      expect(arns.length).toBeGreaterThan(0);
      for (const arn of arns) {
        const m = /^arn:aws:s3:::([^/]+)\/(.+)\/\*$/.exec(arn);
        expect(m, `${arn} is not <bucket>/<prefix>/*`).not.toBeNull();
        expect(BUCKETS).toContain(m?.[1]);
        expect(m?.[2]).toBe('${param:indexPrefix}');
      }
    }
    for (const action of statements.flatMap((s) => list(s['Action'])) as string[]) expect(action).not.toMatch(/\*/);
  });

  it('has a non-empty, wildcard-free index prefix, the one INDEX_URI reads', () => {
    const prefix = params['indexPrefix'] as string;
    expect(prefix).toMatch(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/);
    const uris = render(((yml['custom'] as Json)['indexUri'] as Json)['deployed']);
    expect(uris.sort()).toEqual(BUCKETS.map((b) => `s3://${b}/\${param:indexPrefix}`).sort());
  });

  it('grants nothing anywhere else: no managed policies, no per-function roles, no IAM or bucket-policy resources', () => {
    expect(Object.keys(provider['iam'] as Json)).toEqual(['role']);
    expect(Object.keys((provider['iam'] as Json)['role'] as Json)).toEqual(['statements']);
    for (const legacy of ['iamRoleStatements', 'iamManagedPolicies', 'role', 'rolePermissionsBoundary']) expect(provider[legacy], legacy).toBeUndefined();
    for (const [name, fn] of Object.entries(yml['functions'] as Record<string, Json>)) {
      for (const key of ['role', 'iam', 'iamRoleStatements']) expect(fn[key], `${name}.${key}`).toBeUndefined();
      // Read-only routes: GET, or ANY so that CORS preflights reach the function (which answers every
      // other method 405 itself, test/cors-config.test.ts); never a route that could grant anything.
      for (const e of fn['events'] as Json[]) expect(String(e['httpApi']), `${name} route`).toMatch(/^(GET|ANY) \//);
    }
    for (const [name, r] of Object.entries(resources)) {
      expect(r.Type, name).not.toMatch(/^AWS::IAM::|^AWS::S3::BucketPolicy$|^AWS::Lambda::Permission$/);
    }
  });

  it('keeps the bucket private and encrypted, and the index when the stack goes', () => {
    const bucket = resources['IndexBucket'] as { Type: string; Properties: Json } & Json;
    expect(bucket.Type).toBe('AWS::S3::Bucket');
    expect(bucket.Properties['PublicAccessBlockConfiguration']).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(JSON.stringify(bucket.Properties['BucketEncryption'])).toMatch(/"SSEAlgorithm":"(AES256|aws:kms)"/);
    expect(bucket['DeletionPolicy']).toBe('Retain');
  });
});
