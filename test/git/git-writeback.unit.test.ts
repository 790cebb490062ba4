import { describe, expect, it } from 'vitest';
import { InputError } from '@mlflow-actions/action-kit/errors';
import {
  backoffDelay,
  basicAuthHeader,
  classifyGitFailure,
  classifyPush,
  gitEnvironment,
  isValidBranchName,
  pullRequestBranch,
  resolveRepositoryUrl,
  slugify,
} from '@mlflow-actions/git-writeback';

const ctx = { repository: 'https://github.com/acme/deploy.git', branch: 'main', hasToken: true };
const push = { ...ctx, operation: 'push' as const, mode: 'push' as const };

describe('repository URLs', () => {
  it('maps owner/name onto the server URL', () => {
    expect(resolveRepositoryUrl('acme/deploy')).toBe('https://github.com/acme/deploy.git');
    expect(resolveRepositoryUrl('acme/deploy.git', 'https://ghe.example.com/')).toBe(
      'https://ghe.example.com/acme/deploy.git',
    );
    expect(resolveRepositoryUrl('https://gitlab.example.com/group/sub/repo.git')).toBe(
      'https://gitlab.example.com/group/sub/repo.git',
    );
  });
  it('refuses credentials in the URL without echoing them', () => {
    const e = (() => {
      try {
        resolveRepositoryUrl('https://x-access-token:ghs_secret@github.com/a/b.git');
      } catch (err) {
        return err as Error;
      }
    })();
    expect(e).toBeInstanceOf(InputError);
    expect(e!.message).not.toContain('ghs_secret');
  });
  it('refuses other schemes and junk', () => {
    expect(() => resolveRepositoryUrl('git@github.com:a/b.git')).toThrow(InputError);
    expect(() => resolveRepositoryUrl('ssh://github.com/a/b.git')).toThrow(/https URL/);
  });
});

