import { HttpClient, NetworkError, type RetryPolicy } from '@mlflow-actions/action-kit/http';
import type { Logger } from '@mlflow-actions/action-kit/log';
import type { DispatchRequest } from './dispatch-payload.js';

export interface GitHubDispatchOptions {
  /** `https://api.github.com`, or `https://HOST/api/v3` for GitHub Enterprise Server. */
  apiUrl: URL;
  /** Asked at each dispatch, so a token file rewritten by another process (an app token) is picked up. */
  token: () => string;
  /** `owner/name` */
  repository: string;
  policy: RetryPolicy;
  logger: Logger;
  userAgent: string;
  sleep?: (ms: number) => Promise<void>;
}

export type DispatchOutcome =
  { ok: true; status: number; attempts: number } | { ok: false; reason: string; attempts: number };

/**
 * Sends repository_dispatch events. 5xx, 429 and connection errors are retried with backoff and
 * jitter, honouring Retry-After (action-kit's HttpClient); any other answer is final: 401 and 404
 * mean a token that cannot write to the repository, and would fail again.
 */
export class GitHubDispatcher {
  private readonly http: HttpClient;
  private readonly url: URL;

  constructor(private readonly opts: GitHubDispatchOptions) {
    this.http = new HttpClient({
      policy: opts.policy,
      logger: opts.logger,
      userAgent: opts.userAgent,
      ...(opts.sleep ? { sleep: opts.sleep } : {}),
    });
    const base = opts.apiUrl.href.replace(/\/+$/, '');
    const [owner, name] = opts.repository.split('/') as [string, string];
    this.url = new URL(`${base}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/dispatches`);
  }

  async dispatch(request: DispatchRequest): Promise<DispatchOutcome> {
    try {
      const res = await this.http.request({
        method: 'POST',
        url: this.url,
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${this.opts.token()}`,
          'content-type': 'application/json',
          'x-github-api-version': '2022-11-28',
        },
        body: JSON.stringify(request),
      });
      if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, attempts: res.attempts };
      return {
        ok: false,
        reason: `GitHub answered HTTP ${res.status}: ${describe(res.status, res.body)}`,
        attempts: res.attempts,
      };
    } catch (e) {
      if (e instanceof NetworkError)
        return { ok: false, reason: `GitHub unreachable: ${e.message}`, attempts: e.attempts };
      throw e;
    }
  }

  close(): void {
    this.http.close();
  }
}

function describe(status: number, body: Buffer): string {
  let message = '';
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { message?: unknown };
    if (typeof parsed.message === 'string') message = parsed.message;
  } catch {
    // not JSON: a proxy's page; its status says enough
  }
  const hint =
    status === 401
      ? ' (the token is invalid or expired)'
      : status === 403 || status === 404
        ? ' (the token cannot write to this repository: it needs Contents read and write)'
        : '';
  // GitHub's text is quoted so a newline in it cannot forge a log line.
  return `${JSON.stringify(message.slice(0, 300))}${hint}`;
}
