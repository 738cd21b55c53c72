import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readIngestConfig } from '../functions/ingest-config.ts';

/**
 * Least privilege, checked on the deploy file itself: the search function may read objects under the
 * index prefix and nothing else; the ingest function has a role of its own that writes only where it
 * writes; no other IAM grant hides elsewhere in the stack; the bucket is private.
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
  if (o && typeof o === 'object' && 'Fn::GetAtt' in o) return [`<GetAtt:${(o['Fn::GetAtt'] as string[]).join('.')}>`];
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

  it('grants nothing anywhere else: no managed policies, one role of its own for the ingest function only, no bucket policies', () => {
    expect(Object.keys(provider['iam'] as Json)).toEqual(['role']);
    expect(Object.keys((provider['iam'] as Json)['role'] as Json)).toEqual(['statements']);
    for (const legacy of ['iamRoleStatements', 'iamManagedPolicies', 'role', 'rolePermissionsBoundary']) expect(provider[legacy], legacy).toBeUndefined();
    const functions = yml['functions'] as Record<string, Json>;
    expect(Object.keys(functions).sort()).toEqual(['ingest', 'search']);
    for (const [name, fn] of Object.entries(functions)) {
      for (const key of ['iam', 'iamRoleStatements']) expect(fn[key], `${name}.${key}`).toBeUndefined();
      // The search function runs with the provider role above; the ingest function with IngestRole only.
      expect(fn['role'], `${name}.role`).toBe(name === 'ingest' ? 'IngestRole' : undefined);
    }
    // Read-only routes: GET, or ANY so that CORS preflights reach the function (which answers every
    // other method 405 itself, test/cors-config.test.ts); never a route that could grant anything.
    for (const e of functions['search']?.['events'] as Json[]) expect(String(e['httpApi']), 'search route').toMatch(/^(GET|ANY) \//);
    // The ingest function has no HTTP route: S3 notifications only.
    expect((functions['ingest']?.['events'] as Json[]).map((e) => Object.keys(e))).toEqual([['s3']]);
    for (const [name, r] of Object.entries(resources)) {
      if (name === 'IngestRole') expect(r.Type).toBe('AWS::IAM::Role');
      else expect(r.Type, name).not.toMatch(/^AWS::IAM::|^AWS::S3::BucketPolicy$|^AWS::Lambda::Permission$/);
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

const ingest = (yml['functions'] as Record<string, Json>)['ingest'] as Json;
const role = resources['IngestRole'] as { Type: string; Properties: Json };
const roleStatements = ((role.Properties['Policies'] as Json[]).flatMap((p) => ((p['PolicyDocument'] as Json)['Statement'] ?? []) as Json[]));
/** Every (action, resource) pair the ingest role grants, as `action resource` with both bucket variants. */
const grants = roleStatements.flatMap((s) => (list(s['Action']) as string[]).flatMap((a) => list(s['Resource']).flatMap(render).map((r) => `${a} ${r}`)));
const inBucket = (rel: string) => BUCKETS.map((b) => `arn:aws:s3:::${b}${rel}`);

