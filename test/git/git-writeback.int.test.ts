import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceError } from '@mlflow-actions/action-kit/errors';
import { writeBack, type WriteBackOptions } from '@mlflow-actions/git-writeback';
import { startGitServer, type GitServer } from '../setup/git-http.js';
import { captureLogger, filesContaining, setKey, tokenForms } from './fixtures.js';

let server: GitServer;
let seq = 0;

beforeAll(async () => {
  server = await startGitServer();
});
afterAll(async () => {
  await server?.close();
});

/** A fresh repository per test, so tests never see each other's commits. */
async function repo(
  files: Record<string, string> = { 'values.txt': 'a: 1\n' },
  branch = 'main',
): Promise<{ name: string; url: string }> {
  const name = `repo-${++seq}`;
  return { name, url: await server.createRepo(name, files, branch) };
}

/**
 * Runs writeBack with a capturing logger and, before the clone is removed, collects every file of
 * it that holds the token in any form — each test then asserts there are none.
 */
async function runWith(overrides: Partial<WriteBackOptions> & Pick<WriteBackOptions, 'repository'>) {
  const logger = captureLogger();
  const leaks: string[] = [];
  let configText = '';
  const token = overrides.token ?? server.token;
  const options = {
    token: server.token,
    branch: 'main',
    message: 'deploy: set b to 2\n\nbody line',
    authorName: 'Deploy Bot',
    authorEmail: 'deploy-bot@example.com',
    edit: setKey('values.txt', 'b', '2'),
    backoff: { baseMs: 5, maxMs: 50 },
    ...overrides,
    beforeCleanup: async (workdir: string) => {
      configText = await readFile(join(workdir, '.git', 'config'), 'utf8').catch(() => '');
      leaks.push(...(await filesContaining(workdir, tokenForms(token))));
    },
  };
  const outcome = await writeBack(options, logger).then(
    (result) => ({ result, error: undefined }),
    (error: unknown) => ({ result: undefined, error }),
  );
  const logLeaks = logger.lines.filter((l) => tokenForms(token).some((s) => l.includes(s)));
  return { ...outcome, logger, leaks, logLeaks, configText, token };
}

function expectNoLeaks(r: Awaited<ReturnType<typeof runWith>>) {
  expect(r.configText).not.toBe(''); // the hook did run on a real clone
  expect(r.leaks).toEqual([]);
  expect(r.logLeaks).toEqual([]);
  for (const form of tokenForms(r.token)) expect(r.configText).not.toContain(form);
  if (r.error instanceof Error) for (const form of tokenForms(r.token)) expect(r.error.message).not.toContain(form);
}

function expectServiceError(error: unknown, pattern: RegExp): ServiceError {
  expect(error).toBeInstanceOf(ServiceError);
  const e = error as ServiceError;
  expect(e.message).toMatch(pattern);
  expect(e.message).not.toContain('\n');
  return e;
}

describe('reading the source branch of a promotion', () => {
  it('reads many files with one git process, byte for byte as one read each', async () => {
    const files: Record<string, string> = {
      'apps/a.yaml': 'image: ghcr.io/acme/a:1.0.0\n',
      'apps/naïve ✓.yaml': 'name: "Zoë — ünïcode ✓"\n',
      'apps/no-newline.yaml': 'a: 1',
      'apps/empty.yaml': '',
      // Content that looks like the batch protocol's own header lines must not confuse it.
      'apps/tricky.yaml': `${'0'.repeat(40)} blob 3\nabc\n\n${'f'.repeat(40)} missing\n`,
      'apps/line\nbreak.yaml': 'b: 2\n', // cannot go through the batch (one name per line): read alone
    };
    const name = `repo-${++seq}`;
    const url = await server.createRepo(name, files, 'staging');
    await server.createRepo(name, { 'values.txt': 'a: 1\n' }, 'main');
    const asked = [...Object.keys(files), 'apps/missing.yaml', 'apps'];
    let many: Map<string, string | undefined> | undefined;
    const single = new Map<string, string | undefined>();
    const r = await runWith({
      repository: url,
      sourceBranch: 'staging',
      edit: async (_workdir, context) => {
        many = await context.source!.readMany!(asked);
        for (const p of asked) single.set(p, await context.source!.read(p));
        return { changed: false, files: [] };
      },
    });
    expect(r.error).toBeUndefined();
    expect([...many!.keys()].sort()).toEqual([...asked].sort());
    for (const p of asked) expect(many!.get(p), p).toBe(single.get(p));
    for (const [p, text] of Object.entries(files)) expect(many!.get(p), p).toBe(text);
    expect(many!.get('apps/missing.yaml')).toBeUndefined();
    expect(many!.get('apps')).toBeUndefined(); // a directory is not a file
    // One `cat-file --batch` for all but the path with a newline, which `cat-file blob` read alone.
    const catFiles = r.logger.lines.filter((l) => /git cat-file (--batch|blob)/.test(l));
    expect(catFiles.filter((l) => l.includes('--batch'))).toHaveLength(1);
    expect(catFiles.filter((l) => l.includes('cat-file blob')).length).toBe(1 + asked.length); // the one fallback, then `read` for each
    expectNoLeaks(r);
  });
});

