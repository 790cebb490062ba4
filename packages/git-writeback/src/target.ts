import { isLoopbackHost } from '@mlflow-actions/action-kit/url-safety';
/**
 * The one check of where a write-back goes and with which credentials: the repository, the branch
 * and the token. The actions' input check and git-writeback itself both call these, so the two can
 * never disagree about what is valid. Each check returns the problem as the tail of a sentence
 * ("must be ...") that the caller prefixes with what it calls the value ("input 'repository'" in an
 * action, "repository" in the library); none of them ever echoes a credential.
 */

/** Where a repository lives, parsed: the clone URL carries no credentials. */
export interface RepositoryTarget {
  /** The clone URL, `https://host/owner/name.git` (or plain http to a loopback address). */
  url: string;
  /** `scheme://host[:port]`: the only origin a token for this repository is sent to. */
  origin: string;
  /** `owner/name` when the repository is on the given GitHub server (pull-request mode needs it). */
  ownerRepo: string | undefined;
  /** Plain http, which is allowed only to a loopback address (a local server in tests or a demo). */
  plainHttp: boolean;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

// GitHub's owner names are letters, digits and hyphens; Enterprise Managed Users add `_shortcode`.
const OWNER_NAME = /^([A-Za-z0-9][A-Za-z0-9_-]*)\/([A-Za-z0-9._-]+)$/;
const GITHUB_DEFAULT = 'https://github.com';

export { isLoopbackHost };

/** The value as it may appear in a message: any `user:password@` part is replaced by `***@`. */
export function describeRepository(value: string): string {
  return value.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)?[^/]*@/, '$1***@');
}

/**
 * Credentials a user wrote into `repository` by mistake (`https://user:token@host/…`, or a bare
 * `x-access-token:<token>@host/…`), so an action can mask them before anything is printed.
 */
export function credentialsIn(value: string): string[] {
  const m = /^(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/)?([^/]*)@/.exec(value.trim());
  if (!m?.[1]) return [];
  const userinfo = m[1];
  const parts = userinfo.split(':');
  const out = new Set([userinfo, ...parts.filter((p) => p.length >= 4)]);
  for (const s of [...out]) {
    try {
      out.add(decodeURIComponent(s));
    } catch {
      // not percent-encoded: the raw form is masked already
    }
  }
  return [...out].filter(Boolean);
}

/** `owner/name` (on `serverUrl`) or an https URL of a git repository. */
export function checkRepository(value: string, serverUrl = GITHUB_DEFAULT): Checked<RepositoryTarget> {
  const repository = value.trim();
  const server = parseServerUrl(serverUrl);
  if (!repository) return { ok: false, problem: 'is required: owner/name (on this GitHub) or an https git URL' };
  const shown = describeRepository(repository);
  const owned = OWNER_NAME.exec(repository);
  if (owned) {
    const name = owned[2]!.replace(/\.git$/, '');
    if (name === '' || name === '.' || name === '..')
      return { ok: false, problem: `has no repository name: '${shown}'` };
    if (server.plainHttp && !isLoopbackHost(server.hostname)) {
      return { ok: false, problem: `must be on an https server: GITHUB_SERVER_URL (${server.origin}) is plain http` };
    }
    const url = `${server.origin}${server.path}/${owned[1]}/${name}.git`;
    return {
      ok: true,
      value: { url, origin: server.origin, ownerRepo: `${owned[1]}/${name}`, plainHttp: server.plainHttp },
    };
  }
  if (/^[\w.-]+@[\w.-]+:/.test(repository)) {
    return {
      ok: false,
      problem: 'is an SSH address, which is not supported: use https://host/owner/name.git or owner/name',
    };
  }
  if ((repository.split('/')[repository.includes('://') ? 2 : 0] ?? '').includes('@')) {
    return { ok: false, problem: "must not hold credentials (user:token@...): pass the token in 'token' instead" };
  }
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(repository)) {
    return { ok: false, problem: `must be owner/name or an https URL of a git repository, got '${shown}'` };
  }
  let url: URL;
  try {
    url = new URL(repository);
  } catch {
    return {
      ok: false,
      problem: `is not a valid URL: '${shown}' (expected https://host/owner/name.git or owner/name)`,
    };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, problem: `must be an https URL or owner/name (got a ${url.protocol} URL)` };
  }
  if (url.username || url.password) {
    return { ok: false, problem: "must not hold credentials (user:token@...): pass the token in 'token' instead" };
  }
  if (url.search || url.hash) return { ok: false, problem: `must not have a query or fragment: '${shown}'` };
  if (url.pathname.replace(/\/+$/, '') === '') return { ok: false, problem: `names no repository path: '${shown}'` };
  const plainHttp = url.protocol === 'http:';
  if (plainHttp && !isLoopbackHost(url.hostname)) {
    return {
      ok: false,
      problem: `must use https: plain http (${url.host}) is allowed only to a loopback address, since a token would travel unencrypted`,
    };
  }
  const path = url.pathname.replace(/\/+$/, '');
  const onServer =
    url.origin === server.origin ? /^\/([^/]+\/[^/]+?)(?:\.git)?$/.exec(path.slice(server.path.length)) : null;
  const ownerRepo = onServer && path.startsWith(`${server.path}/`) ? onServer[1] : undefined;
  return { ok: true, value: { url: url.toString(), origin: url.origin, ownerRepo, plainHttp } };
}

