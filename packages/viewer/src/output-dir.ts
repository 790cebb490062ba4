// Where the site goes, and writing it there all at once. Kept free of the site builder and the
// schema validator: the action's entry imports checkOutputDir to answer a bad input fast.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, parse, relative, resolve, sep } from 'node:path';

/** What a build of this viewer leaves in a directory: such a directory is replaced without `clean`. */
function isViewerBuild(dir: string, entries: string[]): boolean {
  return entries.every((name) => {
    if (name === 'index.html' || name === 'model_metadata.json') return true;
    if (name !== 'assets') return false;
    try {
      return readdirSync(join(dir, name)).every((f) => /^app-[0-9a-f]{8,}\.(js|css)$/.test(f));
    } catch {
      return false;
    }
  });
}

function isInside(child: string, parent: string): boolean {
  const r = relative(parent, child);
  return r === '' || (!r.startsWith('..') && !r.startsWith(sep) && r !== '..');
}

/**
 * The problem with writing the site to `dir`, or null. Refuses, whatever `clean` says, a directory
 * that holds the working directory or an input file: replacing it would delete them. Otherwise a
 * directory that holds anything but an earlier build of this viewer is refused unless `clean`.
 */
export function checkOutputDir(dir: string, opts: { clean: boolean; cwd?: string; inputs?: string[] }): string | null {
  const abs = resolve(dir);
  const cwd = resolve(opts.cwd ?? process.cwd());
  if (abs === parse(abs).root || isInside(cwd, abs)) {
    return (
      `input 'output-dir' ('${dir}') is the working directory or holds it: ` +
      'the whole directory is replaced, so name a directory of its own such as model-viewer-dist'
    );
  }
  for (const f of opts.inputs ?? []) {
    if (isInside(resolve(f), abs))
      return (
        `input 'output-dir' ('${dir}') holds the input file '${f}': ` +
        'write the site elsewhere (it gets its own copy of model_metadata.json)'
      );
  }
  let st;
  try {
    st = statSync(abs);
  } catch {
    return null; // created when the site is written
  }
  if (!st.isDirectory()) return `input 'output-dir' ('${dir}') is a file, not a directory`;
  const entries = readdirSync(abs);
  if (entries.length === 0 || opts.clean || isViewerBuild(abs, entries)) return null;
  const shown =
    entries
      .slice(0, 3)
      .map((e) => `'${e}'`)
      .join(', ') + (entries.length > 3 ? `, … (${entries.length} entries)` : '');
  return (
    `input 'output-dir' ('${dir}') already holds other files (${shown}): ` +
    'choose an empty directory, or set clean: true to replace its contents'
  );
}

export interface WriteResult {
  dir: string;
  files: string[];
  bytes: number;
}

/**
 * Writes every file into a temporary directory beside `dir`, then swaps it into place with
 * renames: a reader (or a publish step after a failed run) sees the old site or the new one,
 * never half of one. Throws Error (the caller words it for the user).
 */
export function writeSiteAtomically(dir: string, files: { path: string; data: string }[]): WriteResult {
  const abs = resolve(dir);
  const parent = dirname(abs);
  mkdirSync(parent, { recursive: true });
  const tmp = mkdtempSync(join(parent, `.${basename(abs)}.tmp-`));
  const old = `${tmp}-old`;
  let bytes = 0;
  let moved = false;
  try {
    for (const f of files) {
      const target = join(tmp, ...f.path.split('/'));
      mkdirSync(dirname(target), { recursive: true });
      const buf = Buffer.from(f.data, 'utf8');
      writeFileSync(target, buf, { flag: 'wx' });
      bytes += buf.length;
    }
    chmodSync(tmp, 0o755); // mkdtemp makes it private; a site is for reading
    if (existsSync(abs)) {
      renameSync(abs, old);
      moved = true;
    }
    renameSync(tmp, abs);
    if (moved) rmSync(old, { recursive: true, force: true });
  } catch (e) {
    if (moved && !existsSync(abs)) renameSync(old, abs); // put the previous site back
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return { dir: abs, files: files.map((f) => f.path), bytes };
}
