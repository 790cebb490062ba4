import type { InputReader, Env } from '@mlflow-actions/action-kit/inputs';

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