function parseServerUrl(serverUrl: string): { origin: string; hostname: string; path: string; plainHttp: boolean } {
  let u: URL;
  try {
    u = new URL(serverUrl || GITHUB_DEFAULT);
  } catch {
    u = new URL(GITHUB_DEFAULT);
  }
  return {
    origin: u.origin,
    hostname: u.hostname,
    path: u.pathname.replace(/\/+$/, ''),
    plainHttp: u.protocol === 'http:',
  };
}

/**
 * git check-ref-format's rules for a branch name, checked here so a bad name fails before any
 * network call instead of as an obscure git message (and `-x` can never reach git as an option).
 */
export function branchProblem(name: string): string | undefined {
  const bad = (why: string) => `is not a valid branch name ('${name}': ${why})`;
  if (!name) return 'must not be empty';
  if (name.startsWith('-')) return bad('it starts with -');
  if (name === '@' || name.includes('@{')) return bad('it holds @ or @{');
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//')) return bad('empty path component');
  if (name.endsWith('.')) return bad('it ends with .');
  if (name.includes('..')) return bad('it holds ..');
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return bad('spaces, control characters and ~^:?*[\\ are not allowed');
  for (const part of name.split('/')) {
    if (part.startsWith('.')) return bad('a component starts with .');
    if (part.endsWith('.lock')) return bad('a component ends with .lock');
  }
  return undefined;
}

export function isValidBranchName(name: string): boolean {
  return branchProblem(name) === undefined;
}

/** A token goes into one HTTP header: a line break in it would add a header of the sender's choice. */
export function tokenProblem(token: string): string | undefined {
  if (/[\r\n]/.test(token)) return 'must not contain line breaks';
  if (/\s/.test(token.trim())) return 'must not contain spaces';
  return undefined;
}

export interface TokenChoice {
  /** The token to send to `target.origin`, or undefined: send none. */
  token: string | undefined;
  /** Said to the user when the job's token was withheld from another host. */
  warning: string | undefined;
}

/**
 * Which token is sent. The job's own token (GITHUB_TOKEN) may write to the job's repository and is
 * meant for the job's GitHub only: it never goes to another host, even when the user passed it
 * explicitly. Any other token is the user's choice for the repository they named, and goes to that
 * host only (the header is scoped to the repository's URL and redirects are not followed).
 */
export function chooseToken(o: {
  token: string | undefined;
  jobToken: string | undefined;
  target: RepositoryTarget;
  serverUrl: string;
}): TokenChoice {
  if (!o.token) return { token: undefined, warning: undefined };
  const server = parseServerUrl(o.serverUrl);
  const isJobToken = o.jobToken !== undefined && o.jobToken !== '' && o.token === o.jobToken;
  if (isJobToken && o.target.origin !== server.origin) {
    return {
      token: undefined,
      warning:
        `the job's token is not sent to ${o.target.origin}: it goes only to ${server.origin} (GITHUB_SERVER_URL); ` +
        `to write there, set 'token' to a token for that host`,
    };
  }
  return { token: o.token, warning: undefined };
}
