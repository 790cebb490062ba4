import http from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitHubPullRequests } from '../../packages/github-pulls/src/index.js';
import { openOrUpdatePullRequest, type PullRequests } from '../../packages/git-writeback/src/pull-requests.js';
import { silentLogger } from '../../packages/action-kit/src/log.js';

/**
 * A fake GitHub REST API for pull requests. GitHub's API cannot run here, so every answer is
 * built from the examples in GitHub's own OpenAPI description (@octokit/openapi): the
 * `pull-request` example for create/update, `pull-request-simple-items` for list, and the
 * `validation_failed` response for a duplicate. Only the fields that identify the PR are
 * changed to match the request.
 */
const require = createRequire(import.meta.url);
const spec = JSON.parse(readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8')) as {
  components: {
    examples: Record<string, { value: unknown }>;
    responses: Record<string, { content: Record<string, { schema: unknown }> }>;
  };
};
const example = (name: string): unknown => structuredClone(spec.components.examples[name]!.value);

interface Pr {
  number: number;
  html_url: string;
  state: string;
  title: string;
  body: string | null;
  head: { ref: string; label: string };
  base: { ref: string };
}

const OWNER = 'acme';
const REPO = 'puppet-hiera-data';
const TOKEN = 'ghs_contracttesttoken000000000000000000';

/** What the client sends to create or update a pull request. */
interface PrWrite {
  head: string;
  base: string;
  title?: string;
  body?: string;
}

interface Recorded {
  method: string;
  url: string;
  auth: string | undefined;
  body: unknown;
}

