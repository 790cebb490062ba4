import type { Readable } from 'node:stream';
import { mapLimit } from '@mlflow-actions/action-kit/concurrency';
import { ServiceError } from '@mlflow-actions/action-kit/errors';
import type { MlflowClient } from '../client.js';
import { safeRelativePath, type ArtifactFile, type ArtifactStore, type ByteRange } from './store.js';

const ROUTE = 'api/2.0/mlflow-artifacts/artifacts';

interface ProxyEntry {
  path?: string;
  is_dir?: boolean;
  file_size?: number | string;
}

/**
 * The tracking server's artifact proxy (`mlflow server --serve-artifacts`, the default with
 * --artifacts-destination), as MLflow's HttpArtifactRepository uses it:
 * `GET …/mlflow-artifacts/artifacts?path=<dir>` lists one directory (entries carry base names),
 * `GET …/mlflow-artifacts/artifacts/<file>` streams one file. Same credentials, TLS and retries as
 * every other call of the client.
 */
export class ProxyArtifactStore implements ArtifactStore {
  constructor(
    private readonly client: MlflowClient,
    /** Path under the server's artifact root, without leading slash. */
    private readonly root: string,
    readonly uri: string,
    private readonly listConcurrency = 8,
  ) {}

  async list(signal?: AbortSignal): Promise<ArtifactFile[]> {
    const top = await this.listDir(this.root);
    const base = this.root.split('/').pop() ?? '';
    // Listing a file's path answers with the file itself: the location is a single file.
    if (top.length === 1 && !top[0]!.is_dir && top[0]!.path === base && base !== '') {
      return [{ path: base, remote: this.root, size: size(top[0]!) }];
    }
    const files: ArtifactFile[] = [];
    let level: { parts: string[]; entries: ProxyEntry[] }[] = [{ parts: [], entries: top }];
    while (level.length > 0) {
      const dirs: string[][] = [];
      for (const { parts, entries } of level) {
        for (const e of entries) {
          // The server sends base names (MLflow's client checks them the same way before joining).
          const rel = [...parts, ...(e.path ?? '').split('/')];
          safeRelativePath(rel, this.uri);
          if (e.is_dir) dirs.push(rel);
          else files.push({ path: rel.join('/'), remote: this.remotePath(rel), size: size(e) });
        }
      }
      signal?.throwIfAborted();
      level = await mapLimit(dirs, this.listConcurrency, async (parts) => ({
        parts,
        entries: await this.listDir(this.remotePath(parts)),
      }));
    }
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async open(
    file: ArtifactFile,
    _signal?: AbortSignal,
    range?: ByteRange,
  ): Promise<{ body: Readable; ranged: boolean }> {
    const url = new URL(`${ROUTE}/${file.remote.split('/').map(encodeURIComponent).join('/')}`, this.client.baseUrl);
    // The server answers with Flask's send_file, which honours ranges (206) for files on its disk.
    const res = await this.client.openDownload(url, range ? { range: `bytes=${range.start}-${range.end}` } : {});
    const ranged =
      res.status === 206 && (res.headers['content-range'] ?? '').startsWith(`bytes ${range?.start}-${range?.end}/`);
    return { body: res.body, ranged };
  }

  close(): void {
    // The client is the caller's; it closes it.
  }

  private remotePath(parts: string[]): string {
    return [this.root, ...parts].filter((p) => p !== '').join('/');
  }

  private async listDir(path: string): Promise<ProxyEntry[]> {
    const url = new URL(ROUTE, this.client.baseUrl);
    if (path !== '') url.searchParams.set('path', path);
    const res = await this.client.getUrl<{ files?: ProxyEntry[] }>(url);
    if (res.files !== undefined && !Array.isArray(res.files)) {
      throw new ServiceError(`MLflow at ${this.client.uiBase} answered an artifact listing without a list of files`);
    }
    return res.files ?? [];
  }
}

function size(e: ProxyEntry): number | undefined {
  if (e.file_size === undefined) return undefined;
  const n = Number(e.file_size);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}