describe('branch names', () => {
  it('follows git check-ref-format', () => {
    for (const ok of ['main', 'release/2024.1', 'mlflow-actions/main/fraud-model-prod'])
      expect(isValidBranchName(ok)).toBe(true);
    for (const bad of ['', '-x', 'a..b', 'a b', 'a~1', 'x.lock', 'a//b', '/a', 'a/', '.hidden', 'a@{1}', 'a:b'])
      expect(isValidBranchName(bad)).toBe(false);
  });
  it('derives a deterministic, valid pull-request branch from the change key', () => {
    expect(pullRequestBranch('main', 'Fraud Model / prod')).toBe('mlflow-actions/main/fraud-model-prod');
    expect(pullRequestBranch('main', 'Fraud Model / prod')).toBe(pullRequestBranch('main', 'Fraud Model / prod'));
    const long = slugify('x'.repeat(100));
    expect(long.length).toBeLessThanOrEqual(60);
    expect(slugify('x'.repeat(100))).not.toBe(slugify(`${'x'.repeat(99)}y`));
    expect(isValidBranchName(pullRequestBranch('main', '...weird..key.lock'))).toBe(true);
    expect(slugify('***')).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe('the git environment', () => {
  const URL_ = 'https://git.example.com/acme/deploy.git';
  const env = gitEnvironment(
    {
      token: 'ghs_secret',
      tokenUrl: URL_,
      author: { name: 'Bot', email: 'bot@example.com' },
      hooksPath: '/nonexistent',
    },
    {
      PATH: '/usr/bin',
      GIT_DIR: '/elsewhere',
      GIT_TRACE_CURL: '1',
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'x.y',
      GIT_CONFIG_VALUE_0: 'z',
    },
  );
  const config = Object.fromEntries(
    Array.from({ length: Number(env.GIT_CONFIG_COUNT) }, (_, i) => [
      i,
      `${env[`GIT_CONFIG_KEY_${i}`]}=${env[`GIT_CONFIG_VALUE_${i}`]}`,
    ]),
  );
  it('carries the token only as an extraHeader scoped to the repository URL, after reset entries; no redirects', () => {
    const entries = Object.values(config);
    const scoped = `http.${URL_}.extraHeader=${basicAuthHeader('ghs_secret')}`;
    expect(entries).toContain('http.extraHeader=');
    expect(entries).toContain(scoped);
    expect(entries.filter((e) => e.includes('ghs_secret') || e.includes(basicAuthHeader('ghs_secret')))).toEqual([
      scoped,
    ]);
    expect(basicAuthHeader('ghs_secret')).toBe(
      `Authorization: Basic ${Buffer.from('x-access-token:ghs_secret').toString('base64')}`,
    );
    expect(entries.indexOf(`http.${URL_}.extraHeader=`)).toBeLessThan(entries.indexOf(scoped));
    expect(entries).toContain('http.followRedirects=false');
    const others = Object.entries(env).filter(([k]) => !/^GIT_CONFIG_VALUE_\d+$/.test(k));
    expect(JSON.stringify(others)).not.toContain('ghs_secret');
  });
  it('never prompts, never stores, never runs hooks, and drops inherited repository pointers and tracing', () => {
    expect(env).toMatchObject({
      GIT_TERMINAL_PROMPT: '0',
      GIT_ASKPASS: '',
      LC_ALL: 'C',
      GIT_AUTHOR_NAME: 'Bot',
      GIT_COMMITTER_EMAIL: 'bot@example.com',
    });
    expect(Object.values(config)).toEqual(
      expect.arrayContaining(['credential.helper=', 'core.hooksPath=/nonexistent', 'commit.gpgSign=false']),
    );
    expect(env.GIT_DIR).toBeUndefined();
    expect(env.GIT_TRACE_CURL).toBeUndefined();
    expect(Object.values(config)).not.toContain('x.y=z');
    expect(env.PATH).toBe('/usr/bin');
  });
  it('sends no header without a token', () => {
    const bare = gitEnvironment({ token: undefined, author: { name: 'a', email: 'b' }, hooksPath: '/x' }, {});
    const keys = Object.keys(bare).filter((k) => k.startsWith('GIT_CONFIG_KEY_'));
    expect(keys.filter((k) => /extraHeader/i.test(bare[k]!)).map((k) => bare[k.replace('KEY', 'VALUE')])).toEqual(['']);
  });
});

describe('failures as one line (GitHub wordings)', () => {
  const fetchCtx = { ...ctx, operation: 'fetch' as const };
  it.each([
    [
      "fatal: couldn't find remote ref refs/heads/main",
      /branch "main" does not exist in https:\/\/github.com\/acme\/deploy.git/,
    ],
    [
      "remote: Invalid username or password.\nfatal: Authentication failed for 'https://github.com/acme/deploy.git/'",
      /authentication failed .*HTTP 401/,
    ],
    ["fatal: could not read Username for 'https://github.com': terminal prompts disabled", /authentication failed/],
    [
      "remote: Repository not found.\nfatal: repository 'https://github.com/acme/deploy.git/' not found",
      /repository .* not found \(HTTP 404\), or the token cannot see it/,
    ],
    [
      "fatal: unable to access 'https://github.com/acme/deploy.git/': The requested URL returned error: 403",
      /may not read .*403/,
    ],
  ])('fetch: %s', (stderr, pattern) => {
    const e = classifyGitFailure(stderr, fetchCtx);
    expect(e.message).toMatch(pattern);
    expect(e.message).not.toContain('\n');
  });

  it('push: a 403 is "cannot push"', () => {
    const r = classifyPush(
      {
        code: 128,
        stdout: '',
        stderr:
          'remote: Permission to acme/deploy.git denied to github-actions[bot].\nfatal: unable to access ' +
          "'https://github.com/acme/deploy.git/': The requested URL returned error: 403\n",
      },
      push,
    );
    expect(r.kind).toBe('failed');
    expect(r.kind === 'failed' && r.error.message).toMatch(/token cannot push to .*HTTP 403.*contents: write/);
  });

  it('push: GitHub protected branch (GH006) and rulesets (GH013) suggest pull-request mode', () => {
    const gh006 = classifyPush(
      {
        code: 1,
        stdout:
          'To https://github.com/acme/deploy.git\n!\tHEAD:refs/heads/main\t[remote rejected] (protected branch hook declined)\nDone\n',
        stderr:
          'remote: error: GH006: Protected branch update failed for refs/heads/main.\nremote: error: Changes must be ' +
          'made through a pull request.\n',
      },
      push,
    );
    expect(gh006.kind === 'failed' && gh006.error.message).toMatch(
      new RegExp(
        String.raw`^push to branch "main" of .* rejected by the server \(protected branch: GH006: Protected branch update ` +
          String.raw`failed for refs\/heads\/main\. Changes must be made through a pull request\.\); use mode: pull-request`,
      ),
    );
    const gh013 = classifyPush(
      {
        code: 1,
        stdout: '!\tHEAD:refs/heads/main\t[remote rejected] (push declined due to repository rule violations)\n',
        stderr:
          'remote: error: GH013: Repository rule violations found for refs/heads/main.\nremote: - Changes must be made ' +
          'through a pull request.\n',
      },
      push,
    );
    expect(gh013.kind === 'failed' && gh013.error.code).toBe('protected-branch');
  });

  it('push: a lost race or a held ref lock is a race; a 502 is transient; success is success', () => {
    const status = (s: string, code = 1) => ({ code, stdout: `To x\n${s}\nDone\n`, stderr: '' });
    expect(classifyPush(status('!\tHEAD:refs/heads/main\t[rejected] (fetch first)'), push).kind).toBe('race');
    expect(classifyPush(status('!\tHEAD:refs/heads/main\t[rejected] (non-fast-forward)'), push).kind).toBe('race');
    expect(
      classifyPush(
        status(
          "!\tHEAD:refs/heads/main\t[remote rejected] (cannot lock ref 'refs/heads/main': is at 1a but expected 2b)",
        ),
        push,
      ).kind,
    ).toBe('race');
    expect(
      classifyPush(
        { code: 1, stdout: '', stderr: 'error: RPC failed; HTTP 502 curl 22 The requested URL returned error: 502\n' },
        push,
      ).kind,
    ).toBe('transient');
    expect(classifyPush(status(' \tHEAD:refs/heads/main\t1a..2b', 0), push).kind).toBe('pushed');
    expect(classifyPush(status('+\tHEAD:refs/heads/pr\t1a...2b (forced update)', 0), push).kind).toBe('pushed');
  });
});

describe('backoff', () => {
  it('is full-jitter exponential, capped', () => {
    const b = { baseMs: 100, maxMs: 1000 };
    expect(backoffDelay(1, b, () => 1)).toBe(100);
    expect(backoffDelay(3, b, () => 1)).toBe(400);
    expect(backoffDelay(10, b, () => 1)).toBe(1000);
    expect(backoffDelay(3, b, () => 0.5)).toBe(200);
    expect(backoffDelay(3, b, () => 0)).toBe(0);
  });
});
