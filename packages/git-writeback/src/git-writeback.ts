import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, sep } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ServiceError } from '@mlflow-actions/action-kit/errors';
import { silentLogger, type Logger } from '@mlflow-actions/action-kit/log';
import { createGit, redactor, requireGitVersion, secretsOf, type Git } from './git-cli.js';
import { classifyGitFailure, classifyPush, isTransient, type FailureContext } from './errors.js';
import {
  backoffDelay,
  resolveOptions,
  type EditOutcome,
  type ResolvedOptions,
  type TreeReader,
  type WriteBackOptions,
} from './options.js';
import { openOrUpdatePullRequest } from './pull-requests.js';

export interface WriteBackResult<D = unknown> {
  /** False when the edit found nothing to change (the branch already has it): no commit was made. */
  changed: boolean;
  /** The commit pushed (push mode: on `branch`; pull-request mode: head of the PR branch). Absent when unchanged or dry-run. */
  commitSha?: string;
  /** The head of the target branch the edit was last applied to. */
  baseSha: string;
  /** How many times the edit was applied (1 unless a push race was lost). */
  attempts: number;
  /** `git diff` of the change as committed (or, in dry-run, as it would be). Empty when unchanged. */
  diff: string;
  /** The branch written: the target in push mode, the PR branch in pull-request mode. */
  branch: string;
  dryRun: boolean;
  /** The `detail` the last application of the edit returned: what was committed (or found unchanged). */
  detail: D;
  pullRequestUrl?: string;
  pullRequestNumber?: number;
  /** Only with keepWorkdir: the clone, left for the caller to inspect and remove. */
  workdir?: string;
}

/** The options the git steps read; the edit (and so its detail type) is the loop's alone. */
type GitOptions = Omit<ResolvedOptions, 'edit'>;

export interface WriteBackHooks {
  /** Called with the clone just before it is removed, whether the run succeeded or not (tests check .git/config here). */
  beforeCleanup?: (workdir: string) => Promise<void> | void;
}

/**
 * Clones one branch shallowly into a temp dir, applies `edit`, commits and pushes. A push that loses
 * a race does not rebase text: it fetches the new head, resets to it and runs `edit` again, so the
 * change is re-derived from what is there now (a concurrent writer's edits to the same file survive).
 */
export async function writeBack<D = unknown>(
  options: WriteBackOptions<D> & WriteBackHooks,
  logger: Logger = silentLogger,
): Promise<WriteBackResult<D>> {
  const o = resolveOptions(options);
  const log = redactingLogger(logger, secretsOf(o.token));
  await requireGitVersion(log);
  for (const w of options.warnings ?? []) log.warning(w);
  if (o.plainHttp && o.token) {
    log.warning(
      `the token is sent over plain http to ${new URL(o.url).host}: allowed only because it is a loopback address`,
    );
  }

  const workdir = await mkdtemp(join(o.tempDir ?? tmpdir(), 'git-writeback-'));
  try {
    const git = createGit({
      cwd: workdir,
      token: o.token,
      tokenUrl: o.url,
      author: { name: o.authorName, email: o.authorEmail },
      // Never created: a directory without hooks, so no configured hook runs in our clone.
      hooksPath: join(workdir, '.git', 'no-hooks'),
      timeoutMs: o.gitTimeoutMs,
      logger: log,
    });
    // init + fetch rather than clone: the same fetch serves the first checkout and every retry, and
    // the remote URL stored in .git/config is the bare URL (the token travels only in the env).
    await git.run(['init', '-q']);
    await git.run(['remote', 'add', 'origin', o.url]);
    log.info(
      `${o.dryRun ? '[dry run] ' : ''}writing to ${o.displayName} branch "${o.branch}"${
        o.mode === 'pull-request' ? ` via pull request from "${o.prBranch}"` : ''
      }`,
    );
    const result = await run(git, workdir, o, log);
    if (o.keepWorkdir) result.workdir = workdir;
    return result;
  } finally {
    try {
      await options.beforeCleanup?.(workdir);
    } finally {
      if (!o.keepWorkdir) await rm(workdir, { recursive: true, force: true, maxRetries: 3 });
    }
  }
}

