import type { Readable } from 'node:stream';
import { ServiceError } from '@mlflow-actions/action-kit/errors';

/** One file of a listing: where it goes under the download directory, and where it is read from. */
export interface ArtifactFile {
  /** POSIX path relative to the download directory, checked safe (no `..`, no absolute part). */
  path: string;
  /** The store's name for it (a proxy path or an S3 key). */
  remote: string;
  /** Size the store's listing gives; undefined when it gives none. */
  size?: number;
}

export interface ByteRange {
  start: number;
  end: number;
}

/** What the downloader needs from a place that holds artifacts. */
export interface ArtifactStore {
  /** For messages: the URI the files come from. */
  readonly uri: string;
  /** Every file under the location, recursively. */
  list(signal?: AbortSignal): Promise<ArtifactFile[]>;
  /**
   * The file's bytes as stored, or those of `range` (inclusive) when given; `ranged` says whether
   * the store honoured the range (a server may send the whole file instead). The caller reads the
   * stream to its end or destroys it.
   */
  open(file: ArtifactFile, signal?: AbortSignal, range?: ByteRange): Promise<{ body: Readable; ranged: boolean }>;
  close(): void;
}

/**
 * Names from a listing come from outside: each segment must be a plain name, or a file could be
 * written outside the download directory.
 */
export function safeRelativePath(parts: string[], from: string): string {
  for (const p of parts) {
    if (p === '' || p === '.' || p === '..' || p.includes('/') || p.includes('\\') || p.includes('\0')) {
      throw new ServiceError(`${from} lists an artifact named '${parts.join('/')}', which is not a safe relative path`);
    }
  }
  return parts.join('/');
}
