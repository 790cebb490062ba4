import { DeleteObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import { ServiceError } from '@mlflow-actions/action-kit/errors';
import { toServiceError } from './errors.js';
import { MANIFEST_NAME, VERSION_NAME, type Manifest, type RemoteObject } from './remote.js';
import type { LocalFile } from './walk.js';

/**
 * Decides, per key, whether to upload, skip or delete, by comparing local SHA-256 with what is
 * stored. Used for `delete: true` (a mutable prefix) and to complete a version an earlier run left
 * without VERSION, so unchanged objects are not sent again.
 */

export type PlannedAction =
  | { type: 'upload'; key: string; path: string; size: number; reason: 'new' | 'changed' | 'overwrite' }
  | { type: 'skip'; key: string; path: string; size: number; reason: 'unchanged' }
  | { type: 'delete'; key: string; size: number; reason: 'gone from source-dir' };

export interface PlanInput {
  files: LocalFile[];
  /** Key prefix of the version, ending in "/". */
  base: string;
  remote: Map<string, RemoteObject>;
  /** Compare with what is stored and skip identical objects (false: upload everything). */
  compare: boolean;
  /** Delete stored objects that source-dir no longer has. */
  deleteGone: boolean;
}

export function keyFor(base: string, path: string): string {
  return base + path;
}

/** Applies the previous manifest's hashes to the listed objects (same key and size). */
export function applyManifest(remote: Map<string, RemoteObject>, manifest: Manifest | undefined): void {
  for (const f of manifest?.files ?? []) {
    const o = remote.get(f.key);
    if (o?.size === f.size && /^[0-9a-f]{64}$/.test(f.sha256)) o.sha256 = f.sha256;
  }
}

/** Objects whose hash still has to be read from the store (same size as the local file, hash unknown). */
export function needHead(files: LocalFile[], base: string, remote: Map<string, RemoteObject>): RemoteObject[] {
  const out: RemoteObject[] = [];
  for (const f of files) {
    const o = remote.get(keyFor(base, f.path));
    if (o && o.sha256 === undefined && o.size === f.size) out.push(o);
  }
  return out;
}

export function plan(i: PlanInput): PlannedAction[] {
  const actions: PlannedAction[] = [];
  const local = new Set<string>();
  for (const f of i.files) {
    const key = keyFor(i.base, f.path);
    local.add(key);
    const o = i.remote.get(key);
    if (!o) actions.push({ type: 'upload', key, path: f.path, size: f.size, reason: 'new' });
    else if (!i.compare) actions.push({ type: 'upload', key, path: f.path, size: f.size, reason: 'overwrite' });
    else if (o.size === f.size && o.sha256 !== undefined && o.sha256 === f.sha256)
      actions.push({ type: 'skip', key, path: f.path, size: f.size, reason: 'unchanged' });
    else actions.push({ type: 'upload', key, path: f.path, size: f.size, reason: 'changed' });
  }
  if (i.deleteGone) {
    const own = new Set([i.base + MANIFEST_NAME, i.base + VERSION_NAME]);
    for (const o of i.remote.values()) {
      if (!local.has(o.key) && !own.has(o.key))
        actions.push({ type: 'delete', key: o.key, size: o.size, reason: 'gone from source-dir' });
    }
  }
  return actions;
}

/** Deletes keys in batches of 1000 (the DeleteObjects limit); fails on the first key S3 refuses. */
export async function deleteKeys(client: S3Client, bucket: string, keys: string[], endpoint?: string): Promise<void> {
  for (let i = 0; i < keys.length; i += 1000) {
    const batch = keys.slice(i, i + 1000);
    let res;
    try {
      res = await client.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
          ChecksumAlgorithm: 'SHA256',
        }),
      );
    } catch (e) {
      throw toServiceError(e, { operation: 'DeleteObjects', bucket, key: batch[0], endpoint });
    }
    const first = res.Errors?.[0];
    if (first) {
      const what =
        first.Code === 'AccessDenied' ? 'access denied' : `${first.Code ?? 'error'}: ${first.Message ?? ''}`.trim();
      throw new ServiceError(
        `DeleteObjects could not delete s3://${bucket}/${first.Key} (${what}) and ${res.Errors!.length - 1} more`,
        undefined,
        first.Code,
      );
    }
  }
}
