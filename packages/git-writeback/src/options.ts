import { createHash } from 'node:crypto';
import { InputError } from '@mlflow-actions/action-kit/errors';
import type { PullRequests } from './pull-requests.js';
import { branchProblem, checkRepository, tokenProblem } from './target.js';

/**
 * What the edit callback reports about one application of the change to a work tree. `detail` is
 * the caller's own typed account of it (the values replaced, the references found): writeBack hands
 * the last application's back in its result, so the caller needs no variable set from inside the
 * callback (the edit may run several times, and only the last run is what was committed).
 */
export type EditOutcome<D = unknown> = {
  changed: boolean;
  /** Paths (relative to the work tree, or absolute inside it) the edit wrote or deleted. Empty = stage everything. */
  files: string[];
  /** The commit message, when it names what only the edit learns (e.g. the reference a promotion copies). Default: the `message` option. */
  message?: string;
} & (undefined extends D ? { detail?: D } : { detail: D });

/**
 * Applies the logical change to the files of a fresh checkout. It may be called several times in one
 * run — once per attempt, each time on a newer head after a lost push race — so it must compute the
 * change from what it finds on disk, never replay a textual patch.
 */
export type EditFn<D = unknown> = (workdir: string, context: EditContext) => Promise<EditOutcome<D>>;

/** A branch's tree at one commit, read without checking it out. */
export interface TreeReader {
  branch: string;
  sha: string;
  /** Every file path in the tree (repository-relative, `/`-separated). */
  files(): Promise<string[]>;
  /** A file's content as UTF-8; undefined when the tree has no such file. */
  read(path: string): Promise<string | undefined>;
  /** Several files at once (one git process for all of them rather than one each); same answers as `read`. */
  readMany?(paths: readonly string[]): Promise<Map<string, string | undefined>>;
}

export interface EditContext {
  /** The checkout being edited: `workdir`, at `sha` of the target branch. */
  target: TreeReader;
  /** With `sourceBranch`: that branch, fetched once at the start; the same commit for every attempt. */
  source: TreeReader | undefined;
  /** 1 on the first application, then one more for each lost push race. */
  attempt: number;
}

export interface BackoffOptions {
  /** First retry waits up to this long; each further retry doubles it (full jitter). */
  baseMs: number;
  maxMs: number;
}

export interface WriteBackOptions<D = unknown> {
  /** `https://host/owner/name(.git)` or `owner/name` (resolved against `serverUrl`). */
  repository: string;
  /** Defaults to https://github.com; used only for `owner/name` repositories. */
  serverUrl?: string;
  /**
   * Sent as an HTTP header scoped to the repository's URL, per command (never stored), to that host
   * only: redirects are not followed. Without it the repository must be readable anonymously.
   */
  token?: string;
  /** Branch to edit (push mode) or to open the pull request against. */
  branch: string;
  /** Another branch the edit reads from (e.g. promote what staging runs to main); see EditContext.source. */
  sourceBranch?: string;
  message: string;
  authorName: string;
  authorEmail: string;
  /** Attempts at push mode's fetch → edit → commit → push cycle before giving up. Default 5. */
  maxAttempts?: number;
  backoff?: Partial<BackoffOptions>;
  dryRun?: boolean;
  /** Default 'push'. */
  mode?: 'push' | 'pull-request';
  edit: EditFn<D>;
  /** pull-request mode: the branch to force-push. Default `mlflow-actions/<branch>/<slug of changeKey>`. */
  prBranch?: string;
  /** pull-request mode: names the logical change (e.g. "fraud-model prod"), so re-runs reuse one branch and PR. */
  changeKey?: string;
  /** pull-request mode: required there, ignored otherwise. */
  pullRequests?: PullRequests;
  pullRequestTitle?: string;
  pullRequestBody?: string;
  /** Parent of the temporary clone. Default os.tmpdir(); an action passes RUNNER_TEMP. */
  tempDir?: string;
  /** Leave the clone on disk and return its path (tests inspect `.git/config`). The caller removes it. */
  keepWorkdir?: boolean;
  /** Per git command. Default 5 minutes. */
  gitTimeoutMs?: number;
  /** Injected for tests. */
  random?: () => number;
  /** Said (as warnings) when the run starts: what the caller decided about the token, for one. */
  warnings?: string[];
}

export interface ResolvedOptions<D = unknown> extends Required<
  Pick<WriteBackOptions<D>, 'branch' | 'message' | 'authorName' | 'authorEmail' | 'edit'>
> {
  sourceBranch: string | undefined;
  url: string;
  /** Plain http: allowed only to a loopback address (checkRepository), and said in a warning. */
  plainHttp: boolean;
  /** The repository as messages name it: the URL, never with credentials. */
  displayName: string;
  token: string | undefined;
  maxAttempts: number;
  backoff: BackoffOptions;
  dryRun: boolean;
  mode: 'push' | 'pull-request';
  prBranch: string | undefined;
  pullRequests: PullRequests | undefined;
  title: string;
  body: string;
  tempDir: string | undefined;
  keepWorkdir: boolean;
  gitTimeoutMs: number;
  random: () => number;
}

