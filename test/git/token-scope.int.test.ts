import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '@mlflow-actions/action-kit/errors';
import { checkRepository, chooseToken, writeBack, type WriteBackOptions } from '@mlflow-actions/git-writeback';
import { startGitServer, type GitServer, type RecordedRequest } from '../setup/git-http.js';
import { captureLogger, setKey } from './fixtures.js';

// Two real smart-HTTP git servers on two loopback addresses stand for two hosts: `github` is the
// job's GitHub server (GITHUB_SERVER_URL), `other` any other git host. Each records the
// Authorization header of every request, so the tests see exactly where a token went.
let github: GitServer;
let other: GitServer;
let n = 0;

beforeAll(async () => {
  github = await startGitServer({ host: '127.0.0.1' });
  other = await startGitServer({ host: '127.0.0.2', anonymousRead: true });
});
afterAll(async () => {
  await github?.close();
  await other?.close();
});

const base = {
  branch: 'main',
  message: 'set b',
  authorName: 'Bot',
  authorEmail: 'bot@example.com',
  edit: setKey('values.txt', 'b', '2'),
  backoff: { baseMs: 1, maxMs: 5 },
  maxAttempts: 1,
} satisfies Omit<WriteBackOptions, 'repository'>;

async function seed(server: GitServer): Promise<string> {
  const name = `scope-${++n}`;
  await server.createRepo(name, { 'values.txt': 'a: 1\n' });
  return name;
}

/** What the action layer does: choose the token for the repository, then write back with it. */
async function writeAs(repository: string, token: string | undefined, jobToken: string, serverUrl = github.url) {
  const checked = checkRepository(repository, serverUrl);
  if (!checked.ok) throw new InputError(`repository ${checked.problem}`);
  const choice = chooseToken({ token, jobToken, target: checked.value, serverUrl });
  const logger = captureLogger();
  const outcome = await writeBack({ ...base, repository, serverUrl, token: choice.token }, logger).then(
    (result) => ({ result, error: undefined }),
    (error: unknown) => ({ result: undefined, error: error as Error }),
  );
  return { ...outcome, choice, logger };
}

const carrying = (requests: RecordedRequest[], token: string) =>
  requests.filter(
    (r) =>
      r.authorization !== undefined &&
      Buffer.from(r.authorization.replace(/^Basic /, ''), 'base64')
        .toString()
        .includes(token),
  );
const authorized = (requests: RecordedRequest[]) => requests.filter((r) => r.authorization !== undefined);

