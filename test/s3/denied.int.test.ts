import { PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ServiceError } from '@mlflow-actions/action-kit/errors';
import { publish } from '../../packages/s3-publish/src/index.js';
import { makeSite, removeDir, sandbox, type S3Sandbox } from './helpers.js';

/**
 * Access denied, naming the operation: an anonymous (unsigned) client against a bucket whose
 * policy lets anyone list and read but not write. Needs a bucket we may set a policy on, so it
 * runs only on the local server, and not on moto (the fallback), which does not enforce access.
 */
let sb: S3Sandbox;
let site: string;
const local = !process.env.S3_TEST_BUCKET && inject('s3').kind !== 'moto';

describe.skipIf(!local)('access denied', () => {
  beforeAll(async () => {
    sb = await sandbox('denied');
    site = await makeSite({ 'index.html': 'hi' });
    await sb.client.send(
      new PutBucketPolicyCommand({
        Bucket: sb.bucket,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: ['*'] },
              Action: ['s3:ListBucket'],
              Resource: [`arn:aws:s3:::${sb.bucket}`],
            },
            {
              Effect: 'Allow',
              Principal: { AWS: ['*'] },
              Action: ['s3:GetObject'],
              Resource: [`arn:aws:s3:::${sb.bucket}/*`],
            },
          ],
        }),
      }),
    );
  });
  afterAll(async () => {
    await sb?.cleanup();
    await removeDir(site);
  });

  const anonymous = () =>
    new S3Client({
      region: sb.conn.region,
      endpoint: sb.conn.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      signer: { sign: async (request) => request }, // unsigned: S3 treats it as anonymous
    });

  it('names PutObject when writing is denied', async () => {
    const client = anonymous();
    try {
      const e = (await publish({
        client,
        sourceDir: site,
        bucket: sb.bucket,
        prefix: sb.prefix,
        artifactVersion: 'v1',
      }).catch((x: unknown) => x)) as Error;
      expect(e).toBeInstanceOf(ServiceError);
      expect(e.message).toBe(
        `access denied: PutObject on s3://${sb.bucket}/${sb.prefix}/v1/index.html was refused; the credentials need ` +
          's3:PutObject on this bucket/prefix',
      );
    } finally {
      client.destroy();
    }
  });

  it('names ListObjectsV2 (s3:ListBucket) when listing is denied', async () => {
    await sb.client.send(
      new PutBucketPolicyCommand({
        Bucket: sb.bucket,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: ['*'] },
              Action: ['s3:GetObject'],
              Resource: [`arn:aws:s3:::${sb.bucket}/*`],
            },
          ],
        }),
      }),
    );
    const client = anonymous();
    try {
      const e = (await publish({
        client,
        sourceDir: site,
        bucket: sb.bucket,
        prefix: sb.prefix,
        artifactVersion: 'v1',
      }).catch((x: unknown) => x)) as Error;
      expect(e).toBeInstanceOf(ServiceError);
      expect(e.message).toBe(
        `access denied: ListObjectsV2 on s3://${sb.bucket}/${sb.prefix}/v1/ was refused; the credentials need ` +
          's3:ListBucket on this bucket/prefix',
      );
    } finally {
      client.destroy();
    }
  });
});
