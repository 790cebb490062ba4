import { credentialsInUrl, readInput, type InputReader, type Env } from '@mlflow-actions/action-kit/inputs';
import type { WriteBackResult } from './git-writeback.js';
import type { WriteBackOptions } from './options.js';

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
}

const OWNER_REPO = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

export function readWriteBackInputs(r: InputReader, env: Env): WriteBackInputs {
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const apiUrl = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
  const repository = r.required('repository', "owner/name (on this GitHub) or an https git URL");
  let ownerRepo: string | undefined;
  if (repository) {
    if (OWNER_REPO.test(repository)) ownerRepo = repository;
    else if (/^https?:\/\//.test(repository)) {
      const u = new URL(repository);
      if (u.username || u.password) r.problem(`input 'repository' must not hold credentials: pass the token in 'token'`);
      const m = /^\/([^/]+\/[^/]+?)(\.git)?\/?$/.exec(u.pathname);
      if (m && `${u.protocol}//${u.host}` === serverUrl) ownerRepo = m[1];
    } else {
      r.problem(`input 'repository' must be owner/name or an https git URL, got '${repository}'`);
    }
  }
  const mode = r.choice('mode', ['push', 'pull-request'] as const, 'push');
  if (mode === 'pull-request' && repository && !ownerRepo) {
    r.problem(`input 'mode' pull-request needs a repository on ${serverUrl} (owner/name), got '${repository}'`);
  }
  const branch = r.raw('branch') || 'main';
  if (!/^(?!\/|.*(?:\/\/|\.\.|@\{|\\|\.lock$|\/$))[^\s~^:?*[\x00-\x1f\x7f]+$/.test(branch)) {
    r.problem(`input 'branch' is not a valid branch name: '${branch}'`);
  }
  return {
    repository,
    ownerRepo,
    serverUrl,
    apiUrl,
    token: r.optional('token'),
    branch,
    commitMessage: r.optional('commit-message'),
    authorName: r.raw('author-name') || 'github-actions[bot]',
    authorEmail: r.raw('author-email') || '41898282+github-actions[bot]@users.noreply.github.com',
    mode,
    dryRun: r.boolean('dry-run', false),
    maxAttempts: r.integer('max-attempts', 5, { min: 1, max: 50 }),
  };
}

/** The write-back options every such action passes the same way; the action adds its edit and message. */
export function writeBackOptions(inputs: WriteBackInputs): Omit<WriteBackOptions, 'edit' | 'message'> {
  return {
    repository: inputs.repository,
    serverUrl: inputs.serverUrl,
    token: inputs.token,
    branch: inputs.branch,
    authorName: inputs.authorName,
    authorEmail: inputs.authorEmail,
    maxAttempts: inputs.maxAttempts,
    dryRun: inputs.dryRun,
    mode: inputs.mode,
    // The runner's per-job temp dir is emptied after the job; os.tmpdir() outside a runner.
    tempDir: process.env.RUNNER_TEMP || undefined,
  };
}

/** What every write-back action reports the same way: the common outputs and one log line (unless unchanged). */
export function writeBackReport(result: WriteBackResult): { outputs: Record<'changed' | 'commit-sha' | 'pull-request-url', string>; line: string | undefined } {
  const line = !result.changed
    ? undefined
    : result.dryRun
      ? `dry-run: would commit\n${result.diff}`
      : `pushed ${result.commitSha} to ${result.branch}${result.attempts > 1 ? ` after ${result.attempts} attempts (lost ${result.attempts - 1} push race(s))` : ''}${result.pullRequestUrl ? `; pull request ${result.pullRequestUrl}` : ''}`;
  return {
    outputs: { changed: String(result.changed), 'commit-sha': result.commitSha ?? '', 'pull-request-url': result.pullRequestUrl ?? '' },
    line,
  };
}

/** The credentials a write-back step holds: masked before any input is parsed. */
export function writeBackSecrets(env: Env): string[] {
  return [readInput('token', env), ...credentialsInUrl(readInput('repository', env))];
}
