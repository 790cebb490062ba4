import { describe, expect, it } from 'vitest';
import {
  branchProblem,
  checkRepository,
  chooseToken,
  credentialsIn,
  describeRepository,
} from '@mlflow-actions/git-writeback';

// The one validator of repository, branch and token: the actions' input check and git-writeback
// both call it, so these answers are what both say.
describe('checkRepository', () => {
  it.each([
    ['acme/deploy', 'https://github.com/acme/deploy.git', 'acme/deploy'],
    ['my_org/repo', 'https://github.com/my_org/repo.git', 'my_org/repo'],
    ['acme/deploy.git', 'https://github.com/acme/deploy.git', 'acme/deploy'],
    ['https://github.com/acme/deploy.git', 'https://github.com/acme/deploy.git', 'acme/deploy'],
    ['https://git.example.com/group/sub/repo.git', 'https://git.example.com/group/sub/repo.git', undefined],
    ['http://127.0.0.1:8080/r.git', 'http://127.0.0.1:8080/r.git', undefined],
    ['http://localhost/a/b', 'http://localhost/a/b', undefined],
    ['http://[::1]:9/a/b.git', 'http://[::1]:9/a/b.git', undefined],
  ])('%s', (value, url, ownerRepo) => {
    const r = checkRepository(value);
    expect(r).toMatchObject({ ok: true, value: { url, ownerRepo } });
  });

  it('resolves owner/name against another server, and knows its own repositories there', () => {
    expect(checkRepository('a/b', 'https://ghe.example.com/')).toMatchObject({
      value: { url: 'https://ghe.example.com/a/b.git' },
    });
    expect(checkRepository('https://ghe.example.com/a/b', 'https://ghe.example.com')).toMatchObject({
      value: { ownerRepo: 'a/b' },
    });
    expect(checkRepository('https://github.com/a/b', 'https://ghe.example.com')).toMatchObject({
      value: { ownerRepo: undefined },
    });
  });

  const secret = 'ghp_S3cretT0kenValue';
  it.each([
    ['', /is required/],
    ['-foo', /must be owner\/name or an https URL/],
    ['a/.', /no repository name/],
    ['https://', /is not a valid URL: 'https:\/\/'/],
    ['git@github.com:a/b.git', /SSH address/],
    ['ssh://github.com/a/b.git', /https URL or owner\/name \(got a ssh: URL\)/],
    [`https://x-access-token:${secret}@github.com/a/b`, /must not hold credentials/],
    [`x-access-token:${secret}@github.com/a/b`, /must not hold credentials/],
    ['https://github.com/a/b?x=1', /query or fragment/],
    ['https://github.com/', /names no repository path/],
    [
      'http://git.example.com/a/b.git',
      /must use https: plain http \(git\.example\.com\) is allowed only to a loopback address/,
    ],
    ['http://10.0.0.1/a/b.git', /must use https/],
  ])('refuses %j', (value, problem) => {
    const r = checkRepository(value);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problem).toMatch(problem);
    expect(!r.ok && r.problem).not.toContain(secret);
  });

  it('refuses owner/name on a plain-http server that is not loopback', () => {
    expect(checkRepository('a/b', 'http://ghe.example.com')).toMatchObject({ ok: false });
    expect(checkRepository('a/b', 'http://127.0.0.1:3000')).toMatchObject({ ok: true, value: { plainHttp: true } });
  });

  it('finds and hides credentials written into the repository', () => {
    expect(credentialsIn(`https://x-access-token:${secret}@github.com/a/b`)).toContain(secret);
    expect(credentialsIn(`x-access-token:${secret}@github.com/a/b`)).toContain(secret);
    expect(credentialsIn('https://github.com/a/b')).toEqual([]);
    expect(describeRepository(`https://u:${secret}@h/a`)).toBe('https://***@h/a');
    expect(describeRepository(`u:${secret}@h/a`)).toBe('***@h/a');
  });
});

describe('branchProblem', () => {
  it.each(['main', 'release/2024.1', 'mlflow-actions/main/fraud-model-prod', 'a.b'])('accepts %s', (b) => {
    expect(branchProblem(b)).toBeUndefined();
  });
  it.each([
    '',
    '-foo',
    'a/.b',
    '.hidden',
    'a..b',
    'a b',
    'a~1',
    'x.lock',
    'a/b.lock/c',
    'a//b',
    '/a',
    'a/',
    'a.',
    '@',
    'a@{1}',
    'a:b',
    'a\\b',
  ])('refuses %j', (b) => {
    expect(branchProblem(b)).toBeDefined();
  });
});

describe('chooseToken', () => {
  const target = (value: string, server: string) => {
    const r = checkRepository(value, server);
    if (!r.ok) throw new Error(r.problem);
    return r.value;
  };
  const server = 'https://github.com';
  it("sends the job's token to the job's server only", () => {
    expect(chooseToken({ token: 'job', jobToken: 'job', target: target('a/b', server), serverUrl: server })).toEqual({
      token: 'job',
      warning: undefined,
    });
    const other = chooseToken({
      token: 'job',
      jobToken: 'job',
      target: target('https://git.example.com/a/b', server),
      serverUrl: server,
    });
    expect(other.token).toBeUndefined();
    expect(other.warning).toMatch(/not sent to https:\/\/git\.example\.com: it goes only to https:\/\/github\.com/);
    // Another port of the same host is another server.
    const port = chooseToken({
      token: 'job',
      jobToken: 'job',
      target: target('https://github.com:8443/a/b', server),
      serverUrl: server,
    });
    expect(port.token).toBeUndefined();
  });
  it('sends a token the user named to the host they named', () => {
    const r = chooseToken({
      token: 'pat',
      jobToken: 'job',
      target: target('https://git.example.com/a/b', server),
      serverUrl: server,
    });
    expect(r).toEqual({ token: 'pat', warning: undefined });
    expect(
      chooseToken({ token: undefined, jobToken: 'job', target: target('a/b', server), serverUrl: server }).token,
    ).toBeUndefined();
  });
});
