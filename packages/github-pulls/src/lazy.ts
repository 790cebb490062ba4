import type { PullRequests } from '@mlflow-actions/git-writeback';
import type { WriteBackInputs } from '@mlflow-actions/git-writeback/action-inputs';

/**
 * The pull-request client a write-back action needs, or undefined outside pull-request mode.
 * Octokit is most of an action's weight, so it is imported only here, only in that mode.
 */
export async function pullRequestsFor(inputs: WriteBackInputs): Promise<PullRequests | undefined> {
  if (inputs.mode !== 'pull-request' || !inputs.ownerRepo || !inputs.token) return undefined;
  const { GitHubPullRequests } = await import('./index.js');
  return new GitHubPullRequests({ token: inputs.token, repository: inputs.ownerRepo, apiUrl: inputs.apiUrl });
}
