import { spawn } from 'node:child_process';
import { ServiceError } from '@mlflow-actions/action-kit/errors';
import type { Logger } from '@mlflow-actions/action-kit/log';

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The bytes of stdout, not decoded and not redacted; only with `bytes: true`. */
  stdoutBytes?: Buffer;
}

/** A git command that exited non-zero. Its text is already redacted. */
export class GitCommandError extends Error {
  constructor(
    readonly command: string,
    readonly code: number,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`git ${command} exited with ${code}: ${lastMeaningfulLine(stderr) || lastMeaningfulLine(stdout)}`);
    this.name = 'GitCommandError';
  }
}

export interface GitRunOptions {
  /** Send this on stdin (commit messages go this way, so no message can look like an option). */
  input?: string;
  /** Return a non-zero exit as a result instead of throwing (the caller reads the output). */
  allowFailure?: boolean;
  /** Also return stdout's bytes (`stdoutBytes`), for output that counts bytes (cat-file --batch). */
  bytes?: boolean;
}

export interface GitSettings {
  cwd: string;
  token: string | undefined;
  /** The repository URL the token is scoped to: git sends the header only to URLs under it. */
  tokenUrl?: string;
  author: { name: string; email: string };
  /** A path with no hooks in it: neither a global core.hooksPath nor a template may run code in our clone. */
  hooksPath: string;
  timeoutMs: number;
  logger: Logger;
}

export interface Git {
  run(args: string[], options?: GitRunOptions): Promise<GitResult>;
  /** Removes the token (raw, in its Basic form and in base64) from any text. */
  redact(text: string): string;
}

