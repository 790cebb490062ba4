import { mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ActionError, ServiceError } from '@mlflow-actions/action-kit/errors';
import { silentLogger, type Logger } from '@mlflow-actions/action-kit/log';
import type { ArtifactFile, ArtifactStore } from './store.js';
import { downloadDirProblem } from './dest.js';
import { transferAll } from './transfer.js';

export interface RetrySchedule {
  maxRetries: number;
  /** Sleeps before retry number `attempt` (1-based). */
  wait(attempt: number, why: string): Promise<void>;
  /** Idle timeout, for messages. */
  timeoutMs: number;
}

export interface DownloadOptions {
  store: ArtifactStore;
  /** The store's listing, when the caller has it already. */
  files?: ArtifactFile[];
  /** The directory to create; it must not exist, or be empty. */
  dest: string;
  /** Transfers in flight at once. */
  concurrency?: number;
  /** Size of the ranges a large file (4 parts or more) is fetched in, several at once. */
  partBytes?: number;
  retry: RetrySchedule;
  logger?: Logger;
  /** Aborting stops every transfer and removes what was written. */
  signal?: AbortSignal;
}

export interface DownloadResult {
  dir: string;
  files: number;
  bytes: number;
  /** Each file with its size, in path order (for a summary). */
  listing: { path: string; size: number }[];
}

/** A download directory that is already there with something in it (the user's to fix). */
export class DownloadDirError extends ActionError {}

/**
 * Downloads every file of a store into `dest`, all or nothing: files are streamed, a few at a
 * time, into a hidden sibling directory, each checked against the listing's size, and the
 * sibling is renamed to `dest` only when all are in (rename(2) is atomic, and replaces an empty
 * directory). On any failure or abort the sibling is removed; after a SIGKILL, which leaves no
 * chance to clean up, the next download into the same parent removes it.
 */
export async function downloadArtifacts(opts: DownloadOptions): Promise<DownloadResult> {
  const log = opts.logger ?? silentLogger;
  const dest = resolve(opts.dest);
  checkDestination(dest, opts.dest);
  const files = opts.files ?? (await opts.store.list(opts.signal));
  if (files.length === 0) {
    throw new ServiceError(`no artifacts found at ${opts.store.uri}: the model's files are missing from the store`);
  }
  const dirs = directoriesOf(files, opts.store.uri);
  const total = files.reduce((n, f) => n + (f.size ?? 0), 0);
  log.info(`downloading ${files.length} files (${formatBytes(total)}) from ${opts.store.uri}`);

  const parent = dirname(dest);
  const createdParent = await mkdir(parent, { recursive: true });
  await sweepStalePartials(parent, basename(dest), log);
  const temp = join(parent, `.${basename(dest)}.partial-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
  await mkdir(temp);
  const started = Date.now();
  try {
    // Every directory first, so that no write can recreate the temporary one after an abort removed it.
    for (const d of dirs) await mkdir(join(temp, d), { recursive: true });
    const sizes = await transferAll(files, temp, opts, log);
    opts.signal?.throwIfAborted();
    await rename(temp, dest).catch((e: unknown) => {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR') {
        throw new DownloadDirError(
          `download-dir '${opts.dest}' was filled by something else during the download; nothing was written`,
        );
      }
      throw e;
    });
    const bytes = sizes.reduce((a, b) => a + b, 0);
    log.info(
      `downloaded ${files.length} files, ${formatBytes(bytes)}, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return { dir: dest, files: files.length, bytes, listing: files.map((f, i) => ({ path: f.path, size: sizes[i]! })) };
  } catch (e) {
    await rm(temp, { recursive: true, force: true });
    if (createdParent) await removeEmptyUpTo(parent, createdParent);
    throw e;
  }
}

function checkDestination(dest: string, given: string): void {
  const problem = downloadDirProblem(dest);
  if (problem) throw new DownloadDirError(`download-dir '${given}' ${problem}`);
}

/** Every directory the files need, checking that no file's path is also a directory's. */
function directoriesOf(files: ArtifactFile[], uri: string): string[] {
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = f.path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  for (const f of files) {
    if (dirs.has(f.path)) throw new ServiceError(`${uri} lists '${f.path}' as a file and as a directory`);
  }
  // Deepest last is fine for mkdir -p; sorting keeps the work deterministic.
  return [...dirs].sort();
}

/** Hidden siblings left by a download whose process was killed outright (no longer running). */
async function sweepStalePartials(parent: string, name: string, log: Logger): Promise<void> {
  const pattern = new RegExp(`^\\.${escapeRegExp(name)}\\.partial-(\\d+)-[a-z0-9]+$`);
  for (const entry of await readdir(parent)) {
    const pid = Number(pattern.exec(entry)?.[1]);
    if (!pid || isRunning(pid)) continue;
    log.debug(`removing ${entry}, left by an interrupted download (process ${pid})`);
    await rm(join(parent, entry), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the directories mkdir -p created for the download (only while they are empty). */
async function removeEmptyUpTo(dir: string, top: string): Promise<void> {
  for (let d = dir; d.length >= top.length; d = dirname(d)) {
    try {
      await rmdir(d);
    } catch {
      return;
    }
    if (d === top) return;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