async function run<D>(git: Git, workdir: string, o: ResolvedOptions<D>, log: Logger): Promise<WriteBackResult<D>> {
  const ctx: FailureContext = { repository: o.displayName, branch: o.branch, operation: 'fetch', hasToken: !!o.token };
  let baseSha = await fetchHead(git, o, o.branch, ctx, log);
  // The source is read at one commit for the whole run: every attempt copies the same thing.
  const source =
    o.sourceBranch === undefined
      ? undefined
      : treeReader(
          git,
          o.sourceBranch,
          await fetchHead(git, o, o.sourceBranch, { ...ctx, branch: o.sourceBranch }, log),
        );
  if (source) log.info(`reading from ${o.sourceBranch}@${source.sha.slice(0, 7)}`);
  await git.run(['checkout', '-q', '-B', o.branch, baseSha]);

  for (let attempt = 1; ; attempt++) {
    // Errors from the edit (a missing file, a bad document) are the caller's and pass through unchanged.
    const outcome = await o.edit(workdir, { target: workTreeReader(git, workdir, o.branch, baseSha), source, attempt });
    const diff = outcome.changed ? await stage(git, workdir, outcome) : '';
    const common = {
      baseSha,
      attempts: attempt,
      dryRun: o.dryRun,
      detail: outcome.detail as D,
      branch: o.prBranch ?? o.branch,
    };
    if (!diff) {
      log.info(
        outcome.changed
          ? `no change: the edit rewrote files of ${o.branch}@${baseSha.slice(0, 7)} with identical content; nothing to commit`
          : `no change: ${o.branch}@${baseSha.slice(0, 7)} already has it; nothing to commit`,
      );
      return { changed: false, diff: '', ...common };
    }
    if (o.dryRun) {
      log.info(`[dry run] would commit to ${o.prBranch ?? o.branch}; pushing nothing`);
      return { changed: true, diff, ...common };
    }
    // The message goes on stdin: no message text can then be read as an option.
    await git.run(['commit', '-q', '--no-verify', '-F', '-'], {
      // An empty message from the edit means none: the default applies.
      input: outcome.message ? outcome.message.replace(/\r\n/g, '\n') : o.message,
    });
    const commitSha = (await git.run(['rev-parse', 'HEAD'])).stdout.trim();

    if (o.mode === 'pull-request') {
      return { ...(await pushPullRequest(git, o, commitSha, log)), changed: true, diff, ...common };
    }

    const res = await git.run(['push', '--porcelain', 'origin', `HEAD:refs/heads/${o.branch}`], { allowFailure: true });
    const pushed = classifyPush(res, { ...ctx, operation: 'push', mode: 'push' });
    if (pushed.kind === 'pushed') {
      log.info(`pushed ${commitSha.slice(0, 7)} to ${o.branch} (attempt ${attempt})`);
      return { changed: true, commitSha, diff, ...common };
    }
    if (pushed.kind === 'failed') throw pushed.error;
    if (attempt >= o.maxAttempts) {
      throw new ServiceError(
        `could not push to branch "${o.branch}" of ${o.displayName} in ${
          o.maxAttempts
        } attempts: other writers kept moving it or the server kept failing (last: ${pushed.reason.replace(
          /\s+/g,
          ' ',
        )}); retry later or raise maxAttempts`,
        undefined,
        'too-many-attempts',
      );
    }
    const delay = backoffDelay(attempt, o.backoff, o.random);
    log.info(
      pushed.kind === 'race'
        ? `push to ${o.branch} lost a race (${pushed.reason.replace(/\s+/g, ' ')}); re-applying the edit on the new head in ${
            delay
          } ms (attempt ${attempt + 1}/${o.maxAttempts})`
        : `push to ${o.branch} failed (${pushed.reason}); retrying in ${delay} ms (attempt ${attempt + 1}/${o.maxAttempts})`,
    );
    await sleep(delay);
    baseSha = await fetchHead(git, o, o.branch, ctx, log);
    if (baseSha === commitSha) {
      // A push reported as failed (e.g. a 502 after the server took it) had in fact landed.
      log.info(`pushed ${commitSha.slice(0, 7)} to ${o.branch} (the server took attempt ${attempt} despite the error)`);
      return { changed: true, commitSha, diff, ...common };
    }
    await git.run(['reset', '-q', '--hard', baseSha]);
    await git.run(['clean', '-q', '-ffdx']);
  }
}

