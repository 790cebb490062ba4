import { ActionError, ServiceError } from '@mlflow-actions/action-kit/errors';
import { HttpClient, NetworkError, type TlsOptions } from '@mlflow-actions/action-kit/http';
import { silentLogger, type Logger } from '@mlflow-actions/action-kit/log';

/** The part of Argo CD's v1alpha1Application (its published API, assets/swagger.json) the wait reads. */
export interface ArgoApplication {
  metadata?: { name?: string; namespace?: string };
  status?: {
    sync?: { status?: string; revision?: string; revisions?: string[] };
    health?: { status?: string; message?: string };
    operationState?: { phase?: string; message?: string; syncResult?: { revision?: string } };
  };
}

export interface WaitForSyncOptions {
  /** https URL of the Argo CD API server (plain http only to loopback). */
  server: string;
  app: string;
  token: string;
  /** The git revision (commit SHA, full or at least 7 characters) the application must have synced. */
  expectedRevision?: string;
  /** For applications outside Argo CD's own namespace ("apps in any namespace"). */
  appNamespace?: string;
  timeoutMs: number;
  pollIntervalMs?: number;
  tls?: TlsOptions;
  logger?: Logger;
}

export interface SyncedApplication {
  revision: string;
  health: string;
  polls: number;
}

/**
 * Waits until Argo CD reports the application Synced at the expected revision, with a health other than
 * Degraded (a paused Rollout shows as Suspended, which is what a blue/green release waiting for promotion
 * looks like). A failed sync operation or a Degraded health fails at once with Argo CD's message.
 */
export async function waitForArgoCdSync(opts: WaitForSyncOptions): Promise<SyncedApplication> {
  const log = opts.logger ?? silentLogger;
  const base = checkServer(opts.server);
  const url = new URL(`api/v1/applications/${encodeURIComponent(opts.app)}`, base);
  if (opts.appNamespace) url.searchParams.set('appNamespace', opts.appNamespace);
  const http = new HttpClient({
    policy: { maxRetries: 3, backoffFactor: 1, backoffJitter: 0.5, maxBackoffSeconds: 10, timeoutMs: 30_000 },
    tls: opts.tls,
    logger: log,
    userAgent: 'mlflow-deploy-actions (blue-green-promote)',
  });
  const deadline = Date.now() + opts.timeoutMs;
  const interval = opts.pollIntervalMs ?? 2000;
  let polls = 0;
  let last: string; // the loop sets it before its only break
  try {
    for (;;) {
      polls++;
      const app = await getApplication(http, url, opts);
      const s = app.status ?? {};
      const sync = s.sync?.status ?? 'Unknown';
      const health = s.health?.status ?? 'Unknown';
      const revisions = [s.sync?.revision, ...(s.sync?.revisions ?? [])].filter((r): r is string => !!r);
      const operation = s.operationState?.phase ? `, operation ${s.operationState.phase}` : '';
      last = `sync ${sync} at ${revisions[0]?.slice(0, 12) ?? '?'}, health ${health}${operation}`;
      log.debug(`Argo CD application ${opts.app}: ${last}`);
      const atRevision = !opts.expectedRevision || revisions.some((r) => sameRevision(r, opts.expectedRevision!));
      const phase = s.operationState?.phase;
      if (atRevision && (phase === 'Failed' || phase === 'Error')) {
        throw new ActionError(
          `Argo CD's sync of application '${opts.app}' ${phase === 'Failed' ? 'failed' : 'errored'}: ` +
            oneLine(s.operationState?.message ?? 'no message'),
        );
      }
      if (atRevision && health === 'Degraded') {
        throw new ActionError(
          `Argo CD reports application '${opts.app}' Degraded at ${revisions[0]?.slice(0, 12) ?? '?'}: ` +
            oneLine(s.health?.message ?? 'no message'),
        );
      }
      if (atRevision && sync === 'Synced' && phase !== 'Running') {
        return { revision: revisions[0] ?? '', health, polls };
      }
      if (Date.now() + interval > deadline) break;
      await new Promise((r) => setTimeout(r, interval));
    }
  } finally {
    http.close();
  }
  const what = opts.expectedRevision ? `Synced at revision ${opts.expectedRevision}` : 'Synced';
  throw new ActionError(
    `timed out after ${Math.round(opts.timeoutMs / 1000)} s waiting for Argo CD application '${opts.app}' ` +
      `to be ${what}; last status: ${last}`,
  );
}

/** A full SHA matches itself; an abbreviated one (7+ characters) matches as a prefix, as git reads it. */
export function sameRevision(actual: string, expected: string): boolean {
  const a = actual.toLowerCase();
  const e = expected.toLowerCase().trim();
  if (a === e) return true;
  return /^[0-9a-f]{7,40}$/.test(e) && /^[0-9a-f]{40,64}$/.test(a) && a.startsWith(e);
}

async function getApplication(http: HttpClient, url: URL, opts: WaitForSyncOptions): Promise<ArgoApplication> {
  let res;
  try {
    res = await http.request({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${opts.token}`, accept: 'application/json' },
    });
  } catch (e) {
    if (e instanceof NetworkError) {
      throw new ServiceError(`cannot reach Argo CD at ${opts.server}: ${e.message}: check input 'argocd-server'`);
    }
    throw e;
  }
  const text = res.body.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (res.status === 200 && json && typeof json === 'object') return json;
  // Argo CD's errors are a runtimeError: {code (gRPC), error, message, details}.
  const message = oneLine((json as { message?: string } | undefined)?.message ?? text.slice(0, 200));
  if (res.status === 401) {
    throw new ServiceError(`Argo CD at ${opts.server} answered 401: input 'argocd-token' was rejected (expired?)`, 401);
  }
  if (res.status === 403 || res.status === 404) {
    // Argo CD answers 403 "permission denied" for an application that does not exist, so as not to reveal it.
    throw new ServiceError(
      `Argo CD at ${opts.server} has no application '${opts.app}' that this token may read ` +
        `(${res.status}: ${message}): check inputs 'argocd-app' and 'argocd-token'`,
      res.status,
    );
  }
  if (res.status === 200)
    throw new ServiceError(
      `Argo CD at ${opts.server} answered something that is not JSON: check input 'argocd-server'`,
    );
  throw new ServiceError(`Argo CD at ${opts.server} answered ${res.status}: ${message}`, res.status);
}

function checkServer(server: string): URL {
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(server) ? server : `https://${server}`);
  } catch {
    throw new ActionError(`input 'argocd-server': '${server}' is not a URL or host name`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ActionError(
      `input 'argocd-server': '${server}' is not https: ` +
        'the token is sent only over https (plain http only to loopback)',
    );
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}
