import type { InputReader, Env } from '@mlflow-actions/action-kit/inputs';
import {
  branchProblem,
  checkRepository,
  chooseToken,
  credentialsIn,
  tokenProblem,
  type WriteBackOptions,
} from '@mlflow-actions/git-writeback';

/** The inputs every git write-back action shares (CONTRACTS.md), parsed and checked up front. */
export interface WriteBackInputs {
  repository: string;
  /** owner/name, when the repository is on the workflow's GitHub (for pull-request mode). */
  ownerRepo: string | undefined;
  serverUrl: string;
  apiUrl: string;
  token: string | undefined;
  branch: string;
  commitMessage: string | undefined;
  authorName: string;
  authorEmail: string;
  mode: 'push' | 'pull-request';
  dryRun: boolean;
  maxAttempts: number;
  /** Said as warnings when the write-back starts (what was decided about the token). */
  warnings: string[];
  /** Parent of the clone: the runner's per-job temp dir (emptied after the job), or os.tmpdir(). */
  tempDir: string | undefined;
}

/** What to mask before anything is parsed: the token inputs and any credentials written into `repository`. */
export function writeBackSecrets(env: Env): string[] {
  const read = (name: string) => (env[`INPUT_${name.toUpperCase()}`] ?? '').trim();
  return [read('token'), read('job-token'), ...credentialsIn(read('repository'))].filter((s) => s.length > 0);
}

export function readWriteBackInputs(r: InputReader, env: Env): WriteBackInputs {
  const serverUrl = (envValue(env, 'GITHUB_SERVER_URL') ?? 'https://github.com').replace(/\/+$/, '');
  const apiUrl = (envValue(env, 'GITHUB_API_URL') ?? 'https://api.github.com').replace(/\/+$/, '');
  const repository = r.raw('repository');
  const checked = checkRepository(repository, serverUrl);
  if (!checked.ok) r.problem(`input 'repository' ${checked.problem}`);
  const target = checked.ok ? checked.value : undefined;
  const ownerRepo = target?.ownerRepo;
  const mode = r.choice('mode', ['push', 'pull-request'] as const, 'push');
  if (mode === 'pull-request' && target && !ownerRepo) {
    r.problem(`input 'mode' pull-request needs a repository on ${serverUrl} (owner/name)`);
  }
  const branch = r.raw('branch') || 'main';
  const badBranch = branchProblem(branch);
  if (badBranch) r.problem(`input 'branch' ${badBranch}`);
  const given = r.optional('token');
  const badToken = given === undefined ? undefined : tokenProblem(given);
  if (badToken) r.problem(`input 'token' ${badToken}`);
  // The job's own token (job-token, default github.token) goes to the job's GitHub server only.
  const choice = target
    ? chooseToken({ token: given, jobToken: r.optional('job-token'), target, serverUrl })
    : { token: undefined, warning: undefined };
  return {
    repository,
    ownerRepo,
    serverUrl,
    apiUrl,
    token: choice.token,
    warnings: choice.warning ? [choice.warning] : [],
    branch,
    commitMessage: r.optional('commit-message'),
    authorName: r.raw('author-name') || 'github-actions[bot]',
    authorEmail: r.raw('author-email') || '41898282+github-actions[bot]@users.noreply.github.com',
    mode,
    dryRun: r.boolean('dry-run', false),
    maxAttempts: r.integer('max-attempts', 5, { min: 1, max: 50 }),
    tempDir: envValue(env, 'RUNNER_TEMP'),
  };
}

/** The write-back options every such action passes the same way; the action adds its edit and message. */
export function writeBackOptions(inputs: WriteBackInputs): Omit<WriteBackOptions, 'edit' | 'message'> {
  return {
    repository: inputs.repository,
    serverUrl: inputs.serverUrl,
    token: inputs.token,
    warnings: inputs.warnings,
    branch: inputs.branch,
    authorName: inputs.authorName,
    authorEmail: inputs.authorEmail,
    maxAttempts: inputs.maxAttempts,
    dryRun: inputs.dryRun,
    mode: inputs.mode,
    tempDir: inputs.tempDir,
  };
}

/** A runner variable; empty means unset, as with inputs. */
function envValue(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === '' ? undefined : value;
}
