import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { fastListing } from './remote.js';

/**
 * One S3 client per publish, tuned for many small PUTs plus a few big multipart uploads:
 * keep-alive agents so each PUT does not pay a TCP/TLS handshake, sockets capped at what we
 * keep in flight, the middleware stack resolved once per command rather than per request, and
 * no per-request work that buys nothing here (see below).
 */

/** Names us in the store's access logs (the SDK's own user-agent middleware is removed below). */
const USER_AGENT = 'mlflow-deploy-actions/s3-publish';

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
  // Files in flight plus the parts of multipart uploads running alongside them.
  const sockets = Math.max(1, o.concurrency ?? 16) + 8;
  const agentOptions = {
    keepAlive: true,
    maxSockets: sockets,
    maxFreeSockets: sockets,
    keepAliveMsecs: 1000,
    scheduling: 'lifo' as const,
  };
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
    // Resolve each command's middleware stack once, not on every request: thousands of small PUTs
    // otherwise spend more CPU assembling the stack than on the wire. Middleware must therefore be
    // added before the first request of a command (ours is, below; so is the tests').
    cacheMiddleware: true,
  };
  if (o.region) config.region = o.region;
  else if (o.endpoint) config.region = 'us-east-1'; // most S3-compatible stores ignore it but the SDK requires one
  if (o.endpoint) config.endpoint = o.endpoint;
  if (o.forcePathStyle !== undefined) config.forcePathStyle = o.forcePathStyle;
  if (o.credentials) config.credentials = o.credentials;
  const client = new S3Client(config);

  // Per-request work that buys nothing here, measurable when a site is thousands of small PUTs:
  // the logger middleware builds a redacted copy of every input and output for a logger we never
  // give it; the user-agent middleware rebuilds and escapes the same string on every request (a
  // fixed one is set below); recursion detection only matters inside AWS Lambda.
  client.middlewareStack.remove('loggerMiddleware');
  client.middlewareStack.remove('getUserAgentMiddleware');
  client.middlewareStack.remove('recursionDetectionMiddleware');

  // Tag every failure with the operation that failed: lib-storage's Upload hides whether it was
  // PutObject or one of the multipart calls, and the error message should name it.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (e) {
        if (typeof e === 'object' && e !== null && !('$operation' in e)) {
          Object.defineProperty(e, '$operation', {
            value: (context.commandName ?? '').replace(/Command$/, ''),
            enumerable: false,
          });
        }
        throw e;
      }
    },
    { step: 'initialize', name: 's3PublishTagOperation' },
  );

  // Every write we send carries an x-amz-checksum-sha256 header (our own hash for a whole file,
  // the SDK's for each part of a multipart upload), which is part of the signature and which the
  // store checks against the bytes it receives, refusing the write on a mismatch. Signing the
  // payload as well, which SigV4 does for a Buffer body, would hash every byte once more here
  // and once more in the store, the largest CPU cost of a big upload on a small runner, for no
  // extra integrity: a body altered on the way fails the signed checksum just the same. (The SDK
  // itself sends streamed bodies unsigned, with a trailing checksum, over http and https alike.)
  type Handler = (args: { request?: unknown }) => Promise<unknown>;
  const unsignedPayload =
    (next: Handler): Handler =>
    async (args) => {
      const headers = (args.request as { headers?: Record<string, string> } | undefined)?.headers;
      if (headers) {
        if (hasHeader(headers, 'x-amz-checksum-sha256') && !hasHeader(headers, 'x-amz-content-sha256'))
          headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
        headers['user-agent'] = USER_AGENT;
      }
      return next(args);
    };
  client.middlewareStack.addRelativeTo(
    unsignedPayload as unknown as Parameters<S3Client['middlewareStack']['addRelativeTo']>[0],
    {
      relation: 'before',
      toMiddleware: 'httpSigningMiddleware',
      name: 's3PublishUnsignedPayload',
    },
  );
  // Listing pages are read without the SDK's cold XML parser (see remote.ts).
  client.middlewareStack.add(fastListing(), { step: 'deserialize', priority: 'low', name: 's3PublishFastListing' });
  return client;
}

/** Closes the keep-alive sockets so a CLI or test process can exit promptly. */
export function closeS3Client(client: S3Client): void {
  client.destroy();
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  for (const h in headers) if (h.length === name.length && h.toLowerCase() === name) return true;
  return false;
}
