import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listKeys } from '../storage/versions.ts';
import { startLocalS3, TEST_BUCKET, type LocalS3 } from './helpers/s3rver.ts';

/**
 * A published index has thousands of parts (a 95k-article index: ~3,300), so listing must page. On
 * s3rver 3.7.1 every truncated ListObjectsV2 page fails with InternalError (it broke publishing at
 * 95k in the bench); `listKeys` pages ListObjects with markers, which S3 and s3rver both serve.
 */
let s3: LocalS3;
beforeAll(async () => {
  s3 = await startLocalS3();
  for (let i = 0; i < 2100; i += 100) {
    await Promise.all(Array.from({ length: 100 }, (_, j) => s3.client.send(new PutObjectCommand({ Bucket: TEST_BUCKET, Key: `ix/${j % 3 ? 'parts' : 'versions'}/k${String(i + j).padStart(5, '0')}`, Body: 'x' }))));
  }
}, 120_000);
afterAll(() => s3.dispose());

describe('listing past one page', () => {
  it('returns every key under a prefix, each once, over three pages', async () => {
    const { keys } = await listKeys(s3.client, TEST_BUCKET, 'ix/');
    expect(keys).toHaveLength(2100);
    expect(new Set(keys).size).toBe(2100);
    expect((await listKeys(s3.client, TEST_BUCKET, 'ix/parts/')).keys).toHaveLength(1386);
  });

  it('returns each common prefix once with a delimiter', async () => {
    expect((await listKeys(s3.client, TEST_BUCKET, 'ix/', '/')).prefixes).toEqual(['ix/parts/', 'ix/versions/']);
  });
});
