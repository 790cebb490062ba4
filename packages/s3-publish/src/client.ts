import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

/**
 * One S3 client per publish, tuned for many small PUTs plus a few big multipart uploads:
 * keep-alive agents so each PUT does not pay a TCP/TLS handshake, and sockets capped at the
 * upload concurrency (plus a little room for the parts of a multipart upload running alongside).
 */

export interface S3ConnectionOptions {
  region?: string;
  /** A non-AWS endpoint (MinIO, Ceph, R2, LocalStack...), e.g. http://127.0.0.1:9000. */
  endpoint?: string;
  /** Use https://host/bucket/key instead of https://bucket.host/key (needed by most non-AWS stores). */
  forcePathStyle?: boolean;
  /** Explicit credentials; otherwise the SDK's default chain (environment, profile, IMDS/OIDC...). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Maximum requests in flight; also the socket pool size. */
  concurrency?: number;
  /** Attempts per request, including the first (the SDK retries throttling, 5xx and dropped connections). */
  maxAttempts?: number;
  /** Socket idle timeout for one request, in ms. */
  requestTimeoutMs?: number;
}

export function createS3Client(o: S3ConnectionOptions): S3Client {
  const sockets = Math.max(1, o.concurrency ?? 8) + 4;
  const agentOptions = { keepAlive: true, maxSockets: sockets, keepAliveMsecs: 1000 };
  const config: S3ClientConfig = {
    maxAttempts: o.maxAttempts ?? 5,
    // Options for the SDK's NodeHttpHandler, passed as a plain object so this package does not
    // depend on @smithy/node-http-handler directly.
    requestHandler: {
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
      connectionTimeout: 10_000,
      requestTimeout: o.requestTimeoutMs ?? 120_000,
    },
    // Checksums are sent because we ask for them (ChecksumAlgorithm on each write); verifying
    // them on reads happens when a reader asks with ChecksumMode.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
  if (o.region) config.region = o.region;
  else if (o.endpoint) config.region = 'us-east-1'; // most S3-compatible stores ignore it but the SDK requires one
  if (o.endpoint) config.endpoint = o.endpoint;
  if (o.forcePathStyle !== undefined) config.forcePathStyle = o.forcePathStyle;
  if (o.credentials) config.credentials = o.credentials;
  const client = new S3Client(config);

  // Tag every failure with the operation that failed: lib-storage's Upload hides whether it was
  // PutObject or one of the multipart calls, and the error message should name it.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (e) {
        if (typeof e === 'object' && e !== null && !('$operation' in e)) {
          Object.defineProperty(e, '$operation', { value: String(context.commandName ?? '').replace(/Command$/, ''), enumerable: false });
        }
        throw e;
      }
    },
    { step: 'initialize', name: 's3PublishTagOperation' },
  );
  return client;
}

/** Closes the keep-alive sockets so a CLI or test process can exit promptly. */
export function closeS3Client(client: S3Client): void {
  client.destroy();
}