describe('where a token goes', () => {
  it("the job's token reaches the job's GitHub server (owner/name there)", async () => {
    const name = await seed(github);
    const before = github.requests().length;
    const r = await writeAs(name.includes('/') ? name : `acme/${name}`, github.token, github.token).catch(
      (e: unknown) => ({
        error: e,
      }),
    );
    // acme/<name> does not exist: the server still proves the token was sent there (401 would mean none).
    const seen = github.requests().slice(before);
    expect(seen.length).toBeGreaterThan(0);
    expect(carrying(seen, github.token).length).toBe(seen.length);
    expect(String((r as { error?: Error }).error?.message)).toMatch(/not found \(HTTP 404\)/);
  });

  it("the job's token never reaches another host, even when passed explicitly", async () => {
    const name = await seed(other);
    const before = other.requests().length;
    const r = await writeAs(other.repoUrl(name), github.token, github.token);
    const seen = other.requests().slice(before);
    expect(seen.length).toBeGreaterThan(0); // git did talk to the other host
    expect(authorized(seen)).toEqual([]);
    expect(r.choice.warning).toMatch(
      /job's token is not sent to http:\/\/127\.0\.0\.2:\d+: it goes only to http:\/\/127\.0\.0\.1:\d+/,
    );
    // Anonymous read works there, the push does not: the failure says no token was given.
    expect(r.error?.message).toMatch(/needs a token and none was given/);
  });

  it('another port of the same address is another host', async () => {
    const third = await startGitServer({ host: '127.0.0.1' });
    try {
      const name = await seed(third);
      const r = await writeAs(third.repoUrl(name), github.token, github.token);
      expect(r.choice.token).toBeUndefined();
      expect(authorized(third.requests())).toEqual([]);
    } finally {
      await third.close();
    }
  });

  it('a token the user names reaches the named host only', async () => {
    const name = await seed(other);
    const githubBefore = github.requests().length;
    const before = other.requests().length;
    const r = await writeAs(other.repoUrl(name), other.token, github.token);
    expect(r.error).toBeUndefined();
    expect(r.result?.changed).toBe(true);
    const seen = other.requests().slice(before);
    expect(carrying(seen, other.token).length).toBeGreaterThan(0);
    expect(github.requests().length).toBe(githubBefore);
    // Plain http is allowed to loopback only, and said.
    expect(r.logger.lines.some((l) => /sent over plain http to 127\.0\.0\.2:\d+/.test(l))).toBe(true);
  });

  it('a redirect to another host or port receives no credentials, and is not followed', async () => {
    const target = await seed(other);
    const name = `moved-${++n}`;
    github.redirect(name, `${other.url}/${target}.git`);
    const otherBefore = other.requests().length;
    const r = await writeAs(github.repoUrl(name), github.token, 'not-the-job-token');
    expect(r.error?.message).toMatch(/answered with a redirect \(HTTP 301\), which is not followed/);
    // The first request went to the named host with the token; nothing at all reached the other one.
    expect(
      carrying(
        github.requests().filter((q) => q.path.includes(name)),
        github.token,
      ).length,
    ).toBeGreaterThan(0);
    expect(other.requests().slice(otherBefore)).toEqual([]);
  });

  it('plain http to an address that is not loopback is refused before any request', async () => {
    const before = github.requests().length;
    await expect(writeAs('http://192.0.2.10/acme/deploy.git', 'a-token', github.token)).rejects.toThrow(
      /repository must use https: plain http \(192\.0\.2\.10\) is allowed only to a loopback address/,
    );
    await expect(
      writeBack({ ...base, repository: 'http://192.0.2.10/acme/deploy.git', token: 'a-token' }, captureLogger()),
    ).rejects.toBeInstanceOf(InputError);
    expect(github.requests().length).toBe(before);
  });
});

describe('the hiera-bump bundle', () => {
  const hiera = 'model_viewer::artifact_version: "v1"\n';
  const run = async (server: GitServer, name: string, inputs: Record<string, string>, serverUrl: string) => {
    const { runActionBundle } = await import('../helpers/run-action.js');
    return runActionBundle(
      'hiera-bump',
      { repository: server.repoUrl(name), key: 'model_viewer::artifact_version', value: 'v2', ...inputs },
      { env: { GITHUB_SERVER_URL: serverUrl } },
    );
  };

  it("with the default token (the job's), sends nothing to a host other than GITHUB_SERVER_URL's", async () => {
    const name = `hb-${++n}`;
    await other.createRepo(name, { 'data/common.yaml': hiera });
    const before = other.requests().length;
    // As the runner fills them: token and job-token both default to github.token.
    const r = await run(other, name, { token: github.token, 'job-token': github.token }, github.url);
    expect(r.code).not.toBe(0);
    expect(authorized(other.requests().slice(before))).toEqual([]);
    expect(r.stdout).toMatch(/::warning::.*job's token is not sent to http:\/\/127\.0\.0\.2/);
  });

  it('with a token named for that host, writes there and sends nothing to GITHUB_SERVER_URL', async () => {
    const name = `hb-${++n}`;
    await other.createRepo(name, { 'data/common.yaml': hiera });
    const githubBefore = github.requests().length;
    const r = await run(other, name, { token: other.token, 'job-token': github.token }, github.url);
    expect(r.errors, r.stdout).toEqual([]);
    expect(r.outputs.changed).toBe('true');
    expect(github.requests().length).toBe(githubBefore);
  });

  it('refuses plain http to an address that is not loopback, naming the input', async () => {
    const { runActionBundle } = await import('../helpers/run-action.js');
    const r = await runActionBundle('hiera-bump', {
      repository: 'http://192.0.2.10/acme/puppet.git',
      token: 'a-token',
      key: 'k',
      value: 'v',
    });
    expect(r.code).not.toBe(0);
    expect(r.errors.join('\n')).toMatch(/input 'repository' must use https/);
  });
});
