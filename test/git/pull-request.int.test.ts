import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceError } from '@mlflow-actions/action-kit/errors';
import { pullRequestBranch, writeBack, type WriteBackOptions } from '@mlflow-actions/git-writeback';
import { startGitServer, type GitServer } from '../setup/git-http.js';
import { captureLogger, FakePullRequests, setKey, tokenForms } from './fixtures.js';

let server: GitServer;
let seq = 0;
beforeAll(async () => {
  server = await startGitServer();
});
afterAll(async () => {
  await server?.close();
});

async function repo(branch = 'main'): Promise<string> {
  const name = `pr-repo-${++seq}`;
  await server.createRepo(name, { 'values.txt': 'image: v1\n' }, branch);
  return name;
}

function options(name: string, prs: FakePullRequests, extra: Partial<WriteBackOptions> = {}): WriteBackOptions {
  return {
    repository: server.repoUrl(name),
    token: server.token,
    branch: 'main',
    message: 'Deploy fraud-model v2\n\nPromoted by the pipeline.',
    authorName: 'Deploy Bot',
    authorEmail: 'deploy-bot@example.com',
    mode: 'pull-request',
    changeKey: 'fraud-model prod',
    pullRequests: prs,
    edit: setKey('values.txt', 'image', 'v2'),
    backoff: { baseMs: 5, maxMs: 50 },
    ...extra,
  };
}

describe('pull-request mode', () => {
  it('pushes a deterministic branch and opens a PR once; a second run updates the same PR', async () => {
    const name = await repo();
    const prs = new FakePullRequests();
    const mainBefore = await server.log(name, 'main');
    const logger = captureLogger();

    const first = await writeBack(options(name, prs), logger);
    const prBranch = pullRequestBranch('main', 'fraud-model prod');
    expect(prBranch).toBe('mlflow-actions/main/fraud-model-prod');
    expect(first).toMatchObject({
      changed: true,
      branch: prBranch,
      pullRequestNumber: 1,
      pullRequestUrl: 'https://example.test/pull/1',
    });
    expect(prs.prs).toHaveLength(1);
    expect(prs.prs[0]).toMatchObject({
      head: prBranch,
      base: 'main',
      title: 'Deploy fraud-model v2',
      body: 'Promoted by the pipeline.',
    });
    expect(await server.readFile(name, prBranch, 'values.txt')).toBe('image: v2\n');
    expect((await server.log(name, prBranch))[0]!.sha).toBe(first.commitSha);
    expect(await server.log(name, 'main')).toEqual(mainBefore); // the target branch is untouched

    // Same logical change, new value: same branch (force-pushed), same PR, updated.
    const second = await writeBack(
      options(name, prs, { edit: setKey('values.txt', 'image', 'v3'), message: 'Deploy fraud-model v3' }),
      logger,
    );
    expect(second).toMatchObject({ changed: true, branch: prBranch, pullRequestNumber: 1 });
    expect(second.commitSha).not.toBe(first.commitSha);
    expect(prs.prs).toHaveLength(1);
    expect(prs.prs[0]!.title).toBe('Deploy fraud-model v3');
    expect(prs.calls.filter((c) => c.startsWith('create'))).toHaveLength(1);
    expect(prs.calls).toContain('update 1');
    const branchLog = await server.log(name, prBranch);
    expect(branchLog.map((c) => c.sha)).toEqual([second.commitSha, mainBefore[0]!.sha]); // replaced, not stacked
    expect(await server.readFile(name, prBranch, 'values.txt')).toBe('image: v3\n');

    // Re-running the identical change does not churn the branch.
    const third = await writeBack(
      options(name, prs, { edit: setKey('values.txt', 'image', 'v3'), message: 'Deploy fraud-model v3' }),
      logger,
    );
    expect(third.commitSha).toBe(second.commitSha);
    expect((await server.log(name, prBranch))[0]!.sha).toBe(second.commitSha);
    expect(prs.prs).toHaveLength(1);

    expect(logger.lines.filter((l) => tokenForms(server.token).some((t) => l.includes(t)))).toEqual([]);
  });

  it('works where push mode is refused: a protected target branch', async () => {
    const name = await repo('protected');
    const prs = new FakePullRequests();
    const pushed = await writeBack(options(name, prs, { branch: 'protected', mode: 'push' })).catch((e: unknown) => e);
    expect((pushed as Error).message).toMatch(/mode: pull-request/);
    const r = await writeBack(options(name, prs, { branch: 'protected' }));
    expect(r).toMatchObject({
      changed: true,
      branch: 'mlflow-actions/protected/fraud-model-prod',
      pullRequestNumber: 1,
    });
    expect(prs.prs[0]!.base).toBe('protected');
  });

  it('two runs at once for the same change end with one PR', async () => {
    const name = await repo();
    const prs = new FakePullRequests();
    const results = await Promise.all([writeBack(options(name, prs)), writeBack(options(name, prs))]);
    expect(prs.prs).toHaveLength(1);
    expect(results.map((r) => r.pullRequestNumber)).toEqual([1, 1]);
  });

  it('dry run and no-op make no push and no PR call', async () => {
    const name = await repo();
    const prs = new FakePullRequests();
    const pushes = server.receivePackRequests();
    const dry = await writeBack(options(name, prs, { dryRun: true }));
    expect(dry).toMatchObject({ changed: true, dryRun: true });
    expect(dry.diff).toContain('+image: v2');
    const noop = await writeBack(options(name, prs, { edit: setKey('values.txt', 'image', 'v1') }));
    expect(noop.changed).toBe(false);
    expect(prs.calls).toEqual([]);
    expect(server.receivePackRequests()).toBe(pushes);
  });

  it('a read-only token is told it cannot push, and no PR is opened', async () => {
    const name = await repo();
    const prs = new FakePullRequests();
    const e = await writeBack(options(name, prs, { token: server.readOnlyToken })).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ServiceError);
    expect((e as Error).message).toMatch(/token cannot push .*403/);
    expect(prs.calls).toEqual([]);
  });

  it('needs a pullRequests client unless dry-running', async () => {
    const name = await repo();
    await expect(writeBack({ ...options(name, new FakePullRequests()), pullRequests: undefined })).rejects.toThrow(
      /needs a pullRequests client/,
    );
  });
});
