import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { ServiceError } from '@mlflow-actions/action-kit/errors';
import { safeRelativePath, type ArtifactFile, type ArtifactStore, type ByteRange } from './store.js';

/** How to reach the bucket; credentials come from the SDK's default chain (env, OIDC role, ...) unless given. */
export interface S3SourceOptions {
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  region?: string;
  /** An S3-compatible endpoint (MinIO, ...), as MLflow reads MLFLOW_S3_ENDPOINT_URL; implies path style. */
  endpoint?: string;
  /** Attempts per request, including the first. */
  maxAttempts?: number;
  /** Socket idle timeout, ms. */
  requestTimeoutMs?: number;
  concurrency?: number;
}

/**
 * Reads a model straight from S3 when the registry's source is an s3:// location (a server run
 * with --no-serve-artifacts and an S3 artifact root): no tracking server in the data path.
 */
export class S3ArtifactStore implements ArtifactStore {
  private readonly s3: S3Client;
  private readonly agents: (HttpAgent | HttpsAgent)[];

  constructor(
    private readonly bucket: string,
    private readonly key: string,
    readonly uri: string,
    opts: S3SourceOptions = {},
  ) {
    const sockets = Math.max(1, opts.concurrency ?? 8) + 2;
    const agentOptions = { keepAlive: true, maxSockets: sockets };
    this.agents = [new HttpAgent(agentOptions), new HttpsAgent(agentOptions)];
    const config: S3ClientConfig = {
      region: opts.region || 'us-east-1',
      maxAttempts: opts.maxAttempts ?? 5,
      requestHandler: {
        httpAgent: this.agents[0],
        httpsAgent: this.agents[1],
        connectionTimeout: 10_000,
        requestTimeout: opts.requestTimeoutMs ?? 120_000,
      },
      // The sizes are checked against the listing; S3's own checksums are not asked for.
      responseChecksumValidation: 'WHEN_REQUIRED',
    };
    if (opts.endpoint) Object.assign(config, { endpoint: opts.endpoint, forcePathStyle: true });
    if (opts.credentials) config.credentials = opts.credentials;
    this.s3 = new S3Client(config);
  }

  async list(signal?: AbortSignal): Promise<ArtifactFile[]> {
    const prefix = this.key === '' ? '' : `${this.key}/`;
    const files: ArtifactFile[] = [];
    let token: string | undefined;
    do {
      const page = await this.send(
        () =>
          this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }), {
            abortSignal: signal,
          }),
        'list',
      );
      for (const o of page.Contents ?? []) {
        if (!o.Key || o.Key.endsWith('/')) continue; // "folder" markers some tools write
        const rel = safeRelativePath(o.Key.slice(prefix.length).split('/'), this.uri);
        files.push({ path: rel, remote: o.Key, size: o.Size });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    if (files.length === 0 && this.key !== '') {
      // Not a "directory": maybe the source is one object.
      const one = await this.send(
        () => this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.key, MaxKeys: 1 })),
        'list',
      );
      const o = one.Contents?.[0];
      if (o?.Key === this.key)
        return [{ path: safeRelativePath([this.key.split('/').pop()!], this.uri), remote: o.Key, size: o.Size }];
    }
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async open(
    file: ArtifactFile,
    signal?: AbortSignal,
    range?: ByteRange,
  ): Promise<{ body: Readable; ranged: boolean }> {
    const res = await this.send(
      () =>
        this.s3.send(
          new GetObjectCommand({
            Bucket: this.bucket,
            Key: file.remote,
            Range: range ? `bytes=${range.start}-${range.end}` : undefined,
          }),
          { abortSignal: signal },
        ),
      `read ${file.path}`,
    );
    if (!res.Body) throw new ServiceError(`s3://${this.bucket}/${file.remote} answered without a body`);
    const ranged = range !== undefined && (res.ContentRange ?? '').startsWith(`bytes ${range.start}-${range.end}/`);
    return { body: res.Body as Readable, ranged };
  }

  close(): void {
    this.s3.destroy();
    for (const a of this.agents) a.destroy();
  }

  /** S3's refusals as one line naming the bucket; connection errors pass through to be retried. */
  private async send<T>(call: () => Promise<T>, what: string): Promise<T> {
    try {
      return await call();
    } catch (e) {
      const err = e as Error & { name?: string; $metadata?: { httpStatusCode?: number } };
      const status = err.$metadata?.httpStatusCode;
      if (status === undefined) throw e;
      const where = `s3://${this.bucket}/${this.key}`;
      if (status === 403 || err.name === 'AccessDenied') {
        throw new ServiceError(
          `S3 denied ${what} of ${where} (${err.name}): give the runner's AWS credentials s3:ListBucket and s3:GetObject on it`,
        );
      }
      if (err.name === 'NoSuchBucket')
        throw new ServiceError(`the model's bucket ${this.bucket} does not exist (source ${this.uri})`);
      throw new ServiceError(`S3 answered ${status} ${err.name} to ${what} of ${where}: ${err.message}`);
    }
  }
}
