export { writeBack, type WriteBackResult, type WriteBackHooks } from './git-writeback.js';
export {
  resolveRepositoryUrl,
  pullRequestBranch,
  slugify,
  backoffDelay,
  type WriteBackOptions,
  type EditFn,
  type EditOutcome,
  type EditContext,
  type TreeReader,
  type BackoffOptions,
} from './options.js';
export {
  checkRepository,
  branchProblem,
  isValidBranchName,
  tokenProblem,
  chooseToken,
  credentialsIn,
  describeRepository,
  isLoopbackHost,
  type RepositoryTarget,
  type TokenChoice,
  type Checked,
} from './target.js';
export {
  openOrUpdatePullRequest,
  type PullRequests,
  type PullRequestRef,
  type PullRequestContent,
} from './pull-requests.js';
export { classifyGitFailure, classifyPush, type PushOutcome } from './errors.js';
export { basicAuthHeader, gitEnvironment, GitCommandError } from './git-cli.js';
