import { openAsBlob } from 'node:fs';
import { stat } from 'node:fs/promises';
import { PutObjectCommand, type PutObjectCommandInput, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createHash } from 'node:crypto';
import { ServiceError } from '@mlflow-actions/action-kit/errors';
import { isNotImplemented, isPreconditionFailed, toServiceError } from './errors.js';
import {
  BufferPool,
  hexToBase64,
  isRemoved,
  readFileExact,
  readSmallFile,
  sha256File,
  sha256Of,
  SMALL_FILE,
} from './walk.js';

/**
 * One file to one object, with a SHA-256 the store verifies, always through lib-storage's Upload.
 *
 * - A file up to `wholeFileMax` (64 MiB by default) is read into memory once, hashed from that
 *   buffer when its hash is not known yet, and handed to Upload with a part size of its own size,
 *   so Upload sends it as a single PutObject carrying our SHA-256 (the SDK does not hash it again,
 *   and the store's stored checksum is then the file's own SHA-256). One SHA-256 pass per file:
 *   in 8 MiB parts it would take two, since S3's checksum of a multipart object is a checksum of
 *   part checksums and the manifest needs the file's. (rclone likewise sends files up to 200 MiB
 *   in one PUT.) A dropped connection retries the whole PUT from the same buffer.
 * - A larger file is hashed first, in slices, then streamed as a multipart upload from a
 *   file-backed Blob, so a file changed after it was hashed fails the upload (openStreamed).
 *   Upload gathers each part into a buffer of its own (so the SDK can retry it after a dropped
 *   connection), which holds about (queueSize + 1) x partSize at a time; the SDK computes one
 *   SHA-256 per part for the header the store verifies, and the file's SHA-256 goes into the
 *   object's metadata. Such a file is never held whole in memory.
 * The payload itself is not hashed again for the signature (client.ts). Files over 1 MiB that are
 * read whole go into buffers from a pool, reused from one file to the next (walk.ts), and
 * publish.ts caps the bytes that uploads in flight hold (`bufferedBytes`).
 */

export const MIB = 1024 * 1024;
/**
 * Parts of a streamed file: S3's minimum part size, 4 in flight, as rclone's defaults. Memory
 * held is about (queueSize + 1) x partSize plus what the garbage collector has yet to reclaim of
 * lib-storage's part assembly (it copies each part out of the stream's chunks): with 8 MiB parts
 * a 1 GB upload peaked near 200 MB on Node 24, with 5 MiB well below (bench/s3-publish).
 */
export const DEFAULT_PART_SIZE = 5 * MIB;
export const DEFAULT_QUEUE_SIZE = 4;
export const DEFAULT_WHOLE_FILE_MAX = 64 * MIB;

export interface UploadFileInput {
  client: S3Client;
  bucket: string;
  key: string;
  absPath: string;
  /** Size found by the walk; the upload fails if the file no longer has it. */
  size: number;
  /** Known SHA-256 (hex). When absent, computed here from the bytes sent (or, for a streamed file, from the file). */
  sha256?: string;
  contentType: string;
  cacheControl: string;
  partSize?: number;
  queueSize?: number;
  /** Files up to this size are read whole into memory (default 64 MiB); larger ones are streamed. */
  wholeFileMax?: number;
  /** Where buffers for files over 1 MiB read whole come from (and go back to); default: new ones. */
  pool?: BufferPool;
  /** A file too large to hold, already hashed and opened by openStreamed. */
  streamed?: StreamedSource;
  endpoint?: string;
}

/** S3 allows at most 10,000 parts; parts grow for very large files rather than fail. */
export function partSizeFor(size: number, partSize = DEFAULT_PART_SIZE): number {
  return Math.max(partSize, Math.ceil(size / 9_000));
}

/** Whether a file is streamed (hashed by a read of its own first) rather than read whole. */
export function isStreamed(size: number, partSize = DEFAULT_PART_SIZE, wholeFileMax = DEFAULT_WHOLE_FILE_MAX): boolean {
  return size > Math.max(partSizeFor(size, partSize), wholeFileMax);
}

/** Bytes an upload of this file holds in memory at most (the whole file, or its parts in flight). */
export function bufferedBytes(
  size: number,
  partSize = DEFAULT_PART_SIZE,
  queueSize = DEFAULT_QUEUE_SIZE,
  wholeFileMax = DEFAULT_WHOLE_FILE_MAX,
): number {
  if (isStreamed(size, partSize, wholeFileMax)) return partSizeFor(size, partSize) * (queueSize + 1);
  return size <= SMALL_FILE ? size : BufferPool.slabFor(size);
}

