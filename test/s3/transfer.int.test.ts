import { createHash, randomBytes } from 'node:crypto';
import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createS3Client, publish } from '../../packages/s3-publish/src/index.js';
import { listPrefix } from '../../packages/s3-publish/src/remote.js';
import { uploadFile } from '../../packages/s3-publish/src/upload.js';
import { utimes } from 'node:fs/promises';
import { downloadSha256, makeSite, removeDir, sandbox, sha256, type S3Sandbox } from './helpers.js';

/**
 * The faster paths of the publishing client against the real server: the listing read without
 * the SDK's XML parser, payloads sent unsigned but still checked by the store against their
 * SHA-256, multipart uploads of files held in (reused) memory, and the SHA-256 sync compare.
 */
let sb: S3Sandbox;
let sites: string[] = [];
const site = async (files: Record<string, string | Buffer>) => {
  const dir = await makeSite(files);
  sites.push(dir);
  return dir;
};

beforeAll(async () => {
  sb = await sandbox('transfer');
});
afterAll(async () => {
  await sb?.cleanup();
  for (const d of sites) await removeDir(d);
  sites = [];
});

describe('listing', () => {
  it('reads keys with XML-special and non-ASCII characters over several pages as the SDK does', async () => {
    const base = `${sb.prefix}/listing/`;
    const names = [
      'a&b.txt',
      '<tag>.html',
      `quote"s'.js`,
      'café/ünïcode.css',
      'emoji-😀.bin',
      'plus+space .txt',
      'VERSION',
    ];
    for (let i = 0; i < 1005; i++) names.push(`many/file-${String(i).padStart(4, '0')}.txt`);
    const queue = [...names];
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let n = queue.shift(); n !== undefined; n = queue.shift())
          await sb.client.send(new PutObjectCommand({ Bucket: sb.bucket, Key: base + n, Body: n }));
      }),
    );
    const ours = createS3Client(sb.conn);
    try {
      // The SDK got the stand-in page: its Contents are empty, the count and token are right.
      const first = await ours.send(new ListObjectsV2Command({ Bucket: sb.bucket, Prefix: base, MaxKeys: 1000 }));
      expect(first.Contents ?? []).toEqual([]);
      expect(first.KeyCount).toBe(1000);
      expect(first.IsTruncated).toBe(true);
      expect(first.NextContinuationToken).toBeTruthy();

      const fast = await listPrefix(ours, sb.bucket, base);
      const plain = await listPrefix(sb.client, sb.bucket, base);
      expect(fast.size).toBe(names.length);
      expect([...fast.keys()].sort()).toEqual(names.map((n) => base + n).sort());
      expect(fast).toEqual(plain);
    } finally {
      ours.destroy();
    }
  });
});

describe('integrity', () => {
  it('sends payloads unsigned, and the store still refuses bytes that do not match their SHA-256', async () => {
    const client = createS3Client(sb.conn);
    const seen: string[] = [];
    client.middlewareStack.add(
      (next) => async (args) => {
        const headers = (args.request as { headers: Record<string, string> }).headers;
        seen.push(headers['x-amz-content-sha256']!);
        return next(args);
      },
      { step: 'finalizeRequest', name: 'seeContentSha' },
    );
    try {
      const body = Buffer.from('the real bytes');
      await client.send(
        new PutObjectCommand({
          Bucket: sb.bucket,
          Key: `${sb.prefix}/integrity/ok`,
          Body: body,
          ChecksumAlgorithm: 'SHA256',
          ChecksumSHA256: createHash('sha256').update(body).digest('base64'),
        }),
      );
      const e = (await client
        .send(
          new PutObjectCommand({
            Bucket: sb.bucket,
            Key: `${sb.prefix}/integrity/bad`,
            Body: body,
            ChecksumAlgorithm: 'SHA256',
            ChecksumSHA256: createHash('sha256').update('other bytes').digest('base64'),
          }),
        )
        .catch((x: unknown) => x)) as { name?: string; $metadata?: { httpStatusCode?: number } };
      expect(seen).toEqual(['UNSIGNED-PAYLOAD', 'UNSIGNED-PAYLOAD']);
      expect(e.$metadata?.httpStatusCode).toBe(400);
      expect(e.name).toMatch(/BadDigest|XAmzContentChecksumMismatch|InvalidDigest/);
    } finally {
      client.destroy();
    }
  });
});

