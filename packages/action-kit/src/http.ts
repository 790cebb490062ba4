import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { gunzipSync, brotliDecompressSync, inflateSync } from 'node:zlib';
import type { Logger } from './log.js';
import { silentLogger } from './log.js';

/**
 * A small retrying HTTP client over node:http(s), shared by every action that talks to a service.
 *
 * Why not fetch: custom CA bundles, client certificates and "insecure" TLS (which MLflow's own
 * clients support) need an undici dispatcher with fetch, and undici alone weighs more than this
 * whole file. node:https takes them as Agent options, with keep-alive for free.
 *
 * Retry semantics follow urllib3 as MLflow's Python client configures it: retry on connection
 * errors and on 408/429/500/502/503/504; the first retry is immediate, then backoff_factor *
 * 2^(n-1) seconds plus up to backoff_jitter seconds of random jitter, capped; Retry-After wins
 * when the server sends it.
 */
export interface RetryPolicy {
  maxRetries: number;
  backoffFactor: number; // seconds
  backoffJitter: number; // seconds
  maxBackoffSeconds: number;
  timeoutMs: number;
}

export const DEFAULT_RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

export interface TlsOptions {
  insecure?: boolean;
  caCertPath?: string;
  clientCertPath?: string;
}

export interface HttpRequest {
  method?: string;
  url: URL;
  headers?: Record<string, string>;
  body?: string;
}

/** A response whose body is still to be read, for downloads streamed to disk. */
export interface HttpStreamResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: http.IncomingMessage;
  attempts: number;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** How many attempts it took (1 = no retry). */
  attempts: number;
}

/** The request could not be completed: every attempt failed at the connection level or timed out. */
export class NetworkError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly attempts: number,
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}

const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'ERR_HTTP_HEADERS_SENT',
  'HPE_INVALID_CONSTANT',
]);

export function backoffSeconds(retry: number, policy: RetryPolicy, random = Math.random): number {
  // retry is 1-based: urllib3 sleeps 0 before the first retry.
  const base = retry <= 1 ? 0 : policy.backoffFactor * 2 ** (retry - 1);
  return Math.min(policy.maxBackoffSeconds, base + random() * policy.backoffJitter);
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Number(v.trim());
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - now) / 1000);
}

export interface HttpClientOptions {
  policy: RetryPolicy;
  tls?: TlsOptions;
  logger?: Logger;
  userAgent?: string;
  retryStatuses?: Set<number>;
  sleep?: (ms: number) => Promise<void>;
}

export class HttpClient {
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  private readonly httpsAgent: https.Agent;
  private readonly log: Logger;
  private readonly retryStatuses: Set<number>;

  constructor(private readonly opts: HttpClientOptions) {
    this.log = opts.logger ?? silentLogger;
    this.retryStatuses = opts.retryStatuses ?? DEFAULT_RETRY_STATUSES;
    const tls = opts.tls ?? {};
    const agentOpts: https.AgentOptions = { keepAlive: true, maxSockets: 16 };
    if (tls.insecure) agentOpts.rejectUnauthorized = false;
    if (tls.caCertPath) agentOpts.ca = readFileSync(tls.caCertPath);
    if (tls.clientCertPath) {
      // Like requests' `cert=path`: one PEM holding the certificate and its key.
      const pem = readFileSync(tls.clientCertPath);
      agentOpts.cert = pem;
      agentOpts.key = pem;
    }
    this.httpsAgent = new https.Agent(agentOpts);
  }

  private closed = false;

  /**
   * Ends every connection and stops pending retries. Requests still in flight (a lookup that ran
   * beside one that already failed, say) reject at once, so a failing step exits immediately
   * instead of waiting out their backoff.
   */
  close(): void {
    this.closed = true;
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
    for (const wake of this.sleepers) wake();
    this.sleepers.clear();
  }

  private readonly sleepers = new Set<() => void>();

  async request(req: HttpRequest): Promise<HttpResponse> {
    const { maxRetries } = this.opts.policy;
    for (let attempt = 1; ; attempt++) {
      if (this.closed) throw new NetworkError('client closed', 'ECLOSED', attempt - 1);
      try {
        const res = await this.once(req);
        if (!this.retryStatuses.has(res.status) || attempt > maxRetries) return { ...res, attempts: attempt };
        const retryAfter = parseRetryAfter(res.headers['retry-after']);
        await this.pause(attempt, `HTTP ${res.status}`, req, retryAfter);
      } catch (e) {
        const err = e as Error & { code?: string };
        // close() may have run while the request was in flight.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
        if (this.closed) throw new NetworkError('client closed', 'ECLOSED', attempt);
        if (!isRetryable(err) || attempt > maxRetries) {
          const what = describeNetworkError(err, this.opts.policy.timeoutMs);
          const tries = attempt === 1 ? '' : ` (gave up after ${attempt} attempts)`;
          throw new NetworkError(`${what}${tries}`, err.code, attempt);
        }
        await this.pause(attempt, describeNetworkError(err, this.opts.policy.timeoutMs), req);
      }
    }
  }

