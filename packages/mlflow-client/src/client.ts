import { plainHttpCredentialsProblem } from '@mlflow-actions/action-kit/url-safety';
import {
  HttpClient,
  NetworkError,
  type HttpResponse,
  type HttpStreamResponse,
  type RetryPolicy,
  type TlsOptions,
} from '@mlflow-actions/action-kit/http';
import { InputError, ServiceError } from '@mlflow-actions/action-kit/errors';
import { silentLogger, type Logger } from '@mlflow-actions/action-kit/log';
import type { Experiment, Metric, MetricPoint, ModelVersion, RegisteredModel, Run } from './types.js';

export type Auth =
  { kind: 'basic'; username: string; password: string } | { kind: 'bearer'; token: string } | { kind: 'none' };

export interface MlflowClientOptions {
  /** http(s) URL of the tracking server, without credentials. */
  trackingUri: string;
  auth: Auth;
  tls?: TlsOptions;
  retry: RetryPolicy;
  logger?: Logger;
  /** Page size for paginated endpoints; small values let tests exercise pagination. */
  pageSize?: number;
}

/** An MLflow API error with the server's error_code, mapped to a message a person can act on. */
export class MlflowApiError extends ServiceError {
  constructor(
    message: string,
    status: number,
    code: string | undefined,
    readonly serverMessage: string | undefined,
  ) {
    super(message, status, code);
  }
}

const API = 'api/2.0/mlflow/';

export class MlflowClient {
  readonly baseUrl: URL;
  private readonly http: HttpClient;
  private readonly log: Logger;
  private readonly authHeader: string | undefined;
  readonly pageSize: number;

  constructor(readonly opts: MlflowClientOptions) {
    const base = new URL(opts.trackingUri);
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    this.baseUrl = base;
    this.log = opts.logger ?? silentLogger;
    this.pageSize = opts.pageSize ?? 5000;
    this.http = new HttpClient({
      policy: opts.retry,
      tls: opts.tls,
      logger: this.log,
      userAgent: 'mlflow-deploy-actions (mlflow-metadata)',
    });
    const a = opts.auth;
    this.authHeader =
      a.kind === 'basic'
        ? `Basic ${Buffer.from(`${a.username}:${a.password}`).toString('base64')}`
        : a.kind === 'bearer'
          ? `Bearer ${a.token}`
          : undefined;
    // The action's inputs refuse this first; a client built any other way must refuse it too.
    const insecure = this.authHeader
      ? plainHttpCredentialsProblem(base, 'MLflow credentials', 'tracking-uri')
      : undefined;
    if (insecure) throw new InputError(insecure);
  }

  close(): void {
    this.http.close();
  }

  /** The tracking URI as people see it in the UI, for links (no trailing slash). */
  get uiBase(): string {
    return this.baseUrl.href.replace(/\/+$/, '');
  }

  async get<T>(endpoint: string, query: Record<string, string | number | undefined>): Promise<T> {
    const url = new URL(API + endpoint, this.baseUrl);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    return this.call<T>('GET', url);
  }

  async post<T>(endpoint: string, body: unknown): Promise<T> {
    return this.call<T>('POST', new URL(API + endpoint, this.baseUrl), JSON.stringify(body));
  }

  /** MLflow's DELETE endpoints take a JSON body, like POST (FACTS.md). */
  async delete<T>(endpoint: string, body: unknown): Promise<T> {
    return this.call<T>('DELETE', new URL(API + endpoint, this.baseUrl), JSON.stringify(body));
  }

  /** A GET of any URL on the tracking server (the artifact proxy lives outside api/2.0/mlflow/). */
  async getUrl<T>(url: URL): Promise<T> {
    return this.call<T>('GET', url);
  }

  /** The retrying HTTP client, for callers that retry a streamed body themselves. */
  get transport(): HttpClient {
    return this.http;
  }

  /**
   * Opens a download on the tracking server with the client's credentials, TLS and retries; the
   * body is the caller's to read. An error answer is read and mapped as for any other call.
   */
  async openDownload(url: URL, extraHeaders: Record<string, string> = {}): Promise<HttpStreamResponse> {
    const headers: Record<string, string> = { ...extraHeaders };
    if (this.authHeader) headers.authorization = this.authHeader;
    let res: HttpStreamResponse;
    try {
      res = await this.http.openStream({ url, headers });
    } catch (e) {
      throw this.unreachable(e);
    }
    if (res.status >= 200 && res.status < 300) return res;
    const chunks: Buffer[] = [];
    for await (const c of res.body) chunks.push(c as Buffer);
    throw this.failure({ ...res, body: Buffer.concat(chunks) }, url);
  }

