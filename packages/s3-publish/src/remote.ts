import { Readable } from 'node:stream';
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
export async function listPrefix(
  client: S3Client,
  bucket: string,
  prefix: string,
  endpoint?: string,
): Promise<Map<string, RemoteObject>> {
  const out = new Map<string, RemoteObject>();
  let token: string | undefined;
  do {
    const command = new ListObjectsV2Command({
      Bucket: bucket,
      Prefix: prefix,
      ContinuationToken: token,
      MaxKeys: 1000,
    });
    let page;
    try {
      page = await client.send(command);
    } catch (e) {
      throw toServiceError(e, { operation: 'ListObjectsV2', bucket, key: prefix, endpoint });
    }
    const fast = fastListings.get(command.input);
    if (fast) for (const o of fast) out.set(o.key, o);
    else {
      for (const o of page.Contents ?? []) {
        if (o.Key) out.set(o.Key, { key: o.Key, size: o.Size ?? 0, lastModified: o.LastModified });
      }
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

/**
 * Listing pages read by `fastListing`, by the command input they answer. A client without the
 * middleware (one a caller passes in) simply leaves this empty, and the SDK's output is used.
 */
const fastListings = new WeakMap<object, RemoteObject[]>();

/**
 * A deserialize-step middleware for ListObjectsV2 that reads the three fields we use (key, size,
 * time) from the response with a few regular expressions, and hands the SDK a page holding only
 * IsTruncated, NextContinuationToken and KeyCount to deserialize. The SDK's XML parser is plain
 * JavaScript that a one-shot process runs before the JIT has compiled it: about 150 ms per
 * 1,000-key page here, the largest cost of a re-publish that changes nothing, against about 3 ms
 * for this. Anything unexpected in the page (an error status, a count that does not add up, an
 * entry without key or size) leaves the response untouched for the SDK to deserialize as usual.
 */
export function fastListing(): Parameters<S3Client['middlewareStack']['add']>[0] {
  interface Args {
    input: object;
    request?: unknown;
  }
  interface Out {
    response: { statusCode?: number; body?: unknown };
  }
  const middleware =
    (next: (args: Args) => Promise<Out>, context: { commandName?: string }) =>
    async (args: Args): Promise<Out> => {
      const result = await next(args);
      const response = result.response;
      if (
        context.commandName !== 'ListObjectsV2Command' ||
        response.statusCode !== 200 ||
        !(response.body instanceof Readable)
      )
        return result;
      const chunks: Buffer[] = [];
      for await (const chunk of response.body) chunks.push(chunk as Buffer);
      const xml = Buffer.concat(chunks).toString('utf8');
      const page = parseListing(xml);
      if (page) fastListings.set(args.input, page.objects);
      response.body = Readable.from([Buffer.from(page ? page.summary : xml)]);
      return result;
    };
  return middleware as unknown as Parameters<S3Client['middlewareStack']['add']>[0];
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function xmlText(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, e: string) =>
    e.startsWith('#')
      ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1)))
      : XML_ENTITIES[e]!,
  );
}

/** The objects of one ListObjectsV2 page, and a stand-in page for the SDK; undefined when in doubt. */
export function parseListing(xml: string): { objects: RemoteObject[]; summary: string } | undefined {
  const root = /<ListBucketResult[\s>]/.exec(xml);
  if (!root) return undefined;
  // The page's own fields come before its first entry (or after its last one): never from inside
  // an entry, where a key could hold anything.
  const outside = xml.replace(/<Contents>[\s\S]*?<\/Contents>/g, '');
  const truncated = /<IsTruncated>(true|false)<\/IsTruncated>/.exec(outside)?.[1];
  const token = /<NextContinuationToken>([^<]*)<\/NextContinuationToken>/.exec(outside)?.[1];
  const keyCount = /<KeyCount>(\d+)<\/KeyCount>/.exec(outside)?.[1];
  if (!truncated || (truncated === 'true' && !token) || /<(CommonPrefixes|EncodingType)>/.test(outside))
    return undefined;
  const objects: RemoteObject[] = [];
  const entry = /<Contents>([\s\S]*?)<\/Contents>/g;
  for (let m = entry.exec(xml); m; m = entry.exec(xml)) {
    const body = m[1]!;
    const key = /<Key>([^<]*)<\/Key>/.exec(body)?.[1];
    const size = /<Size>(\d+)<\/Size>/.exec(body)?.[1];
    const time = /<LastModified>([^<]*)<\/LastModified>/.exec(body)?.[1];
    if (key === undefined || size === undefined) return undefined;
    const lastModified = time ? new Date(time) : undefined;
    objects.push({
      key: xmlText(key),
      size: Number(size),
      lastModified: lastModified && !Number.isNaN(lastModified.getTime()) ? lastModified : undefined,
    });
  }
  if (keyCount !== undefined && Number(keyCount) !== objects.length) return undefined;
  const summary =
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult><IsTruncated>${truncated}</IsTruncated>` +
    (token !== undefined ? `<NextContinuationToken>${token}</NextContinuationToken>` : '') +
    `<KeyCount>${objects.length}</KeyCount></ListBucketResult>`;
  return { objects, summary };
}

/** The previous manifest, or undefined when there is none or it is unreadable (then we HEAD instead). */
export async function readManifest(
  client: S3Client,
  bucket: string,
  key: string,
  endpoint?: string,
): Promise<Manifest | undefined> {
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

export interface StoredState {
  remote: Map<string, RemoteObject>;
  /** The manifest stored with the version, when the listing has one and it could be read. */
  previous?: Manifest;
}

/**
 * Lists the version's prefix and, at the same time, asks for its manifest.json without waiting
 * for the listing to say whether there is one: a re-publish then costs one round trip rather than
 * two. The answer counts only when the listing has the manifest; a failed read (say GetObject is
 * not granted) matters only then, as it did when the manifest was read after the listing.
 */
export async function readStored(
  client: S3Client,
  bucket: string,
  prefix: string,
  manifestKey: string,
  endpoint?: string,
): Promise<StoredState> {
  const manifest = readManifest(client, bucket, manifestKey, endpoint).then(
    (m) => ({ m }),
    (error: unknown) => ({ error }),
  );
  const remote = await listPrefix(client, bucket, prefix, endpoint);
  if (!remote.has(manifestKey)) return { remote };
  const got = await manifest;
  if ('error' in got) throw got.error;
  return { remote, previous: got.m };
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
  if (a?.files.length !== b.files.length || a.artifactVersion !== b.artifactVersion) return false;
  const key = (f: ManifestEntry) => `${f.key}\u0000${f.size}\u0000${f.sha256}`;
  const have = new Set(a.files.map(key));
  return b.files.every((f) => have.has(key(f)));
}