describe('IAM of the ingest function', () => {
  it('trusts Lambda only, with inline statements and nothing managed', () => {
    expect(Object.keys(role.Properties).sort()).toEqual(['AssumeRolePolicyDocument', 'Policies']);
    expect((role.Properties['AssumeRolePolicyDocument'] as Json)['Statement']).toEqual([{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    for (const s of roleStatements) {
      expect(s['Effect']).toBe('Allow');
      expect(Object.keys(s).every((k) => ['Effect', 'Action', 'Resource', 'Condition'].includes(k)), Object.keys(s).join()).toBe(true);
      for (const a of list(s['Action']) as string[]) expect(a).not.toMatch(/\*/);
    }
  });

  it("reads and deletes in the inbox, writes to processed/ and rejected/, reads and writes the index's parts, versions and pointer: nothing else", () => {
    const expected = [
      ...inBucket('/${param:inboxPrefix}/*').flatMap((r) => [`s3:GetObject ${r}`, `s3:DeleteObject ${r}`]),
      ...inBucket('').map((r) => `s3:ListBucket ${r}`),
      ...['/${param:processedPrefix}/*', '/${param:rejectedPrefix}/*'].flatMap(inBucket).map((r) => `s3:PutObject ${r}`),
      ...['parts/*', 'versions/*', 'current.json'].flatMap((k) => inBucket(`/\${param:indexPrefix}/${k}`)).flatMap((r) => [`s3:GetObject ${r}`, `s3:PutObject ${r}`]),
      'sqs:SendMessage <GetAtt:IngestDeadLetterQueue.Arn>',
      ...['logs:CreateLogStream', 'logs:PutLogEvents'].map((a) => `${a} arn:<Ref:AWS::Partition>:logs:<Ref:AWS::Region>:<Ref:AWS::AccountId>:log-group:/aws/lambda/\${self:service}-\${sls:stage}-ingest:*`),
    ];
    expect([...new Set(grants)].sort()).toEqual(expected.sort());
    // Never a delete in the index (old versions stay for rollback), never a write to the inbox (a loop).
    expect(grants.filter((g) => g.startsWith('s3:DeleteObject')).every((g) => g.includes('/${param:inboxPrefix}/'))).toBe(true);
    expect(grants.filter((g) => g.startsWith('s3:PutObject')).some((g) => g.includes('/${param:inboxPrefix}/'))).toBe(false);
  });

  it('lists the bucket only under the inbox prefix', () => {
    const listing = roleStatements.filter((s) => list(s['Action']).includes('s3:ListBucket'));
    expect(listing).toHaveLength(1);
    expect(list(listing[0]?.['Action'])).toEqual(['s3:ListBucket']);
    expect(listing[0]?.['Condition']).toEqual({ StringLike: { 's3:prefix': ['${param:inboxPrefix}/*'] } });
    // The only statement with a condition; the others are bounded by their resources.
    expect(roleStatements.filter((s) => 'Condition' in s)).toHaveLength(1);
  });

  it('keeps the three folders apart from each other and from the index, as the function checks', () => {
    const sub = (v: string) => v.replace(/\$\{param:(\w+)\}/g, (_, k: string) => String(params[k]));
    const env = Object.fromEntries(Object.entries({ ...(provider['environment'] as Json), ...(ingest['environment'] as Json) }).filter(([, v]) => typeof v === 'string').map(([k, v]) => [k, sub(v as string)]));
    expect(env).toMatchObject({ INBOX_PREFIX: 'inbox/', PROCESSED_PREFIX: 'processed/', REJECTED_PREFIX: 'rejected/' });
    const config = readIngestConfig({ ...env, INDEX_URI: `s3://my-bucket/${params['indexPrefix']}` });
    expect([config.inboxPrefix, config.processedPrefix, config.rejectedPrefix]).toEqual(['inbox/', 'processed/', 'rejected/']);
  });
});

describe('the ingest function in serverless.yml', () => {
  it("is the only writer: reserved concurrency 1, fed by the inbox's ObjectCreated notifications", () => {
    expect(ingest['handler']).toBe('functions/ingest.handler');
    expect(ingest['reservedConcurrency']).toBe(1);
    const s3 = ((ingest['events'] as Json[])[0] as Json)['s3'] as Json;
    expect(s3['existing']).toBe(true);
    expect(s3['event']).toBe('s3:ObjectCreated:*');
    expect(render(s3['bucket']).sort()).toEqual([...BUCKETS].sort());
    expect(s3['rules']).toEqual([{ prefix: '${param:inboxPrefix}/' }]);
  });

  it('sends events that failed every retry to an SQS dead-letter queue it may write to', () => {
    expect(ingest['maximumRetryAttempts']).toBe(2);
    expect(ingest['destinations']).toEqual({ onFailure: { type: 'sqs', arn: { 'Fn::GetAtt': ['IngestDeadLetterQueue', 'Arn'] } } });
    expect(resources['IngestDeadLetterQueue']?.Type).toBe('AWS::SQS::Queue');
    expect(grants).toContain('sqs:SendMessage <GetAtt:IngestDeadLetterQueue.Arn>');
  });

  it("has the memory and time entity extraction needs, and a writer's S3 timeouts", () => {
    expect(ingest['memorySize'] as number).toBeGreaterThanOrEqual(2048);
    expect(ingest['timeout'] as number).toBeGreaterThanOrEqual(120);
    expect(ingest['timeout'] as number).toBeLessThanOrEqual(900);
    const env = ingest['environment'] as Record<string, string>;
    expect(Number(env['S3_REQUEST_TIMEOUT_MS'])).toBeGreaterThan(Number((provider['environment'] as Record<string, string>)['S3_REQUEST_TIMEOUT_MS']));
  });
});
