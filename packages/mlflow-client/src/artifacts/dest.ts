import { readdirSync } from 'node:fs';

/**
 * Why `dir` cannot receive a download, or undefined when it can: it must not exist yet, or be an
 * empty directory (the download is renamed into place, which replaces only an empty one). Shared
 * by the input check and the downloader, which checks again when it starts.
 */
export function downloadDirProblem(dir: string): string | undefined {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') return 'is a file: name a directory that does not exist yet';
    return `cannot be read (${code ?? (e as Error).message})`;
  }
  return entries.length > 0 ? 'already holds files: name a new directory, or remove it first' : undefined;
}