export function basicAuthHeader(token: string): string {
  return `Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
}

export function secretsOf(token: string | undefined): string[] {
  if (!token) return [];
  const b64 = Buffer.from(`x-access-token:${token}`).toString('base64');
  return [`x-access-token:${token}`, b64, token];
}

export function redactor(secrets: string[]): (text: string) => string {
  const list = secrets.filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  return (text) => list.reduce((t, s) => t.split(s).join('***'), text);
}

/**
 * Variables from our own environment that would point git at another repository or make it print
 * what it sends (GIT_TRACE_CURL shows headers), or that carry someone else's config entries.
 */
const DROPPED_GIT_VARIABLES = [
  'DIR',
  'WORK_TREE',
  'INDEX_FILE',
  'OBJECT_DIRECTORY',
  'ALTERNATE_OBJECT_DIRECTORIES',
  'COMMON_DIR',
  'NAMESPACE',
  'PREFIX',
  'CONFIG_PARAMETERS',
  'CONFIG_COUNT',
  String.raw`CONFIG_KEY_\d+`,
  String.raw`CONFIG_VALUE_\d+`,
  String.raw`TRACE\w*`,
  'CURL_VERBOSE',
  'SSL_KEYLOG',
  'EXEC_PATH_OVERRIDE',
];
const DROPPED_ENV = new RegExp(`^(GIT_(${DROPPED_GIT_VARIABLES.join('|')}))$`);

/**
 * The environment of every git command. Configuration goes through GIT_CONFIG_COUNT/KEY/VALUE
 * (git ≥ 2.31) rather than `-c`, because argument lists are visible to every user of the machine
 * (ps, /proc) while the environment is not — and the token is one of those entries. Nothing here is
 * written to .git/config, so the clone on disk never holds the token.
 */
export function gitEnvironment(
  s: Pick<GitSettings, 'token' | 'tokenUrl' | 'author' | 'hooksPath'>,
  inherited: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const config: [string, string][] = [
    // An empty helper list: git neither asks a stored helper for credentials nor stores ours.
    ['credential.helper', ''],
    ['core.askPass', ''],
    ['core.hooksPath', s.hooksPath],
    ['commit.gpgSign', 'false'],
    ['core.autocrlf', 'false'],
    ['gc.auto', '0'],
    ['maintenance.auto', 'false'],
    ['advice.detachedHead', 'false'],
    ['init.defaultBranch', 'main'],
    // With the default ("initial"), git follows a redirect of its first request and then sends every
    // later request, extra headers included, to the host it was sent to: a token would follow a
    // redirect to any host. Not following one keeps the token on the repository's host.
    ['http.followRedirects', 'false'],
    // The empty entry clears any extraHeader inherited from global config, so only ours is sent.
    ['http.extraHeader', ''],
  ];
  if (s.token) {
    if (!s.tokenUrl) throw new Error('a token needs the URL it is scoped to');
    // Scoped to the repository's URL (git's urlmatch): no other URL git might reach gets it.
    config.push([`http.${s.tokenUrl}.extraHeader`, ''], [`http.${s.tokenUrl}.extraHeader`, basicAuthHeader(s.token)]);
  }
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(inherited)) if (!DROPPED_ENV.test(k)) env[k] = v;
  Object.assign(env, {
    GIT_TERMINAL_PROMPT: '0',
    // Set but empty: git then skips core.askPass and SSH_ASKPASS too, so nothing can prompt.
    GIT_ASKPASS: '',
    GIT_TRACE_REDACT: '1',
    // Messages are parsed to tell a lost race from a protected branch; they must be in English.
    LC_ALL: 'C',
    LANGUAGE: 'C',
    GIT_AUTHOR_NAME: s.author.name,
    GIT_AUTHOR_EMAIL: s.author.email,
    GIT_COMMITTER_NAME: s.author.name,
    GIT_COMMITTER_EMAIL: s.author.email,
    GIT_CONFIG_COUNT: String(config.length),
  });
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}

export function createGit(s: GitSettings): Git {
  const env = gitEnvironment(s);
  const redact = redactor(secretsOf(s.token));
  const run = (args: string[], options: GitRunOptions = {}): Promise<GitResult> =>
    new Promise((resolve, reject) => {
      const command = args.join(' ');
      s.logger.debug(redact(`git ${command}`));
      const child = spawn('git', args, { cwd: s.cwd, env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, s.timeoutMs);
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(e.code === 'ENOENT' ? new ServiceError('git is not installed or not on PATH') : e);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        const stdoutBytes = Buffer.concat(out);
        const result: GitResult = {
          code: code ?? -1,
          stdout: options.bytes ? '' : redact(stdoutBytes.toString('utf8')),
          stderr: redact(Buffer.concat(err).toString('utf8')),
        };
        if (options.bytes) result.stdoutBytes = stdoutBytes;
        if (timedOut) {
          reject(new ServiceError(`git ${args[0]} did not finish within ${Math.round(s.timeoutMs / 1000)} s`));
        } else if (result.code !== 0 && !options.allowFailure) {
          reject(new GitCommandError(redact(command), result.code, result.stdout, result.stderr));
        } else {
          resolve(result);
        }
      });
      // A closed stdin (git finished before reading) must not crash the process.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input ?? '');
    });
  return { run, redact };
}

/** The line a person needs from git's stderr: the last `fatal:`/`error:` line, else the last line. */
export function lastMeaningfulLine(text: string): string {
  const lines = text
    .split(/\r?\n|\r/)
    .map((l) => l.trim())
    .filter(Boolean);
  const important = lines.filter((l) => /^(fatal|error):/.test(l));
  return (important.at(-1) ?? lines.at(-1) ?? '').replace(/\s+/g, ' ');
}

let versionCheck: Promise<void> | undefined;

/** GIT_CONFIG_COUNT arrived in git 2.31; an older git would silently drop the token and fail as "401". */
export function requireGitVersion(logger: Logger): Promise<void> {
  versionCheck ??= (async () => {
    const git = createGit({
      cwd: process.cwd(),
      token: undefined,
      author: { name: 'x', email: 'x' },
      hooksPath: '',
      timeoutMs: 30_000,
      logger,
    });
    const { stdout } = await git.run(['version']);
    const m = /(\d+)\.(\d+)/.exec(stdout);
    const [major, minor] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
    if (major < 2 || (major === 2 && minor < 31)) {
      throw new ServiceError(`git ≥ 2.31 is required (found "${stdout.trim()}")`);
    }
  })();
  versionCheck.catch(() => (versionCheck = undefined));
  return versionCheck;
}