/** Maps `owner/name` to a clone URL; refuses what checkRepository refuses (credentials, plain http off loopback). */
export function resolveRepositoryUrl(repository: string, serverUrl = 'https://github.com'): string {
  const checked = checkRepository(repository, serverUrl);
  if (!checked.ok) throw new InputError(`repository ${checked.problem}`);
  return checked.value.url;
}

/** Lower-case, dash-separated, at most 60 characters; a short hash keeps truncated keys distinct. */
export function slugify(key: string): string {
  const slug = key
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[-.]+|[-.]+$/g, '');
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 8);
  if (!slug) return hash;
  if (slug.length <= 60 && slug.replace(/\.lock$/, '') === slug) return slug;
  return `${slug.slice(0, 51).replace(/[-.]+$/, '')}-${hash}`;
}

/** Deterministic: the same target branch and change key always give the same branch, so re-runs update one PR. */
export function pullRequestBranch(targetBranch: string, changeKey: string): string {
  return `mlflow-actions/${targetBranch}/${slugify(changeKey)}`;
}

export function resolveOptions<D>(o: WriteBackOptions<D>): ResolvedOptions<D> {
  const problems: string[] = [];
  // Checked at run time as well: a JavaScript caller (or a cast) can leave out or mistype anything.
  const given: Partial<WriteBackOptions<D>> = o;
  const repository = checkRepository(given.repository ?? '', o.serverUrl);
  if (!repository.ok) problems.push(`repository ${repository.problem}`);
  const modeGiven: unknown = given.mode ?? 'push';
  const mode = modeGiven === 'pull-request' ? 'pull-request' : 'push';
  if (modeGiven !== 'push' && modeGiven !== 'pull-request')
    problems.push(`mode must be "push" or "pull-request" (got "${String(modeGiven)}")`);
  const branch = branchProblem(given.branch ?? '');
  if (branch) problems.push(`branch ${branch}`);
  const source = o.sourceBranch === undefined ? undefined : branchProblem(o.sourceBranch);
  if (source) problems.push(`source branch ${source}`);
  if (!given.message?.trim()) problems.push('commit message must not be empty');
  if (!given.authorName?.trim()) problems.push('author name must not be empty');
  if (!given.authorEmail?.trim() || /[<>\n]/.test(o.authorEmail))
    problems.push(`author email "${given.authorEmail ?? ''}" is not valid`);
  if (typeof given.edit !== 'function') problems.push('edit must be a function');
  const maxAttempts = o.maxAttempts ?? 5;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    problems.push(`maxAttempts must be a positive integer (got ${maxAttempts})`);
  const token = o.token ? tokenProblem(o.token) : undefined;
  if (token) problems.push(`token ${token}`);

  let prBranch: string | undefined;
  if (mode === 'pull-request') {
    prBranch = o.prBranch ?? pullRequestBranch(given.branch ?? '', o.changeKey ?? firstLine(given.message ?? ''));
    const pr = branchProblem(prBranch);
    if (pr) problems.push(`pull-request branch ${pr}`);
    if (prBranch === o.branch) problems.push('pull-request branch must differ from the target branch');
    if (!o.pullRequests && !o.dryRun) problems.push('pull-request mode needs a pullRequests client');
  }
  if (problems.length || !repository.ok) throw new InputError(problems);
  const { url, plainHttp } = repository.value;

  const message = o.message.replace(/\r\n/g, '\n');
  return {
    url,
    plainHttp,
    displayName: url,
    token: o.token === '' ? undefined : o.token,
    branch: o.branch,
    sourceBranch: o.sourceBranch,
    message,
    authorName: o.authorName.trim(),
    authorEmail: o.authorEmail.trim(),
    edit: o.edit,
    maxAttempts,
    backoff: { baseMs: o.backoff?.baseMs ?? 500, maxMs: o.backoff?.maxMs ?? 10_000 },
    dryRun: o.dryRun ?? false,
    mode,
    prBranch,
    pullRequests: o.pullRequests,
    title: o.pullRequestTitle ?? firstLine(message),
    body: o.pullRequestBody ?? (message.split('\n').slice(1).join('\n').trim() || firstLine(message)),
    tempDir: o.tempDir,
    keepWorkdir: o.keepWorkdir ?? false,
    gitTimeoutMs: o.gitTimeoutMs ?? 300_000,
    random: o.random ?? Math.random,
  };
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0]!.trim();
}

/** Full jitter (AWS's "exponential backoff and jitter"): spreads racing writers apart best. */
export function backoffDelay(retry: number, b: BackoffOptions, random: () => number): number {
  const cap = Math.min(b.maxMs, b.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(cap * random());
}
