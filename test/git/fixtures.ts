import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@mlflow-actions/action-kit/log';
import type { EditFn, PullRequestRef, PullRequests } from '@mlflow-actions/git-writeback';

/**
 * A line-based `key: value` edit, written here so these tests do not depend on the YAML package.
 * Like the real edits it reads the file as it is now, so re-running it after a lost race keeps
 * the other writers' keys.
 */
export function setKey(file: string, key: string, value: string): EditFn {
  return async (workdir) => {
    const path = join(workdir, file);
    const text = await readFile(path, 'utf8'); // a missing file throws ENOENT, as a real edit would
    const lines = text.split('\n').filter((l) => l !== '');
    const i = lines.findIndex((l) => l.startsWith(`${key}:`));
    const line = `${key}: ${value}`;
    if (lines[i] === line) return { changed: false, files: [file] };
    const old = i >= 0 ? lines[i]!.slice(key.length + 1).trim() : undefined;
    if (i >= 0) lines[i] = line;
    else lines.push(line);
    await writeFile(path, `${lines.join('\n')}\n`);
    return { changed: true, files: [file], detail: { key, old, value } };
  };
}

export function parseKeys(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
  );
}

export function captureLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    debug: (m) => lines.push(`debug: ${m}`),
    info: (m) => lines.push(`info: ${m}`),
    warning: (m) => lines.push(`warning: ${m}`),
  };
}

/** In-memory stand-in for the GitHub pulls API. */
export class FakePullRequests implements PullRequests {
  prs: { number: number; head: string; base: string; title: string; body: string; open: boolean }[] = [];
  calls: string[] = [];
  async findOpen(head: string, base: string): Promise<PullRequestRef | undefined> {
    this.calls.push(`findOpen ${head} ${base}`);
    const pr = this.prs.find((p) => p.open && p.head === head && p.base === base);
    return pr && { number: pr.number, url: `https://example.test/pull/${pr.number}` };
  }
  async create(pr: { head: string; base: string; title: string; body: string }): Promise<PullRequestRef> {
    this.calls.push(`create ${pr.head} ${pr.base}`);
    if (this.prs.some((p) => p.open && p.head === pr.head && p.base === pr.base)) {
      throw new Error('422 A pull request already exists');
    }
    const number = this.prs.length + 1;
    this.prs.push({ ...pr, number, open: true });
    return { number, url: `https://example.test/pull/${number}` };
  }
  async update(number: number, content: { title: string; body: string }): Promise<PullRequestRef> {
    this.calls.push(`update ${number}`);
    const pr = this.prs.find((p) => p.number === number);
    if (!pr) throw new Error(`404 no PR ${number}`);
    Object.assign(pr, content);
    return { number, url: `https://example.test/pull/${number}` };
  }
}

/** Every file under `dir` (the clone, .git included) that contains one of `secrets`. */
export async function filesContaining(dir: string, secrets: string[]): Promise<string[]> {
  const { readdir } = await import('node:fs/promises');
  const hits: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const content = await readFile(path);
    if (secrets.some((s) => content.includes(s))) hits.push(path);
  }
  return hits;
}

export function tokenForms(token: string): string[] {
  return [token, Buffer.from(`x-access-token:${token}`).toString('base64')];
}