describe('writeBack over authenticated smart HTTP', () => {
  it('clones, commits with the given author and message, and pushes', async () => {
    const { name, url } = await repo();
    const r = await runWith({ repository: url });
    expect(r.error).toBeUndefined();
    expectNoLeaks(r);
    const result = r.result!;
    expect(result).toMatchObject({
      changed: true,
      attempts: 1,
      dryRun: false,
      branch: 'main',
      detail: { key: 'b', value: '2' },
    });
    expect(result.diff).toContain('+b: 2');
    expect(result.diff).toContain('--- a/values.txt');

    const log = await server.log(name, 'main');
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({
      sha: result.commitSha,
      authorName: 'Deploy Bot',
      authorEmail: 'deploy-bot@example.com',
      committerName: 'Deploy Bot',
      committerEmail: 'deploy-bot@example.com',
      subject: 'deploy: set b to 2',
    });
    expect(log[1]!.sha).toBe(result.baseSha);
    expect(await server.readFile(name, 'main', 'values.txt')).toBe('a: 1\nb: 2\n');
    const body = await server.git(name, ['show', '-s', '--format=%B', result.commitSha!]);
    expect(body.trim()).toBe('deploy: set b to 2\n\nbody line');
    // The clone's remote is the bare URL: the token lives in the environment of each git command only.
    expect(r.configText).toContain(`url = ${url}`);
    expect(r.configText).not.toMatch(/extraheader|credential/i);
  });

  it('resolves owner/name against serverUrl', async () => {
    await server.createRepo('acme/deploy', { 'values.txt': 'a: 1\n' });
    const r = await runWith({ repository: 'acme/deploy', serverUrl: server.url });
    expect(r.error).toBeUndefined();
    expect(await server.readFile('acme/deploy', 'main', 'values.txt')).toBe('a: 1\nb: 2\n');
  });

  it('makes no commit when the edit changes nothing', async () => {
    const { name, url } = await repo({ 'values.txt': 'a: 1\nb: 2\n' });
    const before = await server.log(name, 'main');
    const r = await runWith({ repository: url });
    expect(r.error).toBeUndefined();
    expectNoLeaks(r);
    expect(r.result).toMatchObject({ changed: false, attempts: 1, diff: '' });
    expect(r.result!.commitSha).toBeUndefined();
    expect(r.result!.baseSha).toBe(before[0]!.sha);
    expect(await server.log(name, 'main')).toEqual(before);
    expect(r.logger.lines.some((l) => l.includes('no change'))).toBe(true);
  });

  it('dry run returns the diff and pushes nothing', async () => {
    const { name, url } = await repo();
    const before = await server.log(name, 'main');
    const pushesBefore = server.receivePackRequests();
    const r = await runWith({ repository: url, dryRun: true });
    expect(r.error).toBeUndefined();
    expectNoLeaks(r);
    expect(r.result).toMatchObject({ changed: true, dryRun: true, attempts: 1 });
    expect(r.result!.commitSha).toBeUndefined();
    expect(r.result!.diff).toMatch(/^diff --git a\/values.txt b\/values.txt/);
    expect(r.result!.diff).toContain('+b: 2');
    expect(server.receivePackRequests()).toBe(pushesBefore);
    expect(await server.log(name, 'main')).toEqual(before);
  });

  it('keepWorkdir leaves the clone and returns its path', async () => {
    const { url } = await repo();
    const r = await runWith({ repository: url, keepWorkdir: true, dryRun: true });
    const workdir = r.result!.workdir!;
    expect(await readFile(join(workdir, 'values.txt'), 'utf8')).toBe('a: 1\nb: 2\n');
    expect(await filesContaining(workdir, tokenForms(server.token))).toEqual([]);
    const { rm } = await import('node:fs/promises');
    await rm(workdir, { recursive: true, force: true });
  });

  it('names the branch and repository when the branch does not exist', async () => {
    const { url } = await repo();
    const r = await runWith({ repository: url, branch: 'nope' });
    const e = expectServiceError(r.error, /branch "nope" does not exist in http:\/\/127\.0\.0\.1:\d+\/repo-\d+\.git/);
    expect(e.code).toBe('branch-not-found');
    expectNoLeaks(r);
  });

  it('says authentication failed for a bad token', async () => {
    const { url } = await repo();
    const r = await runWith({ repository: url, token: 'ghs_not_a_valid_token' });
    const e = expectServiceError(r.error, /authentication failed .*401.*token/);
    expect(e.status).toBe(401);
    expectNoLeaks(r);
  });

  it('says a token is needed when none is given', async () => {
    const { url } = await repo();
    const r = await runWith({ repository: url, token: '' });
    expectServiceError(r.error, /authentication failed .*401.*none was given/);
  });

  it('says a read-only token cannot push (403) — and lets it dry-run', async () => {
    const { name, url } = await repo();
    const r = await runWith({ repository: url, token: server.readOnlyToken });
    const e = expectServiceError(r.error, /token cannot push to .*403/);
    expect(e.status).toBe(403);
    expectNoLeaks(r);
    expect(await server.log(name, 'main')).toHaveLength(1);

    const dry = await runWith({ repository: url, token: server.readOnlyToken, dryRun: true });
    expect(dry.error).toBeUndefined();
    expect(dry.result!.diff).toContain('+b: 2');
  });

  it('explains a protected-branch rejection and suggests pull-request mode', async () => {
    const { name, url } = await repo({ 'values.txt': 'a: 1\n' }, 'protected');
    const r = await runWith({ repository: url, branch: 'protected' });
    const e = expectServiceError(
      r.error,
      /protected branch.*Changes must be made through a pull request.*mode: pull-request/,
    );
    expect(e.code).toBe('protected-branch');
    expect(r.result).toBeUndefined();
    expectNoLeaks(r);
    expect(await server.log(name, 'protected')).toHaveLength(1);
  });

  it('says the repository was not found', async () => {
    const r = await runWith({ repository: `${server.url}/no-such-repo.git` });
    const e = expectServiceError(r.error, /repository http:\/\/127\.0\.0\.1:\d+\/no-such-repo\.git not found/);
    expect(e.status).toBe(404);
    expectNoLeaks(r);
  });

  it('lets an error of the edit (a missing file) propagate unchanged', async () => {
    const { url } = await repo({ 'other.txt': 'x\n' });
    const r = await runWith({ repository: url });
    expect(r.error).not.toBeInstanceOf(ServiceError);
    expect((r.error as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect((r.error as Error).message).toContain('values.txt');
    expectNoLeaks(r);
  });

  it('rejects bad inputs before any network call', async () => {
    await expect(
      writeBack({
        repository: 'https://user:secret@example.com/a/b.git',
        branch: 'main',
        message: 'm',
        authorName: 'a',
        authorEmail: 'a@b',
        edit: setKey('f', 'k', 'v'),
      }),
    ).rejects.toThrow(/must not hold credentials/);
    await expect(
      writeBack({
        repository: 'a/b',
        branch: 'bad..name',
        message: '',
        authorName: 'a',
        authorEmail: 'a@b',
        edit: setKey('f', 'k', 'v'),
      }),
    ).rejects.toThrow(
      /branch is not a valid branch name \('bad..name': it holds \.\.\); commit message must not be empty/,
    );
  });
});
