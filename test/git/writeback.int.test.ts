import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBack, type WriteBackOptions } from '../../packages/git-writeback/src/index.js';
import type { Logger } from '../../packages/action-kit/src/log.js';
import { startGitServer, type GitServer } from '../setup/git-http.js';

/**
 * The write-back engine against a real git server over smart HTTP with token authentication
 * (git http-backend behind a node server that checks the token, see test/setup/git-http.ts).
 */
let server: GitServer;
beforeAll(async () => {
  server = await startGitServer();
});
afterAll(() => server.close());

function capture(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, debug: (m) => lines.push(m), info: (m) => lines.push(m), warning: (m) => lines.push(m) };
}

/** An edit that sets `key: value` in a line-based file, computed from what is on disk each time. */
function setLine(file: string, key: string, value: string): WriteBackOptions['edit'] {
  return async (dir) => {
    const path = join(dir, file);
    if (!existsSync(path)) throw new Error(`file '${file}' not found in the repository`);
    const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
    const i = lines.findIndex((l) => l.startsWith(`${key}:`));
    const next = `${key}: ${value}`;
    if (i >= 0 && lines[i] === next) return { changed: false, files: [file] };
    if (i >= 0) lines[i] = next;
    else lines.push(next);
    writeFileSync(path, lines.join('\n') + '\n');
    return { changed: true, files: [file], detail: { key, value } };
  };
}

let n = 0;
async function repo(
  files: Record<string, string> = { 'data/common.yaml': 'a: 1\n' },
  branch = 'main',
): Promise<string> {
  const name = `repo-${++n}`;
  await server.createRepo(name, files, branch);
  return name;
}

const base = (name: string, extra: Partial<WriteBackOptions> = {}): WriteBackOptions => ({
  repository: server.repoUrl(name),
  token: server.token,
  branch: 'main',
  message: 'Deploy model-viewer 3',
  authorName: 'Deploy Bot',
  authorEmail: 'deploy-bot@example.com',
  edit: setLine('data/common.yaml', 'a', '2'),
  backoff: { baseMs: 5, maxMs: 50 },
  ...extra,
});

describe('git write-back over authenticated smart HTTP', () => {
  it('clones, commits with the given author, pushes; the token never reaches .git/config or the log', async () => {
    const name = await repo();
    const log = capture();
    let config = '';
    const r = await writeBack(
      { ...base(name), beforeCleanup: (dir) => void (config = readFileSync(join(dir, '.git', 'config'), 'utf8')) },
      log,
    );
    expect(r.changed).toBe(true);
    expect(r.attempts).toBe(1);
    const [head] = await server.log(name, 'main');
    expect(head).toMatchObject({
      sha: r.commitSha,
      authorName: 'Deploy Bot',
      authorEmail: 'deploy-bot@example.com',
      subject: 'Deploy model-viewer 3',
    });
    expect(await server.readFile(name, 'main', 'data/common.yaml')).toBe('a: 2\n');
    expect(r.diff).toContain('-a: 1');
    expect(r.diff).toContain('+a: 2');
    expect(config).not.toBe('');
    expect(config).not.toContain(server.token);
    expect(config).not.toMatch(/extraheader|authorization/i);
    expect(log.lines.join('\n')).not.toContain(server.token);
    expect(JSON.stringify(r)).not.toContain(server.token);
  });

  it('an unchanged value makes no commit and says so', async () => {
    const name = await repo({ 'data/common.yaml': 'a: 2\n' });
    const before = await server.log(name, 'main');
    const r = await writeBack(base(name));
    expect(r.changed).toBe(false);
    expect(r.commitSha).toBeUndefined();
    expect(await server.log(name, 'main')).toEqual(before);
  });

  it('dry-run returns the diff and pushes nothing', async () => {
    const name = await repo();
    const pushesBefore = server.receivePackRequests();
    const r = await writeBack(base(name, { dryRun: true }));
    expect(r.dryRun).toBe(true);
    expect(r.diff).toContain('+a: 2');
    expect(server.receivePackRequests()).toBe(pushesBefore);
    expect(await server.readFile(name, 'main', 'data/common.yaml')).toBe('a: 1\n');
  });

  it.each([
    ['no such branch', (name: string) => base(name, { branch: 'nope' }), /branch ["']nope["'] does not exist/],
    [
      'a bad token, said as authentication',
      (name: string) => base(name, { token: 'wrong-token' }),
      /(authenticat|401|rejected)/i,
    ],
    [
      'a token that cannot push',
      (name: string) => base(name, { token: server.readOnlyToken }),
      /(cannot push|not allowed to push|403|permission)/i,
    ],
    [
      'no such repository',
      () => ({ ...base('x'), repository: server.repoUrl('does-not-exist') }),
      /(not found|does not exist)/i,
    ],
  ])('%s: one clear line, nothing pushed', async (_label, opts, pattern) => {
    const name = await repo();
    const before = await server.log(name, 'main');
    const err = (await writeBack(opts(name)).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(pattern);
    expect(err.message).not.toContain('\n');
    expect(err.message).not.toContain(server.token);
    expect(err.message).not.toContain(server.readOnlyToken);
    expect(await server.log(name, 'main')).toEqual(before);
  });

  it('a protected branch that rejects the push suggests pull-request mode', async () => {
    const name = await repo({ 'data/common.yaml': 'a: 1\n' }, 'protected');
    const err = (await writeBack(base(name, { branch: 'protected' })).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/protected/i);
    expect(err.message).toMatch(/pull-request/);
    expect(await server.readFile(name, 'protected', 'data/common.yaml')).toBe('a: 1\n');
  });

  it("a missing file fails with the edit's own message and pushes nothing", async () => {
    const name = await repo();
    const err = (await writeBack(base(name, { edit: setLine('data/missing.yaml', 'a', '1') })).catch(
      (e: unknown) => e,
    )) as Error;
    expect(err.message).toMatch(/file 'data\/missing\.yaml' not found/);
  });
});

// Races (20 concurrent writers, different keys and the same key) are in races.int.test.ts.
