import { getOctokit } from '@actions/github';
import { ServiceError } from '@mlflow-actions/action-kit/errors';
import type { PullRequestContent, PullRequestRef, PullRequests } from '@mlflow-actions/git-writeback';

export interface GitHubPullsOptions {
  token: string;
  /** `owner/name` of the repository the branches live in. */
  repository: string;
  /** REST base, e.g. https://api.github.com or https://ghe.example.com/api/v3 (GITHUB_API_URL). */
  apiUrl?: string;
}

/**
 * Pull-request mode on GitHub through @actions/github's Octokit: find the open PR for a head
 * branch, open one, or update its title and body. Errors become one line that says what to do
 * (a token without `pull-requests: write` is the usual one).
 */
export class GitHubPullRequests implements PullRequests {
  private readonly octokit: ReturnType<typeof getOctokit>;
  private readonly owner: string;
  private readonly repo: string;

  constructor(opts: GitHubPullsOptions) {
    const [owner, repo] = opts.repository.split('/');
    if (!owner || !repo) throw new ServiceError(`repository '${opts.repository}' is not owner/name`);
    this.owner = owner;
    this.repo = repo;
    // Octokit's own retry/throttle plugins are not loaded: the write-back engine decides retries.
    this.octokit = getOctokit(opts.token, opts.apiUrl ? { baseUrl: opts.apiUrl } : {});
  }

  async findOpen(head: string, base: string): Promise<PullRequestRef | undefined> {
    const res = await this.call('list pull requests', () =>
      // `head` must be owner:branch, or GitHub ignores the filter and lists every open PR.
      this.octokit.rest.pulls.list({
        owner: this.owner,
        repo: this.repo,
        state: 'open',
        head: `${this.owner}:${head}`,
        base,
        per_page: 10,
      }),
    );
    const pr = res.data.find((p) => p.head.ref === head && p.base.ref === base);
    return pr ? { number: pr.number, url: pr.html_url } : undefined;
  }

  async create(pr: { head: string; base: string } & PullRequestContent): Promise<PullRequestRef> {
    const res = await this.call('open a pull request', () =>
      this.octokit.rest.pulls.create({
        owner: this.owner,
        repo: this.repo,
        head: pr.head,
        base: pr.base,
        title: pr.title,
        body: pr.body,
      }),
    );
    return { number: res.data.number, url: res.data.html_url };
  }

  async update(number: number, pr: PullRequestContent): Promise<PullRequestRef> {
    const res = await this.call(`update pull request #${number}`, () =>
      this.octokit.rest.pulls.update({
        owner: this.owner,
        repo: this.repo,
        pull_number: number,
        title: pr.title,
        body: pr.body,
      }),
    );
    return { number: res.data.number, url: res.data.html_url };
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      const err = e as {
        status?: number;
        message?: string;
        response?: { data?: { message?: string; errors?: { message?: string }[] } };
      };
      // GitHub's most specific words first: the validation errors, then its message, then Octokit's.
      const listed = (err.response?.data?.errors ?? [])
        .map((x) => x.message)
        .filter(Boolean)
        .join('; ');
      const detail =
        [listed, err.response?.data?.message, err.message].find((m) => m !== undefined && m !== '') ??
        'no detail given';
      const where = `${this.owner}/${this.repo}`;
      if (err.status === 401)
        throw new ServiceError(`GitHub refused the token to ${what} in ${where} (401): check the token input`, 401);
      if (err.status === 403 || err.status === 404) {
        throw new ServiceError(
          `GitHub answered ${err.status} to ${what} in ${where}: the token needs 'pull-requests: write' on that repository (${detail})`,
          err.status,
        );
      }
      throw new ServiceError(
        `GitHub could not ${what} in ${where}: ${err.status ?? ''} ${detail}`.replace(/\s+/g, ' '),
        err.status,
      );
    }
  }
}
