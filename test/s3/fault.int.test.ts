import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { publish } from '../../packages/s3-publish/src/index.js';
import { downloadSha256, makeSite, removeDir, sandbox, sha256, type S3Sandbox } from './helpers.js';
import { hostPort, startProxy, type Proxy } from './proxy.js';

let sb: S3Sandbox;
let proxy: Proxy;
let site: string;
const files: Record<string, Buffer> = {};

// Needs an endpoint to put a proxy in front of: reported as skipped against AWS's default endpoint.
describe.skipIf(!inject('s3').endpoint)('faults', () => {
  beforeAll(async () => {
    sb = await sandbox('fault');
    for (let i = 0; i < 12; i++) files[`assets/chunk-${i}.bin`] = randomBytes(512 * 1024 + i);
    // With the memory budget below (32 MiB), files over 16 MiB are streamed in parts of 5 MiB and
    // smaller ones read whole and sent in one PUT: both kinds meet the resets.
    files['model/weights.bin'] = randomBytes(20 * 1024 * 1024);
    files['model/head.bin'] = randomBytes(12 * 1024 * 1024);
    site = await makeSite(files);
    // Reset 6 connections once each has carried 200 KB: in the middle of a PUT body.
    proxy = await startProxy({ target: hostPort(sb.conn.endpoint!), resets: 6, resetAfterBytes: 200 * 1024 });
  });
  afterAll(async () => {
    await proxy?.close();
    await sb?.cleanup();
    await removeDir(site);
  });

  it('retries uploads whose connections are reset mid-body, and the result is intact', async () => {
    const r = await publish({
      ...sb.conn,
      endpoint: proxy.endpoint,
      maxAttempts: 8,
      concurrency: 4,
      memoryBudget: 32 * 1024 * 1024,
      sourceDir: site,
      bucket: sb.bucket,
      prefix: sb.prefix,
      artifactVersion: 'flaky',
    });
    expect(proxy.stats.resets).toBe(6);
    expect(r.filesUploaded).toBe(14);
    for (const [path, content] of Object.entries(files)) {
      const got = await downloadSha256(sb.client, sb.bucket, `${sb.prefix}/flaky/${path}`);
      expect(got.sha256, path).toBe(sha256(content));
    }
  });

  it('gives up with a clear message when the connection keeps failing', async () => {
    const bad = await startProxy({ target: hostPort(sb.conn.endpoint!), resets: 1000, resetAfterBytes: 100 * 1024 });
    try {
      const e = (await publish({
        ...sb.conn,
        endpoint: bad.endpoint,
        maxAttempts: 2,
        sourceDir: site,
        bucket: sb.bucket,
        prefix: sb.prefix,
        artifactVersion: 'doomed',
      }).catch((x: unknown) => x)) as Error;
      expect(e.message).toMatch(
        /^cannot reach S3 at http:\/\/127\.0\.0\.1:\d+ \((ECONNRESET|EPIPE)\) during (PutObject|UploadPart)/,
      );
    } finally {
      await bad.close();
    }
  });
});
