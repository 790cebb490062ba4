import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import type { S3ConnectionOptions } from '../../packages/s3-publish/src/index.js';

/**
 * Where the integration tests write: a fresh bucket on the local server from the global setup,
 * or (S3_TEST_BUCKET set) a fresh prefix in a bucket you own on AWS or elsewhere.
 */
export interface S3Sandbox {
  conn: S3ConnectionOptions;
  client: S3Client;
  bucket: string;
  /** Prefix to pass as `prefix`: unique per sandbox so runs against a shared bucket never collide. */
  prefix: string;
  /** true on the local server: tests that need admin-ish setup (bucket policies) can run. */
  local: boolean;
  cleanup(): Promise<void>;
}

export function connection(overrides: Partial<S3ConnectionOptions> = {}): S3ConnectionOptions {
  const s3 = inject('s3');
  const conn: S3ConnectionOptions = { region: s3.region, maxAttempts: 3, ...overrides };
  if (s3.endpoint) {
    conn.endpoint = s3.endpoint;
    conn.forcePathStyle = true;
  }
  if (s3.accessKeyId) conn.credentials = { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey };
  return conn;
}

export function rawClient(conn: S3ConnectionOptions = connection()): S3Client {
  return new S3Client({
    region: conn.region,
    endpoint: conn.endpoint,
    forcePathStyle: conn.forcePathStyle,
    credentials: conn.credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export async function sandbox(label: string): Promise<S3Sandbox> {
  const conn = connection();
  const client = rawClient(conn);
  const id = `${label}-${randomBytes(4).toString('hex')}`;
  const external = process.env.S3_TEST_BUCKET;
  if (external) {
    const prefix = `mlflow-actions-test/${id}`;
    return {
      conn,
      client,
      bucket: external,
      prefix,
      local: false,
      cleanup: () => emptyPrefix(client, external, `${prefix}/`).then(() => client.destroy()),
    };
  }
  const bucket = `t-${id}`.toLowerCase();
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    conn,
    client,
    bucket,
    prefix: 'model-viewer',
    local: true,
    cleanup: async () => {
      await emptyPrefix(client, bucket, '');
      await client.send(new DeleteBucketCommand({ Bucket: bucket }));
      client.destroy();
    },
  };
}

export async function emptyPrefix(client: S3Client, bucket: string, prefix: string): Promise<void> {
  const keys = await listKeys(client, bucket, prefix);
  for (let i = 0; i < keys.length; i += 1000) {
    await client.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })) },
      }),
    );
  }
}

export async function listKeys(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) keys.push(o.Key!);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

/** Writes files (path -> content) under a new temp dir and returns it. */
export async function makeSite(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 's3-site-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}

/** Streams `size` pseudo-random bytes to `path` (never all in memory); returns the SHA-256 hex. */
export async function writeLargeFile(path: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  const block = randomBytes(1024 * 1024);
  let left = size;
  let n = 0;
  const source = Readable.from(
    (function* () {
      while (left > 0) {
        // Vary each block so parts differ (a repeated block would hide part-order bugs).
        const chunk = Buffer.from(block.subarray(0, Math.min(left, block.length)));
        chunk.writeUInt32BE(n++, 0);
        left -= chunk.length;
        hash.update(chunk);
        yield chunk;
      }
    })(),
  );
  await pipeline(source, createWriteStream(path));
  return hash.digest('hex');
}

/** Downloads an object with checksum validation on, hashing the stream; returns the SHA-256 hex. */
export async function downloadSha256(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<{ sha256: string; size: number }> {
  const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of res.Body as Readable) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