/** Fetches a branch's head (depth 1, no tags) into refs/remotes/origin/<branch>; returns its sha. */
async function fetchHead(git: Git, o: GitOptions, branch: string, ctx: FailureContext, log: Logger): Promise<string> {
  const tries = Math.min(3, o.maxAttempts);
  for (let i = 1; ; i++) {
    const res = await git.run(
      ['fetch', '-q', '--depth', '1', '--no-tags', 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`],
      {
        allowFailure: true,
      },
    );
    if (res.code === 0) break;
    if (i >= tries || !isTransient(res.stderr)) throw classifyGitFailure(res.stderr, ctx);
    const delay = backoffDelay(i, o.backoff, o.random);
    log.info(`fetch of ${branch} failed (${res.stderr.trim().split('\n').at(-1)}); retrying in ${delay} ms`);
    await sleep(delay);
  }
  return (await git.run(['rev-parse', `refs/remotes/origin/${branch}`])).stdout.trim();
}

/** The checkout itself: tracked files from the index, contents from disk (one process, not one per file). */
function workTreeReader(git: Git, workdir: string, branch: string, sha: string): TreeReader {
  return {
    branch,
    sha,
    files: async () => (await git.run(['ls-files', '-z'])).stdout.split('\0').filter(Boolean),
    read: async (path) => {
      try {
        return await readFile(join(workdir, path), 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
  };
}

/** Reads a fetched commit's tree through git itself: nothing is checked out. */
function treeReader(git: Git, branch: string, sha: string): TreeReader {
  let list: Promise<string[]> | undefined;
  return {
    branch,
    sha,
    files: () =>
      (list ??= git
        .run(['ls-tree', '-r', '-z', '--full-tree', '--name-only', sha])
        .then((r) => r.stdout.split('\0').filter(Boolean))),
    read: (path) => readOne(git, sha, path),
    readMany: (paths) => readBlobs(git, sha, paths),
  };
}

/**
 * Reads many files of one commit with a single `git cat-file --batch`: a promotion that scans a
 * thousand manifests would otherwise start a thousand git processes. The batch protocol is one
 * object name per line, so a path holding a newline is read on its own. A path that is not a file
 * of the tree (missing, or a directory or submodule) reads as undefined, as with `read`.
 */
async function readBlobs(git: Git, sha: string, paths: readonly string[]): Promise<Map<string, string | undefined>> {
  const out = new Map<string, string | undefined>();
  const lineSafe = (p: string) => !/[\n\r]/.test(p);
  const batch = paths.filter(lineSafe);
  if (batch.length > 0) {
    const r = await git.run(['cat-file', '--batch'], {
      input: batch.map((p) => `${sha}:${p}\n`).join(''),
      bytes: true,
    });
    const bytes = r.stdoutBytes!;
    let at = 0;
    for (const path of batch) {
      const eol = bytes.indexOf(0x0a, at);
      if (eol < 0) throw new Error(`git cat-file --batch answered fewer objects than asked (stopped before ${path})`);
      // "<oid> <type> <size>" and the content, or "<name> missing" (or "ambiguous") alone.
      const m = /^[0-9a-f]{40,64} ([a-z]+) (\d+)$/.exec(bytes.toString('utf8', at, eol));
      at = eol + 1;
      if (!m) {
        out.set(path, undefined);
        continue;
      }
      const size = Number(m[2]);
      out.set(path, m[1] === 'blob' ? git.redact(bytes.toString('utf8', at, at + size)) : undefined);
      at += size + 1; // the content ends with a newline of the protocol's own
    }
  }
  for (const p of paths) if (!lineSafe(p)) out.set(p, await readOne(git, sha, p));
  return out;
}

async function readOne(git: Git, sha: string, path: string): Promise<string | undefined> {
  const r = await git.run(['cat-file', 'blob', `${sha}:${path}`], { allowFailure: true });
  return r.code === 0 ? r.stdout : undefined;
}

/** Stages what the edit reported; returns the staged diff against HEAD (empty: nothing to commit). */
async function stage(git: Git, workdir: string, outcome: EditOutcome): Promise<string> {
  const paths = outcome.files.map((f) => {
    const rel = isAbsolute(f) ? relative(workdir, f) : f;
    if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
      throw new Error(`the edit reported "${f}", which is not a file inside the clone ${workdir}`);
    }
    return rel;
  });
  // -A so a file the edit deleted is staged as deleted; only the reported files, so stray files stay out.
  await git.run(['add', '-A', '--', ...(paths.length ? paths : ['.'])]);
  // One diff serves both as "is there a change" and as the result (a mode-only change still prints a header).
  return (await git.run(['diff', '--cached', '--no-color', '--no-ext-diff', '--src-prefix=a/', '--dst-prefix=b/']))
    .stdout;
}

/**
 * Force-pushes the commit to the PR branch (it is ours: re-runs of the same change overwrite it),
 * then opens or updates the PR. When the branch already holds the same tree on the same base, the
 * push is skipped so a re-run does not churn the PR with a new commit of identical content.
 */
async function pushPullRequest(
  git: Git,
  o: GitOptions,
  commitSha: string,
  log: Logger,
): Promise<Pick<WriteBackResult, 'commitSha' | 'pullRequestUrl' | 'pullRequestNumber'>> {
  const prBranch = o.prBranch!;
  const ctx = {
    repository: o.displayName,
    branch: prBranch,
    operation: 'push' as const,
    hasToken: !!o.token,
    mode: 'pull-request' as const,
  };
  let headSha = commitSha;
  const existing = await remoteBranchSha(git, prBranch);
  if (existing && (await sameChange(git, prBranch, existing, commitSha))) {
    headSha = existing;
    log.info(`${prBranch} already holds this change (${existing.slice(0, 7)}); not pushing`);
  } else {
    for (let attempt = 1; ; attempt++) {
      const res = await git.run(['push', '--porcelain', '--force', 'origin', `HEAD:refs/heads/${prBranch}`], {
        allowFailure: true,
      });
      const pushed = classifyPush(res, ctx);
      if (pushed.kind === 'pushed') break;
      if (pushed.kind === 'failed') throw pushed.error;
      if (attempt >= o.maxAttempts)
        throw new ServiceError(
          `could not push ${prBranch} to ${o.displayName}: ${pushed.reason}`,
          undefined,
          'too-many-attempts',
        );
      await sleep(backoffDelay(attempt, o.backoff, o.random));
    }
    log.info(`pushed ${commitSha.slice(0, 7)} to ${prBranch}`);
  }
  const pr = await openOrUpdatePullRequest(o.pullRequests!, prBranch, o.branch, { title: o.title, body: o.body }, log);
  return { commitSha: headSha, pullRequestUrl: pr.url, pullRequestNumber: pr.number };
}

async function remoteBranchSha(git: Git, branch: string): Promise<string | undefined> {
  const res = await git.run(['ls-remote', '--refs', 'origin', `refs/heads/${branch}`], { allowFailure: true });
  if (res.code !== 0) return undefined; // the push right after will report the problem properly
  return /^([0-9a-f]{40,64})\t/m.exec(res.stdout)?.[1];
}

async function sameChange(git: Git, branch: string, existing: string, ours: string): Promise<boolean> {
  const fetched = await git.run(
    ['fetch', '-q', '--depth', '1', '--no-tags', 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`],
    {
      allowFailure: true,
    },
  );
  if (fetched.code !== 0) return false;
  // cat-file shows the parent line even for a shallow commit, where rev-parse X^ would not.
  const header = async (sha: string) => {
    const raw = (await git.run(['cat-file', 'commit', sha])).stdout;
    return raw
      .split('\n\n')[0]!
      .split('\n')
      .filter((l) => /^(tree|parent) /.test(l))
      .join('\n');
  };
  return (await header(existing)) === (await header(ours));
}

function redactingLogger(logger: Logger, secrets: string[]): Logger {
  const redact = redactor(secrets);
  return {
    debug: (m) => {
      logger.debug(redact(m));
    },
    info: (m) => {
      logger.info(redact(m));
    },
    warning: (m) => {
      logger.warning(redact(m));
    },
  };
}
