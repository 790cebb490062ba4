import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
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

export async function walkSourceDir(sourceDir: string, exclude: readonly string[] = []): Promise<WalkResult> {
  if (!sourceDir) throw new InputError('source-dir is empty; set it to the directory to publish');
  let root: string;
  try {
    root = await realpath(sourceDir);
  } catch {
    throw new InputError(`source-dir "${sourceDir}" does not exist`);
  }
  if (!(await stat(root)).isDirectory()) throw new InputError(`source-dir "${sourceDir}" is not a directory`);

  const excluded = picomatch(exclude.filter((g) => g.trim() !== ''), { dot: true });
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

  const walk = async (dirAbs: string, dirRel: string): Promise<void> => {
    const entries = await readdir(dirAbs, { withFileTypes: true });
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
      let info = await lstat(abs);
      if (info.isSymbolicLink()) {
        let real: string;
        try {
          real = await realpath(abs);
        } catch {
          problems.push(`symlink "${rel}" is broken`);
          continue;
        }
        if (!inside(real)) {
          problems.push(`symlink "${rel}" points outside source-dir (to ${real})`);
          continue;
        }
        target = real;
        info = await stat(real);
      }
      if (info.isDirectory()) {
        if (seenDirs.has(target)) continue;
        seenDirs.add(target);
        await walk(target, rel);
      } else if (info.isFile()) {
        if (excluded(rel)) skipped.push(rel); // a link inside source-dir to a directory's file
        else files.push({ path: rel, absPath: target, size: info.size });
      } else {
        problems.push(`"${rel}" is not a regular file or directory`);
      }
    }
  };
  await walk(root, '');

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

/** SHA-256 of a file, streamed so a large model file is never held in memory. */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')));
  });
}

export async function hashFiles(files: LocalFile[], concurrency: number): Promise<void> {
  await mapLimit(files, Math.min(concurrency, 4), async (f) => {
    f.sha256 = await sha256File(f.absPath);
  });
}

export function hexToBase64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

export function base64ToHex(b64: string): string {
  return Buffer.from(b64, 'base64').toString('hex');
}