  /**
   * Like request(), but resolves once the headers are in, with the body unread: retries (connection
   * errors, retryable statuses) happen only before that. The socket's idle time, not the whole
   * transfer, is bounded by the policy's timeout, as requests' read timeout is for MLflow's client:
   * a 200 MB file may take longer than one timeout but never stalls that long. A body that breaks
   * mid-way is the caller's to retry (isRetryableNetworkError, waitBeforeRetry).
   */
  async openStream(req: HttpRequest): Promise<HttpStreamResponse> {
    const { maxRetries } = this.opts.policy;
    for (let attempt = 1; ; attempt++) {
      if (this.closed) throw new NetworkError('client closed', 'ECLOSED', attempt - 1);
      try {
        const res = await this.openOnce(req);
        const status = res.statusCode ?? 0;
        if (!this.retryStatuses.has(status) || attempt > maxRetries) {
          return { status, headers: res.headers, body: res, attempts: attempt };
        }
        res.resume(); // drain, so the connection can be reused
        await this.pause(attempt, `HTTP ${status}`, req, parseRetryAfter(res.headers['retry-after']));
      } catch (e) {
        const err = e as Error & { code?: string };
        // close() may have run while the request was in flight.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
        if (this.closed) throw new NetworkError('client closed', 'ECLOSED', attempt);
        if (!isRetryable(err) || attempt > maxRetries) {
          const what = describeNetworkError(err, this.opts.policy.timeoutMs);
          throw new NetworkError(
            `${what}${attempt === 1 ? '' : ` (gave up after ${attempt} attempts)`}`,
            err.code,
            attempt,
          );
        }
        await this.pause(attempt, describeNetworkError(err, this.opts.policy.timeoutMs), req);
      }
    }
  }

  /** The backoff before retry number `attempt` (1-based) of something the caller retries itself. */
  waitBeforeRetry(attempt: number, why: string, url: URL): Promise<void> {
    if (this.closed) return Promise.reject(new NetworkError('client closed', 'ECLOSED', attempt));
    return this.pause(attempt, why, { url });
  }

  get retryPolicy(): RetryPolicy {
    return this.opts.policy;
  }

  private openOnce(req: HttpRequest): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const isHttps = req.url.protocol === 'https:';
      const headers: Record<string, string> = {
        'user-agent': this.opts.userAgent ?? 'mlflow-deploy-actions',
        // Bytes as stored: sizes are checked against the server's listing.
        'accept-encoding': 'identity',
        ...req.headers,
      };
      const r = (isHttps ? https : http).request(
        req.url,
        { method: req.method ?? 'GET', headers, agent: isHttps ? this.httpsAgent : this.httpAgent },
        resolve,
      );
      r.setTimeout(this.opts.policy.timeoutMs, () => {
        r.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }));
      });
      r.on('error', reject);
      r.end();
    });
  }

  private async pause(attempt: number, why: string, req: HttpRequest, retryAfter?: number): Promise<void> {
    let seconds = backoffSeconds(attempt, this.opts.policy);
    if (retryAfter !== undefined) seconds = Math.min(this.opts.policy.maxBackoffSeconds, Math.max(seconds, retryAfter));
    this.log.info(
      `${why} from ${req.url.host}${req.url.pathname}; retry ${attempt} of ${this.opts.policy.maxRetries} in ${seconds.toFixed(1)} s`,
    );
    if (this.opts.sleep) return this.opts.sleep(seconds * 1000);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => wake(), seconds * 1000);
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      this.sleepers.add(wake);
    });
  }

  private once(req: HttpRequest): Promise<Omit<HttpResponse, 'attempts'>> {
    return new Promise((resolve, reject) => {
      const isHttps = req.url.protocol === 'https:';
      const headers: Record<string, string> = {
        'user-agent': this.opts.userAgent ?? 'mlflow-deploy-actions',
        'accept-encoding': 'gzip, br, deflate',
        ...req.headers,
      };
      if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
      const r = (isHttps ? https : http).request(
        req.url,
        { method: req.method ?? 'GET', headers, agent: isHttps ? this.httpsAgent : this.httpAgent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            clearTimeout(timer);
            try {
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                body: decode(Buffer.concat(chunks), res.headers),
              });
            } catch (e) {
              reject(e);
            }
          });
        },
      );
      const timer = setTimeout(() => {
        const err = Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' });
        r.destroy(err);
      }, this.opts.policy.timeoutMs);
      r.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      if (req.body !== undefined) r.write(req.body);
      r.end();
    });
  }
}

function decode(body: Buffer, headers: http.IncomingHttpHeaders): Buffer {
  switch (headers['content-encoding']) {
    case 'gzip':
      return gunzipSync(body);
    case 'br':
      return brotliDecompressSync(body);
    case 'deflate':
      return inflateSync(body);
    default:
      return body;
  }
}

/** A connection-level failure worth another attempt (reset, refused, timed out, cut short). */
export function isRetryableNetworkError(e: unknown): boolean {
  return e instanceof Error && isRetryable(e);
}

export function describeNetworkFailure(e: Error & { code?: string }, timeoutMs: number): string {
  return describeNetworkError(e, timeoutMs);
}

function isRetryable(e: Error & { code?: string }): boolean {
  if (e.code && RETRYABLE_CODES.has(e.code)) return true;
  // Node reports a peer that closes mid-response as "socket hang up" (ECONNRESET) or as a parse error.
  return /socket hang up|other side closed|premature close/i.test(e.message);
}

function describeNetworkError(e: Error & { code?: string }, timeoutMs: number): string {
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset by peer';
    case 'ETIMEDOUT':
      return `no answer within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name not found';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'CERT_HAS_EXPIRED':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `TLS certificate not trusted (${e.code}): pass a CA bundle or, for testing only, allow insecure TLS`;
    default:
      return e.code ? `${e.message} (${e.code})` : e.message;
  }
}
