import type { PullRequests } from '@mlflow-actions/git-writeback';

/** Where pull requests go: the write-back's mode, the repository on the workflow's GitHub, its API. */
export interface PullRequestTarget {
  mode: 'push' | 'pull-request';
  /** owner/name; undefined when the repository is not on the workflow's GitHub. */
  ownerRepo: string | undefined;
  token: string | undefined;
  apiUrl: string;
}

/**
 * The pull-request client a write-back needs, or undefined outside pull-request mode.
 * Octokit is most of an action's weight, so it is imported only here, only in that mode.
 */
export async function pullRequestsFor(target: PullRequestTarget): Promise<PullRequests | undefined> {
  if (target.mode !== 'pull-request' || !target.ownerRepo || !target.token) return undefined;
  const { GitHubPullRequests } = await import('./index.js');
  return new GitHubPullRequests({ token: target.token, repository: target.ownerRepo, apiUrl: target.apiUrl });
}
