import { createHash } from 'node:crypto';
import { closeSync, lstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import picomatch from 'picomatch';
import { InputError } from '@mlflow-actions/action-kit/errors';
import { mapLimit } from '@mlflow-actions/action-kit/concurrency';
import { keyPathProblem } from './validate.js';

/**
 * Lists the files to publish. Everything under source-dir is published except what the user's
 * `exclude` globs name: no built-in ignore list, so nothing disappears silently. Problems (a
 * symlink pointing outside source-dir, a name that would escape the prefix, a socket...) are
 * collected and reported together, so one run shows all of them.
 *
 * The walk uses synchronous calls: nothing else runs meanwhile (the store is asked nothing before
 * source-dir is known to be fine), and a site has thousands of small files, for which a
 * thread-pool round trip per lstat costs more than the call itself.
 */

export interface LocalFile {
  /** Path relative to source-dir with "/" separators; also the key suffix under the version. */
  path: string;
  /** Absolute path to read (a symlink's target when the entry is a symlink). */
  absPath: string;
  size: number;
  /** Filled in by hashFiles. */
  sha256?: string;
}

export interface WalkResult {
  files: LocalFile[];
  excluded: string[];
}

// async although the walk is synchronous: callers await it, and a bad source-dir rejects.
// eslint-disable-next-line @typescript-eslint/require-await
export async function walkSourceDir(sourceDir: string, exclude: readonly string[] = []): Promise<WalkResult> {
  if (!sourceDir) throw new InputError('source-dir is empty; set it to the directory to publish');
  let root: string;
  try {
    root = realpathSync(sourceDir);
  } catch {
    throw new InputError(`source-dir "${sourceDir}" does not exist`);
  }
  if (!statSync(root).isDirectory()) throw new InputError(`source-dir "${sourceDir}" is not a directory`);

  const excluded = picomatch(
    exclude.filter((g) => g.trim() !== ''),
    { dot: true },
  );
  const files: LocalFile[] = [];
  const skipped: string[] = [];
  const problems: string[] = [];
  // Real paths of directories already walked: a symlink to a directory inside source-dir is
  // followed, but a loop (a link to an ancestor) must not walk forever.
  const seenDirs = new Set<string>([root]);

  const inside = (real: string) => {
    const r = relative(root, real);
    return r === '' || (!isAbsolute(r) && r !== '..' && !r.startsWith('../'));
  };

  const walk = (dirAbs: string, dirRel: string): void => {
    const entries = readdirSync(dirAbs, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const rel = dirRel ? `${dirRel}/${entry.name}` : entry.name;
      const abs = join(dirAbs, entry.name);
      // Excluded entries are not looked at further: excluding a stray link or an odd name is
      // the way out of the checks below. (Directories are walked; the globs match files.)
      if (!entry.isDirectory() && excluded(rel)) {
        skipped.push(rel);
        continue;
      }
      const problem = keyPathProblem(rel, 'file name');
      if (problem) {
        problems.push(problem);
        continue;
      }
      let target = abs;
      let info = lstatSync(abs);
      if (info.isSymbolicLink()) {
        let real: string;
        try {
          real = realpathSync(abs);
        } catch {
          problems.push(`symlink "${rel}" is broken`);
          continue;
        }
        if (!inside(real)) {
          problems.push(`symlink "${rel}" points outside source-dir (to ${real})`);
          continue;
        }
        target = real;
        info = statSync(real);
      }
      if (info.isDirectory()) {
        if (seenDirs.has(target)) continue;
        seenDirs.add(target);
        walk(target, rel);
      } else if (info.isFile()) {
        if (excluded(rel))
          skipped.push(rel); // a link inside source-dir to a directory's file
        else files.push({ path: rel, absPath: target, size: info.size });
      } else {
        problems.push(`"${rel}" is not a regular file or directory`);
      }
    }
  };
  walk(root, '');

  if (problems.length) throw new InputError(problems);
  if (files.length === 0) {
    throw new InputError(
      skipped.length
        ? `source-dir "${sourceDir}" has no files left after exclude (${skipped.length} excluded)`
        : `source-dir "${sourceDir}" is empty; build the site before publishing`,
    );
  }
  return { files, excluded: skipped };
}

/** Files up to this size are read whole (one synchronous read) to be hashed or uploaded. */
export const SMALL_FILE = 1024 * 1024;
const SLICE = 1024 * 1024;

/** SHA-256 (hex) of bytes in memory. */
export function sha256Of(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * SHA-256 of a file, read in slices into one reused buffer, so a large model file is never held
 * in memory and hashing a gigabyte does not leave a thousand buffers to the garbage collector (as
 * a read stream does).
 */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  const file = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(SLICE);
    for (;;) {
      const { bytesRead } = await file.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}

/**
 * Reads a small file whole, synchronously, into `into` when it fits (one open, read and close:
 * no stat, no allocation), else into a new buffer. Returns the bytes read, which may differ from
 * `size` if the file changed since it was listed.
 */
export function readSmallFile(path: string, size: number, into?: Buffer): Buffer {
  const buf = into && into.length > size ? into : Buffer.allocUnsafe(size + 1);
  const fd = openSync(path, 'r');
  try {
    // One byte more than expected, to notice a file that grew.
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, size + 1 - n, null);
      if (got === 0) break;
      n += got;
      if (n === size + 1) break;
    }
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a file whole, in large reads (a model file of tens of MB takes a few thread-pool round
 * trips, not a hundred), into `into` when given (it must hold size + 1 bytes) or a new buffer.
 * Returns the bytes read, which may differ from `size` if the file changed since it was listed.
 */
export async function readFileExact(path: string, size: number, into?: Buffer): Promise<Buffer> {
  const buf = into ?? Buffer.allocUnsafe(size + 1);
  if (buf.length < size + 1)
    throw new RangeError(`a buffer of ${buf.length} bytes cannot hold ${path} (${size} bytes)`);
  const file = await open(path, 'r');
  try {
    let n = 0;
    while (n < size + 1) {
      const { bytesRead } = await file.read(buf, n, Math.min(size + 1 - n, 8 * SLICE), null);
      if (bytesRead === 0) break;
      n += bytesRead;
    }
    return buf.subarray(0, n);
  } finally {
    await file.close();
  }
}

/**
 * Buffers for files read whole, kept for the next file: a fresh allocation of tens of MB costs
 * more in page faults (and later in freeing it) than reading the file into memory that is already
 * mapped, about 0.4 s of system time per GB here. Sizes are rounded up (to 1 MiB below 8 MiB, to
 * 8 MiB above) so that files of similar size share buffers; at most `keep` bytes wait unused.
 */
export class BufferPool {
  private free: Buffer[] = [];
  private freeBytes = 0;
  constructor(private readonly keep: number) {}

  /** The length of the buffer `take(size)` returns when it has to allocate one. */
  static slabFor(size: number): number {
    const step = size < 8 * SLICE ? SLICE : 8 * SLICE;
    return Math.ceil((size + 1) / step) * step;
  }

  /** A buffer of at least size + 1 bytes: the smallest unused one that fits, or a new one. */
  take(size: number): Buffer {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const b = this.free[i]!;
      if (b.length > size && (best < 0 || b.length < this.free[best]!.length)) best = i;
    }
    if (best >= 0) {
      const [b] = this.free.splice(best, 1);
      this.freeBytes -= b!.length;
      return b!;
    }
    return Buffer.allocUnsafeSlow(BufferPool.slabFor(size));
  }

  /** Hands a buffer back once nothing refers to its contents any more. */
  give(b: Buffer): void {
    if (this.freeBytes + b.length > this.keep) return;
    this.free.push(b);
    this.freeBytes += b.length;
  }
}

/** Resolves on the next turn of the event loop, after pending I/O callbacks. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface HashOptions {
  /** Large files hashed at once (each in 1 MiB slices). */
  concurrency: number;
  /** Checked between slices of small files: true stops hashing (the rest stay unhashed). */
  stop?: () => boolean;
}

