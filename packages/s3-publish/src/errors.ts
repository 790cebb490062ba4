import { ServiceError } from '@mlflow-actions/action-kit/errors';

/**
 * Turns what the AWS SDK throws into one line a person can act on. The SDK's own messages are
 * often empty for HEAD requests ("UnknownError") or name only an HTTP status, so we name the
 * operation and the S3 location ourselves; the SDK error stays attached as `cause` for debug logs.
 */

/** The fields of an SDK (or Node network) error that we look at. */
interface SdkErrorLike {
  name?: string;
  code?: string;
  message?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $response?: { statusCode?: number };
  errors?: unknown[];
  cause?: unknown;
}

function fields(e: unknown): SdkErrorLike {
  return typeof e === 'object' && e !== null ? e : { message: String(e) };
}

export function httpStatus(e: unknown): number | undefined {
  const f = fields(e);
  return f.$metadata?.httpStatusCode ?? f.$response?.statusCode;
}

export function errorCode(e: unknown): string | undefined {
  const f = fields(e);
  return f.Code ?? f.name;
}

/** HEAD answers have no body, so a missing key is only visible as a bare 404. */
export function isNotFound(e: unknown): boolean {
  const code = errorCode(e);
  return code === 'NotFound' || code === 'NoSuchKey' || (httpStatus(e) === 404 && code !== 'NoSuchBucket');
}

export function isPreconditionFailed(e: unknown): boolean {
  return errorCode(e) === 'PreconditionFailed' || httpStatus(e) === 412;
}

/** Stores without conditional writes answer 501 NotImplemented (or ignore the header entirely). */
export function isNotImplemented(e: unknown): boolean {
  const code = errorCode(e);
  return code === 'NotImplemented' || httpStatus(e) === 501;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/** Digs through AggregateError / cause chains (Node's happy-eyeballs wraps ECONNREFUSED). */
function networkCode(e: unknown, depth = 0): string | undefined {
  if (depth > 4 || typeof e !== 'object' || e === null) return undefined;
  const f = fields(e);
  if (f.code && NETWORK_CODES.has(f.code)) return f.code;
  if (f.name === 'TimeoutError') return 'ETIMEDOUT';
  for (const inner of f.errors ?? []) {
    const c = networkCode(inner, depth + 1);
    if (c) return c;
  }
  return networkCode(f.cause, depth + 1);
}

export interface S3Target {
  /** The S3 API operation that failed, e.g. PutObject. */
  operation: string;
  bucket: string;
  key?: string;
  /** The endpoint, when it is not AWS's default (helps with "unreachable"). */
  endpoint?: string;
}

function where(t: S3Target): string {
  return `s3://${t.bucket}/${t.key ?? ''}`;
}

/** Maps an SDK error to a ServiceError; leaves our own ActionErrors alone. */
export function toServiceError(e: unknown, t: S3Target): Error {
  if (e instanceof ServiceError) return e;
  t = { ...t, operation: failedOperation(e, t.operation) };
  const code = errorCode(e);
  const status = httpStatus(e);
  const net = networkCode(e);
  const err = (message: string): ServiceError => {
    const se = new ServiceError(message, status, code);
    (se as Error).cause = e;
    return se;
  };
  if (net) {
    const endpoint = t.endpoint ?? 'the AWS S3 endpoint';
    return err(
      `cannot reach S3 at ${endpoint} (${net}) during ${t.operation}: check the endpoint, network and proxy settings`,
    );
  }
  // Raised by the SDK before any request, so they carry no status: the default credential chain
  // found nothing (no env keys, profile, OIDC web identity or instance role), or no region was
  // configured anywhere.
  if (code === 'CredentialsProviderError' || /could not load credentials/i.test(fields(e).message ?? '')) {
    return err(
      `no AWS credentials found for ${t.operation} on ${where(t)}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, ` +
        'or assume a role first (e.g. aws-actions/configure-aws-credentials)',
    );
  }
  if (/^region is missing/i.test(fields(e).message ?? '')) {
    return err(`no AWS region configured for ${t.operation} on ${where(t)}: set the region input or AWS_REGION`);
  }
  switch (code) {
    case 'NoSuchBucket':
      return err(`bucket "${t.bucket}" does not exist (${t.operation} ${where(t)}); create it or fix the bucket input`);
    case 'AccessDenied':
    case 'AllAccessDisabled':
      return err(
        `access denied: ${t.operation} on ${where(t)} was refused; ` +
          `the credentials need s3:${policyAction(t.operation)} on this bucket/prefix`,
      );
    case 'InvalidAccessKeyId':
    case 'SignatureDoesNotMatch':
    case 'InvalidToken':
    case 'InvalidTokenId': // MinIO's name for a session token it does not know
    case 'ExpiredToken':
      return err(
        `S3 rejected the credentials (${code}) during ${t.operation} on ${where(t)}: check the access key, secret and session token`,
      );
    case 'PermanentRedirect':
    case 'AuthorizationHeaderMalformed':
    case 'IllegalLocationConstraintException':
      return err(
        `bucket "${t.bucket}" is in another region (${code}) during ${t.operation}: set the region input to the bucket's region`,
      );
    case 'InvalidBucketName':
      return err(`invalid bucket name "${t.bucket}" (${t.operation})`);
    case 'BadDigest':
    case 'XAmzContentChecksumMismatch':
    case 'InvalidDigest':
      return err(
        `S3 rejected ${where(t)} because its checksum did not match the bytes sent (${code}); the file may have changed while uploading`,
      );
    default:
      break;
  }
  if (status === 403)
    return err(
      `access denied: ${t.operation} on ${where(t)} was refused (HTTP 403); the credentials need s3:${policyAction(t.operation)}`,
    );
  if (status === 404 && t.operation === 'ListObjectsV2')
    return err(`bucket "${t.bucket}" does not exist (${t.operation} answered 404)`);
  const detail = fields(e).message || code || 'unknown error';
  return err(
    `${t.operation} on ${where(t)} failed${status ? ` (HTTP ${status}${code ? ` ${code}` : ''})` : ''}: ${firstLine(detail)}`,
  );
}

/** The IAM action behind an API operation, so the message says what to grant. */
function policyAction(operation: string): string {
  switch (operation) {
    case 'ListObjectsV2':
      return 'ListBucket';
    case 'HeadObject':
      return 'GetObject';
    case 'DeleteObjects':
      return 'DeleteObject';
    case 'CreateMultipartUpload':
    case 'UploadPart':
    case 'CompleteMultipartUpload':
      return 'PutObject';
    default:
      return operation;
  }
}

function firstLine(s: string): string {
  return s.split('\n', 1)[0]!.trim();
}

/**
 * The operation that failed, as tagged by the client middleware in client.ts. lib-storage's Upload
 * sends PutObject or CreateMultipartUpload/UploadPart/Complete and its errors do not say which;
 * naming the right one helps whoever writes the IAM policy.
 */
export function failedOperation(e: unknown, fallback: string): string {
  const op = (e as { $operation?: unknown } | null)?.$operation;
  return typeof op === 'string' ? op : fallback;
}