  private unreachable(e: unknown): unknown {
    if (e instanceof NetworkError) {
      return new ServiceError(
        `cannot reach MLflow at ${this.uiBase}: ${e.message}. Check tracking-uri and that the server is up`,
      );
    }
    return e;
  }

  private async call<T>(method: string, url: URL, body?: string): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.authHeader) headers.authorization = this.authHeader;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: HttpResponse;
    try {
      res = await this.http.request({ method, url, headers, body });
    } catch (e) {
      throw this.unreachable(e);
    }
    this.log.debug(
      `${method} ${url.pathname}${url.search} -> ${res.status}${res.attempts > 1 ? ` after ${res.attempts} attempts` : ''}`,
    );
    const text = res.body.toString('utf8');
    const type = res.headers['content-type'] ?? '';
    let json: unknown;
    try {
      json = text === '' ? {} : JSON.parse(text);
    } catch {
      json = undefined;
    }
    const looksHtml = /html/i.test(type) || /^\s*<(!doctype|html|head|body)/i.test(text);
    if (res.status >= 200 && res.status < 300) {
      if (json === undefined || typeof json !== 'object' || json === null) {
        throw new ServiceError(
          looksHtml
            ? `${this.uiBase} answered with an HTML page, not MLflow's JSON API (a login page or a proxy?): ` +
                'point tracking-uri at the MLflow tracking server itself'
            : `${this.uiBase} does not look like an MLflow tracking server ` +
                `(${endpoint(url)} answered ${type || 'no content type'}, not JSON)`,
        );
      }
      return json as T;
    }
    throw this.failure(res, url, method);
  }

  private failure(res: HttpResponse, url: URL, method = 'GET'): MlflowApiError {
    const text = res.body.toString('utf8');
    const type = res.headers['content-type'] ?? '';
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const looksHtml = /html/i.test(type) || /^\s*<(!doctype|html|head|body)/i.test(text);
    const err = (json ?? {}) as { error_code?: string; message?: string };
    const error = this.mapError(res.status, err.error_code, err.message, url, looksHtml, res.headers.location, method);
    if (res.attempts > 1) {
      return new MlflowApiError(
        `${error.message} (gave up after ${res.attempts} attempts)`,
        error.status ?? res.status,
        error.code,
        error.serverMessage,
      );
    }
    return error;
  }

  private mapError(
    status: number,
    code: string | undefined,
    message: string | undefined,
    url: URL,
    html: boolean,
    location?: string,
    method = 'GET',
  ): MlflowApiError {
    const where = this.uiBase;
    if (status === 401) {
      const hint =
        this.opts.auth.kind === 'none'
          ? 'set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD (or MLFLOW_TRACKING_TOKEN), or the username/password/token inputs'
          : `the ${this.opts.auth.kind === 'basic' ? 'username and password were' : 'token was'} rejected: check the secret`;
      return new MlflowApiError(`MLflow at ${where} answered 401 Unauthenticated: ${hint}`, status, code, message);
    }
    if (status === 403) {
      const who = this.opts.auth.kind === 'basic' ? `user '${this.opts.auth.username}'` : 'these credentials';
      return new MlflowApiError(
        method === 'GET'
          ? `MLflow at ${where} answered 403 Permission denied: ${who} may not read ${endpoint(url)}; ` +
              'grant READ on the model or use another account'
          : `MLflow at ${where} answered 403 Permission denied: ${who} may not change ${endpoint(url)}; ` +
              'grant EDIT (or MANAGE) on the model or use another account',
        status,
        code,
        message,
      );
    }
    if (status >= 300 && status < 400) {
      return new MlflowApiError(
        `${where} redirected to ${location ?? 'another page'} (HTTP ${status}), which MLflow's API never does: ` +
          'a login proxy? Point tracking-uri at the MLflow server',
        status,
        code,
        message,
      );
    }
    if (!code) {
      const what = html ? 'an HTML page' : 'a body that is not MLflow JSON';
      if (status === 404) {
        return new MlflowApiError(
          `${where} has no MLflow REST API (${endpoint(url)} answered 404 with ${what}): check tracking-uri`,
          status,
          code,
          message,
        );
      }
      return new MlflowApiError(
        `${where} answered HTTP ${status} with ${what} for ${endpoint(url)}`,
        status,
        code,
        message,
      );
    }
    if (code === 'ENDPOINT_NOT_FOUND') {
      return new MlflowApiError(
        `MLflow at ${where} does not support ${endpoint(url)} (too old a server?)`,
        status,
        code,
        message,
      );
    }
    return new MlflowApiError(
      `MLflow at ${where} answered ${status} ${code}: ${message ?? ''}`.trim(),
      status,
      code,
      message,
    );
  }

  // ---- endpoints -------------------------------------------------------------------------

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    return (
      (await this.get<{ registered_model?: RegisteredModel }>('registered-models/get', { name })).registered_model ?? {}
    );
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    return (
      (await this.get<{ model_version?: ModelVersion }>('model-versions/get', { name, version })).model_version ?? {}
    );
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return (
      (await this.get<{ model_version?: ModelVersion }>('registered-models/alias', { name, alias })).model_version ?? {}
    );
  }

  async getLatestVersions(name: string, stages: string[]): Promise<ModelVersion[]> {
    return (
      (await this.post<{ model_versions?: ModelVersion[] }>('registered-models/get-latest-versions', { name, stages }))
        .model_versions ?? []
    );
  }

  async getRun(runId: string): Promise<Run> {
    return (await this.get<{ run?: Run }>('runs/get', { run_id: runId })).run ?? {};
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    return (
      (await this.get<{ experiment?: Experiment }>('experiments/get', { experiment_id: experimentId })).experiment ?? {}
    );
  }

  /** Every point of one metric, following next_page_token (absent on the last page). */
  async getMetricHistory(runId: string, key: string): Promise<MetricPoint[]> {
    const out: MetricPoint[] = [];
    let token: string | undefined;
    do {
      const page = await this.get<{ metrics?: Metric[]; next_page_token?: string }>('metrics/get-history', {
        run_id: runId,
        metric_key: key,
        max_results: this.pageSize,
        page_token: token,
      });
      for (const m of page.metrics ?? []) {
        out.push({ step: Number(m.step ?? 0), timestamp: Number(m.timestamp ?? 0), value: metricValue(m.value) });
      }
      token = page.next_page_token || undefined;
    } while (token);
    return out;
  }

  /** All registered model names (for suggestions on a typo), bounded to `limit`. */
  async listRegisteredModelNames(limit = 5000): Promise<string[]> {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.get<{ registered_models?: RegisteredModel[]; next_page_token?: string }>(
        'registered-models/search',
        {
          max_results: Math.min(1000, limit),
          page_token: token,
        },
      );
      for (const m of page.registered_models ?? []) if (m.name) names.push(m.name);
      token = page.next_page_token || undefined;
    } while (token && names.length < limit);
    return names;
  }

  /** Version numbers of a model, newest first, bounded to `limit`. */
  async listVersions(name: string, limit = 1000): Promise<string[]> {
    const versions: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.get<{ model_versions?: ModelVersion[]; next_page_token?: string }>(
        'model-versions/search',
        {
          filter: `name=${quoteFilterValue(name)}`,
          max_results: Math.min(200, limit),
          order_by: 'version_number DESC',
          page_token: token,
        },
      );
      for (const v of page.model_versions ?? []) if (v.version) versions.push(v.version);
      token = page.next_page_token || undefined;
    } while (token && versions.length < limit);
    return versions.sort((a, b) => Number(b) - Number(a));
  }
}

/** MLflow's filter grammar takes single- or double-quoted strings with no escape for the quote itself. */
export function quoteFilterValue(s: string): string {
  return s.includes("'") ? `"${s}"` : `'${s}'`;
}

/** Protobuf's JSON writes non-finite doubles as strings; keep those, coerce the rest to numbers. */
export function metricValue(v: number | string | undefined): number | string {
  if (typeof v === 'number') return v;
  if (v === undefined) return 0;
  const n = Number(v);
  return Number.isFinite(n) ? n : v === 'Infinity' || v === '-Infinity' ? v : 'NaN';
}

function endpoint(url: URL): string {
  return url.pathname.replace(/^.*\/api\/2\.0\/mlflow(-artifacts)?\//, '');
}
