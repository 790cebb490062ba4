import type { TestProject } from 'vitest/node';
// Plain JS shared with the demo and benchmarks (types in server.d.mts).
import { startS3Server } from '../../scripts/services/s3/server.mjs';

/**
 * Starts one S3-compatible server (MinIO, built and cached by scripts/services/s3/install.sh) for
 * the whole run and hands its endpoint and credentials to the tests through `inject('s3')`.
 *
 * Set S3_TEST_BUCKET (and S3_TEST_REGION, optionally S3_TEST_ENDPOINT / S3_TEST_ACCESS_KEY_ID /
 * S3_TEST_SECRET_ACCESS_KEY) to run the same tests against AWS or another store instead; then no
 * server is started and each test works under its own prefix in that bucket.
 */
export interface S3TestServer {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  kind: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    s3: S3TestServer;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.S3_TEST_BUCKET || process.env.S3_TEST_ENDPOINT) {
    project.provide('s3', {
      endpoint: process.env.S3_TEST_ENDPOINT ?? '',
      accessKeyId: process.env.S3_TEST_ACCESS_KEY_ID ?? '',
      secretAccessKey: process.env.S3_TEST_SECRET_ACCESS_KEY ?? '',
      region: process.env.S3_TEST_REGION ?? 'us-east-1',
      kind: 'external',
    });
    return async () => {};
  }
  const server = await startS3Server();
  project.provide('s3', {
    endpoint: server.endpoint,
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
    region: server.region,
    kind: server.kind,
  });
  return () => server.stop();
}
