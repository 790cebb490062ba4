import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { mapLimit } from '@mlflow-actions/action-kit/concurrency';
import { isNotFound, toServiceError } from './errors.js';
import { base64ToHex } from './walk.js';

/** What is already stored under a version's prefix, read before deciding what to write. */

export interface RemoteObject {
  key: string;
  size: number;
  lastModified?: Date;
  /** Known SHA-256 (hex), from the previous manifest or the object's stored checksum. */
  sha256?: string;
}

export interface ManifestEntry {
  /** Full object key. */
  key: string;
  /** Path relative to the version prefix (as in source-dir). */
  path: string;
  size: number;
  sha256: string;
}

export interface Manifest {
  schema: 1;
  artifactVersion: string;
  createdAt: string;
  files: ManifestEntry[];
}

export const MANIFEST_NAME = 'manifest.json';
export const VERSION_NAME = 'VERSION';

/** All objects under `prefix` (which ends in "/"), following continuation tokens. */
export async function listPrefix(client: S3Client, bucket: string, prefix: string, endpoint?: string): Promise<Map<string, RemoteObject>> {
  const out = new Map<string, RemoteObject>();
  let token: string | undefined;
  do {
    let page;
    try {
      page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: 1000 }));
    } catch (e) {
      throw toServiceError(e, { operation: 'ListObjectsV2', bucket, key: prefix, endpoint });
    }
    for (const o of page.Contents ?? []) {
      if (o.Key) out.set(o.Key, { key: o.Key, size: o.Size ?? 0, lastModified: o.LastModified });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

/** The previous manifest, or undefined when there is none or it is unreadable (then we HEAD instead). */
export async function readManifest(client: S3Client, bucket: string, key: string, endpoint?: string): Promise<Manifest | undefined> {
  try {
    const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const text = await res.Body!.transformToString();
    const m = JSON.parse(text) as Manifest;
    return Array.isArray(m.files) ? m : undefined;
  } catch (e) {
    if (isNotFound(e) || e instanceof SyntaxError) return undefined;
    throw toServiceError(e, { operation: 'GetObject', bucket, key, endpoint });
  }
}

/**
 * Fills in sha256 for the given remote objects from the object itself: the stored full-object
 * SHA-256 checksum (verified by the store on write) when there is one, else our `sha256` metadata
 * (multipart uploads store a checksum of part checksums, which is not the file's hash).
 */
export async function headChecksums(
  client: S3Client,
  bucket: string,
  objects: RemoteObject[],
  concurrency: number,
  endpoint?: string,
): Promise<void> {
  await mapLimit(objects, concurrency, async (o) => {
    try {
      const h = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: o.key, ChecksumMode: 'ENABLED' }));
      const stored = h.ChecksumSHA256;
      if (stored && !stored.includes('-') && h.ChecksumType !== 'COMPOSITE') o.sha256 = base64ToHex(stored);
      else if (h.Metadata?.sha256 && /^[0-9a-f]{64}$/.test(h.Metadata.sha256)) o.sha256 = h.Metadata.sha256;
    } catch (e) {
      if (isNotFound(e)) return; // deleted meanwhile: treat as absent (it will be uploaded)
      throw toServiceError(e, { operation: 'HeadObject', bucket, key: o.key, endpoint });
    }
  });
}

export function buildManifest(artifactVersion: string, files: ManifestEntry[], now: Date): Manifest {
  return {
    schema: 1,
    artifactVersion,
    createdAt: now.toISOString(),
    files: [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  };
}

/** True when two manifests list the same files with the same content (timestamps aside). */
export function sameFiles(a: Manifest | undefined, b: Manifest): boolean {
  if (!a || a.files.length !== b.files.length || a.artifactVersion !== b.artifactVersion) return false;
  const key = (f: ManifestEntry) => `${f.key}\u0000${f.size}\u0000${f.sha256}`;
  const have = new Set(a.files.map(key));
  return b.files.every((f) => have.has(key(f)));
}