/** Uploads one file; returns its SHA-256 (hex). */
export async function uploadFile(i: UploadFileInput): Promise<string> {
  const partSize = partSizeFor(i.size, i.partSize);
  const queueSize = i.queueSize ?? DEFAULT_QUEUE_SIZE;
  const where = { bucket: i.bucket, key: i.key, endpoint: i.endpoint };
  const params: PutObjectCommandInput = {
    Bucket: i.bucket,
    Key: i.key,
    ContentType: i.contentType,
    CacheControl: i.cacheControl,
    ChecksumAlgorithm: 'SHA256',
  };
  /** `singlePart`: the part size that makes Upload send the body as one PutObject. */
  const send = async (operation: string, singlePart?: number) => {
    try {
      await new Upload({
        client: i.client,
        params,
        partSize: Math.max(partSize, singlePart ?? 0),
        queueSize,
        leavePartsOnError: false,
      }).done();
    } catch (e) {
      throw toServiceError(e, { operation, ...where });
    }
  };

  if (i.size <= SMALL_FILE) {
    // Synchronous on purpose: for a small file it takes microseconds, while an async read costs
    // several thread-pool round trips.
    const body = ifPresent(() => readSmallFile(i.absPath, i.size), i, where);
    if (body.length !== i.size) throw changed(i.absPath, i.size, body.length, where);
    const sha256 = i.sha256 ?? sha256Of(body);
    // The hash computed when planning (or just now, from these very bytes): the store verifies
    // what it received against it, so a file that changed since it was hashed fails (BadDigest)
    // instead of being stored under a stale manifest entry.
    params.Body = body;
    params.ChecksumSHA256 = hexToBase64(sha256);
    await send('PutObject');
    return sha256;
  }

  if (!isStreamed(i.size, partSize, i.wholeFileMax)) {
    const slab = i.pool?.take(i.size);
    const body = await ifPresent(() => readFileExact(i.absPath, i.size, slab), i, where);
    if (body.length !== i.size) throw changed(i.absPath, i.size, body.length, where);
    // One PUT, verified by the store against the hash computed when planning (a file changed
    // since then fails with BadDigest), or against the hash of these very bytes.
    const sha256 = i.sha256 ?? sha256Of(body);
    params.Body = body;
    params.ChecksumSHA256 = hexToBase64(sha256);
    await send('PutObject', i.size);
    // Every request of the upload has settled, so nothing refers to the buffer any more. After a
    // failure it is simply dropped.
    if (slab) i.pool!.give(slab);
    return sha256;
  }

  // A file too large to hold: hashed first by a read of its own (unless publish.ts did that
  // already, overlapping the uploads before it), then streamed from the same Blob.
  const source = i.streamed ?? (await openStreamed(i.absPath, i.size, where));
  if (i.sha256 !== undefined && i.sha256 !== source.sha256) throw changed(i.absPath, i.size, i.size, where);
  params.Metadata = { sha256: source.sha256 };
  const body = source.blob.stream();
  params.Body = body;
  // The size the walk found: lib-storage checks the number of parts against it, so a file that
  // grew or shrank meanwhile fails rather than being stored cut short.
  params.ContentLength = i.size;
  try {
    await send('UploadPart');
  } catch (e) {
    if (isNotReadable(e)) throw changed(i.absPath, i.size, i.size, where, 'it was modified while being read');
    throw e;
  } finally {
    await body.cancel().catch(() => {}); // a failed upload may stop reading half-way: close the file
  }
  return source.sha256;
}

/** A file too large to hold, hashed and ready to stream (see openStreamed). */
export interface StreamedSource {
  blob: Blob;
  sha256: string;
}

/**
 * Hashes a file too large to hold and opens it for streaming so that the bytes streamed are the
 * bytes hashed. The stream reads a file-backed Blob, which fails (NotReadableError) on any read
 * after the file's size or modification time changed since the Blob was opened; the file's
 * status before the Blob was opened and after the hash covers the time in between. Without this a
 * file rewritten mid-upload would be stored with other bytes than the SHA-256 in its metadata and
 * the manifest, and the store, checking each part against that part's own checksum, would accept
 * it. (A Blob stream also holds less memory than a file stream in lib-storage's part assembly.)
 */
export function openStreamed(
  path: string,
  size: number,
  where: { bucket: string; key: string },
): Promise<StreamedSource> {
  return ifPresent(() => hashAndOpen(path, size, where), { absPath: path, size }, where);
}

async function hashAndOpen(
  path: string,
  size: number,
  where: { bucket: string; key: string },
): Promise<StreamedSource> {
  const before = await stat(path, { bigint: true });
  const blob = await openAsBlob(path);
  const sha256 = await sha256File(path);
  const after = await stat(path, { bigint: true });
  if (Number(after.size) !== size || blob.size !== size) throw changed(path, size, Number(after.size), where);
  if (after.mtimeNs !== before.mtimeNs || after.ino !== before.ino || after.size !== before.size) {
    throw changed(path, size, size, where, 'it was modified while being hashed');
  }
  return { blob, sha256 };
}

/** Runs a read of the file; the file gone since the walk listed it is a "changed" error, not a crash. */
function ifPresent<T>(read: () => T, i: { absPath: string; size: number }, where: { bucket: string; key: string }): T {
  const fail = (e: unknown): never => {
    throw isRemoved(e) ? changed(i.absPath, i.size, 0, where, 'it was removed') : e;
  };
  try {
    const r = read();
    return (r instanceof Promise ? r.catch(fail) : r) as T;
  } catch (e) {
    return fail(e);
  }
}

/** A Blob read that failed because its file changed (possibly wrapped by toServiceError). */
function isNotReadable(e: unknown): boolean {
  for (
    let x = e, depth = 0;
    typeof x === 'object' && x !== null && depth < 3;
    x = (x as { cause?: unknown }).cause, depth++
  ) {
    if ((x as { name?: unknown }).name === 'NotReadableError') return true;
  }
  return false;
}

function changed(
  path: string,
  expected: number,
  got: number,
  t: { bucket: string; key: string },
  what?: string,
): ServiceError {
  what ??=
    expected === got ? 'its content differs from when it was hashed' : `${expected} bytes when listed, ${got} now`;
  return new ServiceError(
    `${path} changed while publishing (${what}); nothing was written to s3://${t.bucket}/${t.key}`,
    undefined,
    'FileChanged',
  );
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
