import { ServiceError } from '@mlflow-actions/action-kit/errors';
import { lastMeaningfulLine, type GitResult } from './git-cli.js';

/**
 * Turns git's stderr into one line a person can act on. git (over smart HTTP, LC_ALL=C) and GitHub
 * phrase the cases differently, so each pattern lists both wordings seen in practice.
 */
export interface FailureContext {
  repository: string;
  /** The branch being read (fetch) or written (push). */
  branch: string;
  operation: 'fetch' | 'push';
  hasToken: boolean;
}

const NO_BRANCH = /couldn't find remote ref|Remote branch .* not found|fatal: invalid refspec/i;
const UNAUTHORIZED =
  /could not read (Username|Password)|Authentication failed|Invalid username or (password|token)|returned error: 401|Bad credentials/i;
const FORBIDDEN =
  /returned error: 403|Permission to .* denied|Write access to repository not granted|\b403\b.*Forbidden/i;
const NOT_FOUND =
  /Repository not found|repository '.*' not found|returned error: 404|does not appear to be a git repository/i;
const REDIRECT = /returned error: 30[12378]\b/;
const TRANSIENT = new RegExp(
  [
    String.raw`returned error: 5\d\d`,
    'RPC failed',
    'early EOF',
    'remote end hung up unexpectedly',
    'Connection reset',
    'Connection timed out',
    'Operation timed out',
    'SSL_ERROR_SYSCALL',
    'unexpected disconnect',
    'GnuTLS recv error',
  ].join('|'),
  'i',
);

export function isTransient(text: string): boolean {
  return TRANSIENT.test(text) && !UNAUTHORIZED.test(text) && !FORBIDDEN.test(text) && !NOT_FOUND.test(text);
}

export function classifyGitFailure(stderr: string, ctx: FailureContext): ServiceError {
  const repo = ctx.repository;
  if (REDIRECT.test(stderr)) {
    const status = /returned error: (30\d)/.exec(stderr)![1];
    return new ServiceError(
      `${repo} answered with a redirect (HTTP ${status}), which is not followed so that a token cannot be carried to ` +
        'another host: set repository to the URL the repository lives at now',
      Number(status),
      'redirect',
    );
  }
  if (UNAUTHORIZED.test(stderr)) {
    const why = ctx.hasToken
      ? 'the server refused the token; check that it is valid and not expired'
      : 'the repository needs a token and none was given';
    return new ServiceError(
      `authentication failed for ${repo} (HTTP 401 from the server): ${why}`,
      401,
      'unauthorized',
    );
  }
  if (FORBIDDEN.test(stderr)) {
    return ctx.operation === 'push'
      ? new ServiceError(
          `the token cannot push to ${
            repo
          } (HTTP 403 from the server): it may read but not write; give it write access to the repository contents (contents: write)`,
          403,
          'forbidden',
        )
      : new ServiceError(`the token may not read ${repo} (HTTP 403 from the server)`, 403, 'forbidden');
  }
  if (NOT_FOUND.test(stderr)) {
    return new ServiceError(
      `repository ${repo} not found (HTTP 404), or the token cannot see it`,
      404,
      'repository-not-found',
    );
  }
  if (ctx.operation === 'fetch' && NO_BRANCH.test(stderr)) {
    return new ServiceError(`branch "${ctx.branch}" does not exist in ${repo}`, 404, 'branch-not-found');
  }
  const detail = lastMeaningfulLine(stderr) || 'no message from git';
  return new ServiceError(
    `git ${ctx.operation} ${ctx.operation === 'push' ? 'to' : 'from'} ${repo} failed: ${detail}`,
    undefined,
    'git-failed',
  );
}

export type PushOutcome =
  | { kind: 'pushed' }
  /** Someone else moved the branch first (or held its lock): fetch, re-apply the edit, retry. */
  | { kind: 'race'; reason: string }
  /** A network or server hiccup; the push may or may not have landed. */
  | { kind: 'transient'; reason: string }
  | { kind: 'failed'; error: ServiceError };

// `git push --porcelain` prints one line per ref: <flag>\t<from>:<to>\t<summary> [(<reason>)].
const PORCELAIN = /^([ +\-*=!])\t[^\t]*\t(.*)$/m;
const LOST_RACE = /\((fetch first|non-fast-forward|stale info)\)/;
const REMOTE_LOCK =
  /cannot lock ref|failed to update ref|failed to lock|incorrect old value|reference already exists|is at [0-9a-f]+ but expected/i;
const PROTECTED = /hook declined|protected branch|GH006|GH013|rule violations|push declined/i;

export function classifyPush(result: GitResult, ctx: FailureContext & { mode: 'push' | 'pull-request' }): PushOutcome {
  const line = PORCELAIN.exec(result.stdout);
  if (line && line[1] !== '!' && result.code === 0) return { kind: 'pushed' };
  const summary = line?.[2] ?? '';
  if (line?.[1] === '!') {
    if (summary.startsWith('[rejected]') && LOST_RACE.test(summary)) return { kind: 'race', reason: summary };
    if (summary.startsWith('[remote rejected]') && REMOTE_LOCK.test(summary)) return { kind: 'race', reason: summary };
    if (PROTECTED.test(summary) || PROTECTED.test(result.stderr)) {
      return { kind: 'failed', error: protectedBranchError(result.stderr, summary, ctx) };
    }
    return {
      kind: 'failed',
      error: new ServiceError(
        `push to branch "${ctx.branch}" of ${ctx.repository} was rejected: ${summary.replace(/\s+/g, ' ')}`,
        undefined,
        'push-rejected',
      ),
    };
  }
  if (isTransient(result.stderr)) return { kind: 'transient', reason: lastMeaningfulLine(result.stderr) };
  return { kind: 'failed', error: classifyGitFailure(result.stderr, ctx) };
}

function protectedBranchError(
  stderr: string,
  summary: string,
  ctx: FailureContext & { mode: 'push' | 'pull-request' },
): ServiceError {
  // The server's own words ("Changes must be made through a pull request") say which rule fired.
  const remote = stderr
    .split(/\r?\n/)
    .map((l) => /^remote:\s*(.*)$/.exec(l.trim())?.[1]?.trim() ?? '')
    .map((l) => l.replace(/^(error|fatal):\s*/i, '').replace(/^-\s*/, ''))
    .filter((l) => l && !/^\s*$/.test(l));
  const because = (remote.length ? remote.join(' ') : summary).replace(/\s+/g, ' ').trim();
  const advice =
    ctx.mode === 'push'
      ? 'use mode: pull-request to propose the change as a pull request instead'
      : 'the pull-request branch is protected too; choose another branch name';
  return new ServiceError(
    `push to branch "${ctx.branch}" of ${ctx.repository} was rejected by the server (protected branch: ${because}); ${advice}`,
    undefined,
    'protected-branch',
  );
}
