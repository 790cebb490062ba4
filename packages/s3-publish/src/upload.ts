import { createReadStream } from 'node:fs';
import { PutObjectCommand, type PutObjectCommandInput, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createHash } from 'node:crypto';
import { isNotImplemented, isPreconditionFailed, toServiceError } from './errors.js';
import { hexToBase64 } from './walk.js';

/**
 * One file to one object, with a SHA-256 the store verifies.
 *
 * lib-storage's Upload reads the stream in parts of `partSize`: a file up to one part becomes a
 * single PutObject, a larger one a multipart upload with `queueSize` parts in flight. Each part is
 * buffered once (so the SDK can retry it after a dropped connection), which bounds memory at about
 * concurrency x queueSize x partSize. The file itself is never read whole into memory.
 */

export const MIB = 1024 * 1024;
export const DEFAULT_PART_SIZE = 8 * MIB;
export const DEFAULT_QUEUE_SIZE = 2;

export interface UploadFileInput {
  client: S3Client;
  bucket: string;
  key: string;
  absPath: string;
  size: number;
  sha256: string;
  contentType: string;
  cacheControl: string;
  partSize?: number;
  queueSize?: number;
  endpoint?: string;
}

export async function uploadFile(i: UploadFileInput): Promise<void> {
  // S3 allows at most 10,000 parts; grow parts for very large files rather than fail.
  const partSize = Math.max(i.partSize ?? DEFAULT_PART_SIZE, Math.ceil(i.size / 9_000));
  const singlePart = i.size <= partSize;
  const body = createReadStream(i.absPath);
  const params: PutObjectCommandInput = {
    Bucket: i.bucket,
    Key: i.key,
    Body: body,
    ContentType: i.contentType,
    CacheControl: i.cacheControl,
    ChecksumAlgorithm: 'SHA256',
    // Kept as metadata too: a multipart object's stored checksum is a checksum of part checksums,
    // so a later sync could not otherwise tell whether the file changed without downloading it.
    Metadata: { sha256: i.sha256 },
  };
  // For a single PUT, send the hash we computed: the store then verifies the bytes it received
  // against the file on disk, not against a hash of what the SDK happened to read. For multipart
  // the SDK computes one SHA-256 per part (the whole-file hash would be wrong for each part).
  if (singlePart) params.ChecksumSHA256 = hexToBase64(i.sha256);
  try {
    await new Upload({ client: i.client, params, partSize, queueSize: i.queueSize ?? DEFAULT_QUEUE_SIZE, leavePartsOnError: false }).done();
  } catch (e) {
    throw toServiceError(e, { operation: singlePart ? 'PutObject' : 'UploadPart', bucket: i.bucket, key: i.key, endpoint: i.endpoint });
  } finally {
    body.destroy(); // a failed upload may stop reading half-way; do not leak the descriptor
  }
}

export interface PutSmallInput {
  client: S3Client;
  bucket: string;
  key: string;
  body: string;
  contentType: string;
  cacheControl: string;
  /** Refuse to replace an existing object (conditional write); falls back when unsupported. */
  ifNoneMatch?: boolean;
  endpoint?: string;
}

export type PutSmallOutcome = 'written' | 'exists' | 'written-unconditionally';

/** Writes a small text object (manifest, VERSION) with its SHA-256. */
export async function putSmall(i: PutSmallInput): Promise<PutSmallOutcome> {
  const body = Buffer.from(i.body, 'utf8');
  const base: PutObjectCommandInput = {
    Bucket: i.bucket,
    Key: i.key,
    Body: body,
    ContentType: i.contentType,
    CacheControl: i.cacheControl,
    ChecksumAlgorithm: 'SHA256',
    ChecksumSHA256: createHash('sha256').update(body).digest('base64'),
  };
  try {
    await i.client.send(new PutObjectCommand(i.ifNoneMatch ? { ...base, IfNoneMatch: '*' } : base));
    return 'written';
  } catch (e) {
    if (i.ifNoneMatch && isPreconditionFailed(e)) return 'exists';
    if (i.ifNoneMatch && isNotImplemented(e)) {
      // The store has no conditional writes: we already checked that the object was absent,
      // which leaves only a race with a concurrent publisher of the same version.
      try {
        await i.client.send(new PutObjectCommand(base));
        return 'written-unconditionally';
      } catch (e2) {
        throw toServiceError(e2, { operation: 'PutObject', bucket: i.bucket, key: i.key, endpoint: i.endpoint });
      }
    }
    throw toServiceError(e, { operation: 'PutObject', bucket: i.bucket, key: i.key, endpoint: i.endpoint });
  }
}