/**
 * Hashes the files that have no hash yet. Small files (a site's bulk) are read synchronously,
 * about 1 MB at a time, yielding to the event loop between slices so that requests in flight (the
 * listing of what is stored) progress meanwhile: a read stream per 5 KB file costs several
 * thread-pool round trips and more than the hashing itself. Large files are read in slices.
 */
export async function hashFiles(files: readonly LocalFile[], o: HashOptions): Promise<void> {
  const small = files.filter((f) => f.sha256 === undefined && f.size <= SMALL_FILE);
  const large = files.filter((f) => f.sha256 === undefined && f.size > SMALL_FILE);
  const hashSmall = async () => {
    const scratch = Buffer.allocUnsafe(SMALL_FILE + 1);
    let slice = 0;
    for (const f of small) {
      if (o.stop?.()) return;
      // A file that changed size since the walk, or is gone, is left unhashed: its upload reads it
      // again and fails with one line (upload.ts), rather than recording a hash of other bytes.
      const bytes = ifNotRemoved(() => readSmallFile(f.absPath, f.size, scratch));
      if (bytes?.length === f.size) f.sha256 = sha256Of(bytes);
      slice += f.size + 4096;
      if (slice > SLICE) {
        slice = 0;
        await nextTurn();
      }
    }
  };
  await Promise.all([
    hashSmall(),
    mapLimit(large, Math.max(1, Math.min(o.concurrency, 2)), async (f) => {
      if (o.stop?.()) return;
      f.sha256 = await sha256File(f.absPath).catch((e: unknown) => {
        if (isRemoved(e)) return undefined;
        throw e;
      });
    }),
  ]);
}

/** Whether a read failed because the file is gone. */
export function isRemoved(e: unknown): boolean {
  return (e as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

/** The read's result, or undefined when the file is gone; other errors are thrown. */
function ifNotRemoved<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (e) {
    if (isRemoved(e)) return undefined;
    throw e;
  }
}

export function hexToBase64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

export function base64ToHex(b64: string): string {
  return Buffer.from(b64, 'base64').toString('hex');
}