describe('files held in memory', () => {
  // Sizes around 8 MiB and the whole-file limit (64 MiB, here lowered to 24 MiB by
  // a small memory budget), so single PUTs of small files, single PUTs of files held in (pooled,
  // reused) buffers and streamed multipart uploads all run.
  const MIB = 1024 * 1024;
  const files: Record<string, Buffer> = {
    'model/a.bin': randomBytes(3 * MIB + 17),
    'model/b.bin': randomBytes(8 * MIB),
    'model/c.bin': randomBytes(8 * MIB + 1),
    'model/d.bin': randomBytes(20 * MIB + 5),
    'model/e.bin': randomBytes(12 * MIB),
    'model/f.bin': randomBytes(30 * MIB + 3),
    'index.html': Buffer.from('<!doctype html>'),
  };

  const intact =
    "uploads every size intact: a file read whole in one PUT whose stored SHA-256 is the file's, " +
    'a streamed one in parts with the file SHA-256 in its metadata';
  it(intact, async () => {
    const dir = await site(files);
    const r = await publish({
      ...sb.conn,
      sourceDir: dir,
      bucket: sb.bucket,
      prefix: sb.prefix,
      artifactVersion: 'mem',
      concurrency: 4,
      memoryBudget: 48 * MIB,
    });
    expect(r.filesUploaded).toBe(Object.keys(files).length);
    const base = `${sb.prefix}/mem/`;
    for (const [path, content] of Object.entries(files)) {
      expect((await downloadSha256(sb.client, sb.bucket, base + path)).sha256, path).toBe(sha256(content));
      const h = await sb.client.send(
        new HeadObjectCommand({ Bucket: sb.bucket, Key: base + path, ChecksumMode: 'ENABLED' }),
      );
      const parts = Math.ceil(content.length / (5 * MIB));
      if (content.length <= 24 * MIB) {
        expect(Buffer.from(h.ChecksumSHA256!, 'base64').toString('hex'), path).toBe(sha256(content));
        expect(h.Metadata?.sha256, path).toBeUndefined();
      } else {
        expect(parts, path).toBe(7);
        expect(h.Metadata?.sha256, path).toBe(sha256(content));
        if (inject('s3').kind !== 'moto') expect(h.ChecksumSHA256, path).toMatch(new RegExp(`-${parts}$`));
      }
    }

    // Same content, new time stamps (a rebuild): nothing is sent again.
    const again = await publish({
      ...sb.conn,
      sourceDir: await site(files),
      bucket: sb.bucket,
      prefix: sb.prefix,
      artifactVersion: 'mem',
      delete: true,
    });
    expect(again.filesUploaded).toBe(0);
    expect(again.filesSkipped).toBe(Object.keys(files).length);
  });
});

describe('a streamed file modified while it is uploaded', () => {
  it('fails with one line naming the file, and no object is left', async () => {
    const MIB = 1024 * 1024;
    const dir = await site({ 'model/weights.bin': randomBytes(40 * MIB) });
    const path = `${dir}/model/weights.bin`;
    const client = createS3Client({ ...sb.conn });
    // When the first part goes out, the file gets a new modification time, as if a build step
    // were still writing it: the next read of it must fail.
    let touched = false;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'UploadPartCommand' && !touched) {
          touched = true;
          const later = new Date(Date.now() + 60_000);
          await utimes(path, later, later);
        }
        return next(args);
      },
      { step: 'build', name: 'touchFileMidUpload' },
    );
    const key = `${sb.prefix}/changing/model/weights.bin`;
    try {
      const e = (await uploadFile({
        client,
        bucket: sb.bucket,
        key,
        absPath: path,
        size: 40 * MIB,
        contentType: 'application/octet-stream',
        cacheControl: 'no-cache',
        queueSize: 1,
        wholeFileMax: 8 * MIB,
      }).catch((x: unknown) => x)) as Error;
      expect(touched).toBe(true);
      expect(e).toBeInstanceOf(Error);
      expect(e.message).toBe(
        `${path} changed while publishing (it was modified while being read); nothing was written to s3://${sb.bucket}/${key}`,
      );
      const listed = await sb.client.send(
        new ListObjectsV2Command({ Bucket: sb.bucket, Prefix: `${sb.prefix}/changing/` }),
      );
      expect(listed.KeyCount ?? 0).toBe(0);
    } finally {
      client.destroy();
    }
  });

  it('a file removed after it was listed fails with one line, whatever its size, before any request', async () => {
    const MIB = 1024 * 1024;
    const client = createS3Client({ ...sb.conn });
    let requests = 0;
    client.middlewareStack.add((next) => async (args) => (requests++, next(args)), {
      step: 'build',
      name: 'countRequests',
    });
    const dir = await site({ 'x.txt': 'x' });
    try {
      // Read synchronously (small), read whole into memory, streamed in parts.
      for (const size of [1000, 12 * MIB, 40 * MIB]) {
        const path = `${dir}/gone-${size}.bin`;
        const key = `${sb.prefix}/gone/${size}.bin`;
        const e = (await uploadFile({
          client,
          bucket: sb.bucket,
          key,
          absPath: path,
          size,
          contentType: 'application/octet-stream',
          cacheControl: 'no-cache',
          wholeFileMax: 16 * MIB,
        }).catch((x: unknown) => x)) as Error;
        expect(e).toBeInstanceOf(Error);
        expect(e.message, String(size)).toBe(
          `${path} changed while publishing (it was removed); nothing was written to s3://${sb.bucket}/${key}`,
        );
      }
      expect(requests).toBe(0);
    } finally {
      client.destroy();
    }
  });

  it('is refused before any request when it no longer has the hash a re-publish compared', async () => {
    const MIB = 1024 * 1024;
    const content = randomBytes(12 * MIB);
    const dir = await site({ 'model/weights.bin': content });
    const path = `${dir}/model/weights.bin`;
    const client = createS3Client({ ...sb.conn });
    let requests = 0;
    client.middlewareStack.add((next) => async (args) => (requests++, next(args)), {
      step: 'build',
      name: 'countRequests',
    });
    const key = `${sb.prefix}/stale/model/weights.bin`;
    try {
      const planned = sha256(Buffer.concat([content.subarray(1), Buffer.from([0])])); // what the file held when compared
      const e = (await uploadFile({
        client,
        bucket: sb.bucket,
        key,
        absPath: path,
        size: content.length,
        sha256: planned,
        contentType: 'application/octet-stream',
        cacheControl: 'no-cache',
        wholeFileMax: 8 * MIB,
      }).catch((x: unknown) => x)) as Error;
      expect(e).toBeInstanceOf(Error);
      expect(e.message).toBe(
        `${path} changed while publishing (its content differs from when it was hashed); nothing was written to s3://${sb.bucket}/${key}`,
      );
      expect(requests).toBe(0);
    } finally {
      client.destroy();
    }
  });
});