async function startFakeGitHub() {
  const prs: Pr[] = [];
  const requests: Recorded[] = [];
  let next = 1347; // the example's own number, then counting up
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      // Only the writes (POST, PATCH) read it, and they always carry one.
      const body = (raw ? JSON.parse(raw) : undefined) as PrWrite;
      requests.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
      const url = new URL(req.url!, 'http://x');
      const send = (status: number, data: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(data));
      };
      if (req.headers.authorization !== `token ${TOKEN}`) {
        send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
        return;
      }
      const base = `/repos/${OWNER}/${REPO}/pulls`;
      if (req.method === 'GET' && url.pathname === base) {
        const [, head] = (url.searchParams.get('head') ?? '').split(':');
        const items = prs
          .filter(
            (p) =>
              p.state === 'open' &&
              (!head || p.head.ref === head) &&
              (!url.searchParams.get('base') || p.base.ref === url.searchParams.get('base')),
          )
          .map((p) => ({
            ...(example('pull-request-simple-items') as Pr[])[0]!,
            number: p.number,
            html_url: p.html_url,
            title: p.title,
            head: { ...(example('pull-request-simple-items') as Pr[])[0]!.head, ref: p.head.ref },
            base: { ...(example('pull-request-simple-items') as Pr[])[0]!.base, ref: p.base.ref },
          }));
        send(200, items);
        return;
      }
      if (req.method === 'POST' && url.pathname === base) {
        if (prs.some((p) => p.state === 'open' && p.head.ref === body.head && p.base.ref === body.base)) {
          // GitHub's answer to a second PR for the same head: 422 validation failed.
          send(422, {
            message: 'Validation Failed',
            errors: [
              {
                resource: 'PullRequest',
                code: 'custom',
                message: `A pull request already exists for ${OWNER}:${body.head}.`,
              },
            ],
            documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
          });
          return;
        }
        const pr = example('pull-request') as Pr;
        pr.number = next++;
        pr.html_url = `https://github.com/${OWNER}/${REPO}/pull/${pr.number}`;
        Object.assign(pr, { title: body.title, body: body.body, state: 'open' });
        pr.head = { ...pr.head, ref: body.head, label: `${OWNER}:${body.head}` };
        pr.base = { ...pr.base, ref: body.base };
        prs.push(pr);
        send(201, pr);
        return;
      }
      const m = new RegExp(`^${base}/(\\d+)$`).exec(url.pathname);
      if (req.method === 'PATCH' && m) {
        const pr = prs.find((p) => p.number === Number(m[1]));
        if (!pr) {
          send(404, { message: 'Not Found' });
          return;
        }
        Object.assign(pr, { title: body.title ?? pr.title, body: body.body ?? pr.body });
        send(200, pr);
        return;
      }
      send(404, { message: 'Not Found' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    prs,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('GitHub pull requests (contract, against OpenAPI examples)', () => {
  let gh: Awaited<ReturnType<typeof startFakeGitHub>>;
  beforeEach(async () => (gh = await startFakeGitHub()));
  afterEach(() => gh.close());

  const client = () => new GitHubPullRequests({ token: TOKEN, repository: `${OWNER}/${REPO}`, apiUrl: gh.apiUrl });
  const content = (v: string) => ({
    title: `Deploy model-viewer ${v}`,
    body: `Sets model_viewer::artifact_version to ${v}`,
  });

  it('creates the pull request when none is open, then updates that one', async () => {
    const first = await openOrUpdatePullRequest(
      client(),
      'mlflow-actions/main/abc123',
      'main',
      content('v1'),
      silentLogger,
    );
    expect(first).toEqual({ number: 1347, url: `https://github.com/${OWNER}/${REPO}/pull/1347`, created: true });
    const second = await openOrUpdatePullRequest(
      client(),
      'mlflow-actions/main/abc123',
      'main',
      content('v2'),
      silentLogger,
    );
    expect(second).toEqual({ number: 1347, url: `https://github.com/${OWNER}/${REPO}/pull/1347`, created: false });
    expect(gh.prs).toHaveLength(1);
    expect(gh.prs[0]!.title).toBe('Deploy model-viewer v2');
    // The list filter names the head as owner:branch, as GitHub requires.
    const lists = gh.requests.filter((r) => r.method === 'GET');
    expect(new URL(lists[0]!.url, 'http://x').searchParams.get('head')).toBe(`${OWNER}:mlflow-actions/main/abc123`);
    expect(gh.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'GET', 'PATCH']);
    expect(gh.requests.every((r) => r.auth === `token ${TOKEN}`)).toBe(true);
  });

  it('a PR for another base or head is not reused', async () => {
    await openOrUpdatePullRequest(client(), 'mlflow-actions/staging/x', 'staging', content('s'), silentLogger);
    const main = await openOrUpdatePullRequest(client(), 'mlflow-actions/main/x', 'main', content('m'), silentLogger);
    expect(main.created).toBe(true);
    expect(gh.prs.map((p) => [p.head.ref, p.base.ref])).toEqual([
      ['mlflow-actions/staging/x', 'staging'],
      ['mlflow-actions/main/x', 'main'],
    ]);
  });

  it('a create that loses a race (422: already exists) updates the PR the other run opened', async () => {
    const c = client();
    // The other run's PR appears between our list (which saw none) and our create.
    let lists = 0;
    const racing: PullRequests = {
      findOpen: (h, b) => (lists++ === 0 ? Promise.resolve(undefined) : c.findOpen(h, b)),
      create: (p) => c.create(p),
      update: (n, p) => c.update(n, p),
    };
    await c.create({ head: 'mlflow-actions/main/r', base: 'main', ...content('theirs') });
    const r = await openOrUpdatePullRequest(racing, 'mlflow-actions/main/r', 'main', content('ours'), silentLogger);
    expect(r.created).toBe(false);
    expect(gh.prs).toHaveLength(1);
    expect(gh.prs[0]!.title).toBe('Deploy model-viewer ours');
  });

  it('a bad token is said as such, in one line, without the token', async () => {
    const bad = new GitHubPullRequests({ token: 'ghs_wrong', repository: `${OWNER}/${REPO}`, apiUrl: gh.apiUrl });
    const err = await bad.findOpen('b', 'main').catch((e: unknown) => e);
    expect((err as Error).message).toMatch(
      /^GitHub refused the token to list pull requests in acme\/puppet-hiera-data \(401\)/,
    );
    expect((err as Error).message).not.toContain('ghs_wrong');
  });
});
