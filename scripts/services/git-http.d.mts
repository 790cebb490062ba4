/**
 * A real smart-HTTP git server for tests and the demo: node:http in front of `git http-backend` (CGI), with
 * GitHub-like authentication (Basic, user x-access-token) and a GitHub-like protected branch.
 *
 * - `token` may fetch and push; `readOnlyToken` may fetch, and gets 403 on git-receive-pack
 *   (as GitHub answers a token without contents: write).
 * - No or unknown credentials get 401 with a Basic challenge.
 * - In every repository a pre-receive hook refuses pushes to `protected` with GitHub's GH006 text.
 */
export interface LogEntry {
  sha: string;
  authorName: string;
  authorEmail: string;
  committerName: string;
  committerEmail: string;
  subject: string;
}

export interface GitServerOptions {
  /** The loopback address to listen on (default 127.0.0.1); another one (127.0.0.2) stands for another host. */
  host?: string;
  /** Fetches without credentials are served (a public repository); pushes still need the token. */
  anonymousRead?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** Path and query string. */
  path: string;
  /** The Authorization header as received, if any. */
  authorization: string | undefined;
}

export interface GitServer {
  /** http://127.0.0.1:<port> — repositories are at `${url}/<name>.git`. */
  url: string;
  token: string;
  readOnlyToken: string;
  /** GIT_PROJECT_ROOT: holds `<name>.git` bare repositories. */
  root: string;
  repoUrl(name: string): string;
  /** Creates the bare repo if needed and adds `branch` holding `files` (one commit). Returns the repo URL. */
  createRepo(name: string, files: Record<string, string>, branch?: string): Promise<string>;
  readFile(repo: string, branch: string, path: string): Promise<string>;
  /** Newest first, whole history of the branch. */
  log(repo: string, branch: string): Promise<LogEntry[]>;
  /** Runs git against the bare repo (e.g. `show`, `cat-file`); returns stdout. */
  git(repo: string, args: string[]): Promise<string>;
  /** How many requests each token made to git-receive-pack (to prove a dry run pushed nothing). */
  receivePackRequests(): number;
  /** Every request received so far, in order, with its Authorization header. */
  requests(): RecordedRequest[];
  /** From now on, answer every request for repository `name` with a 301 to `toBaseUrl` + the rest of the path. */
  redirect(name: string, toBaseUrl: string): void;
  close(): Promise<void>;
}

export function startGitServer(options?: GitServerOptions): Promise<GitServer>;
