import { ServiceError } from '@mlflow-actions/action-kit/errors';
import { oneLine } from './rollout-status.js';

/** What a request was doing, so a refusal can name the verb and resource RBAC would have to grant. */
export interface RequestWhat {
  verb: 'get' | 'list' | 'watch' | 'patch';
  /** e.g. rollouts, rollouts/status, namespaces, replicasets */
  resource: string;
  apiGroup: string;
  name?: string;
  namespace?: string;
}

/** A Kubernetes API refusal, as one line a person can act on. */
export class KubeApiError extends ServiceError {
  constructor(
    message: string,
    status: number | undefined,
    readonly reason: string | undefined,
  ) {
    super(message, status, reason);
  }
}

interface StatusBody {
  kind?: string;
  message?: string;
  reason?: string;
  details?: { name?: string; kind?: string; group?: string };
}

/** The HTTP status and the API server's Status object of an error thrown by @kubernetes/client-node. */
export function statusOf(e: unknown): { code: number | undefined; body: StatusBody } {
  const err = e as { code?: unknown; statusCode?: unknown; body?: unknown };
  const code =
    typeof err.code === 'number' ? err.code : typeof err.statusCode === 'number' ? err.statusCode : undefined;
  let body: StatusBody = {};
  if (typeof err.body === 'string') {
    try {
      body = JSON.parse(err.body) as StatusBody;
    } catch {
      body = {};
    }
  } else if (err.body && typeof err.body === 'object') {
    body = err.body;
  }
  return { code, body };
}

export function describeKubeError(e: unknown, what: RequestWhat, server: string): Error {
  const { code, body } = statusOf(e);
  const target = `${what.resource}${what.name ? ` '${what.name}'` : ''}${what.namespace ? ` in namespace '${what.namespace}'` : ''}`;
  if (code === undefined) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
    return new KubeApiError(
      `cannot reach the Kubernetes API at ${server} to ${what.verb} ${target}: ${oneLine(detail)}`,
      undefined,
      undefined,
    );
  }
  if (code === 401) {
    return new KubeApiError(
      `the Kubernetes API at ${server} answered 401 Unauthorized: the kubeconfig's credentials were rejected (expired token?)`,
      code,
      body.reason,
    );
  }
  if (code === 403) {
    const who = /User "([^"]+)"/.exec(body.message ?? '')?.[1];
    return new KubeApiError(
      `RBAC: ${who ? `'${who}'` : 'these credentials'} may not ${what.verb} ${target} (403 Forbidden): ` +
        `grant verb '${what.verb}' on resource '${what.resource}' (apiGroup '${what.apiGroup || 'core'}') in a Role bound to it`,
      code,
      body.reason,
    );
  }
  const server_says = body.message ? `: ${oneLine(body.message)}` : '';
  return new KubeApiError(
    `the Kubernetes API answered ${code}${body.reason ? ` ${body.reason}` : ''} to ${what.verb} ${target}${server_says}`,
    code,
    body.reason,
  );
}
