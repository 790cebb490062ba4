import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inject } from 'vitest';
import { kubeRequest, kubeconfigYaml } from '../../scripts/services/k8s/cluster.mjs';
import {
  RolloutApi,
  loadKubeConfig,
  readState,
  waitForRollout,
  type Rollout,
  type RolloutState,
} from '../../packages/rollouts/src/index.js';

export const cluster = inject('k8s');
const ca = Buffer.from(cluster.caData, 'base64');

/** The API as admin (system:masters): JSON in, JSON out; throws on an unexpected status. */
export async function admin<T = unknown>(
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<T> {
  const res = await kubeRequest(
    { server: cluster.server, token: cluster.token, ca },
    method,
    path,
    body === undefined ? undefined : JSON.stringify(body),
    contentType,
  );
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text.slice(0, 400)}`);
  return (res.text ? JSON.parse(res.text) : {}) as T;
}

export const adminKubeconfig = (namespace = 'default') =>
  kubeconfigYaml({ server: cluster.server, caData: cluster.caData, user: 'admin', token: cluster.token, namespace });

export function rolloutApi(name: string, namespace: string, kubeconfig = adminKubeconfig()): RolloutApi {
  return new RolloutApi(loadKubeConfig(kubeconfig, {}).kc, name, namespace);
}

let counter = 0;
/** A namespace of its own per test; deleted by the returned function. */
export async function newNamespace(prefix = 'bg'): Promise<{ ns: string; remove: () => Promise<void> }> {
  const ns = `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter++}`;
  await admin('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  return {
    ns,
    remove: async () => {
      await admin('DELETE', `/api/v1/namespaces/${ns}`);
    },
  };
}

export interface RolloutSpec {
  name: string;
  ns: string;
  image: string;
  replicas?: number;
  strategy: 'blueGreen' | 'canary';
  previewReplicaCount?: number;
  canarySteps?: object[];
  progressDeadlineSeconds?: number;
  nodeSelector?: Record<string, string>;
}

function template(image: string, nodeSelector?: Record<string, string>) {
  return {
    metadata: { labels: { app: 'model-serving' } },
    spec: {
      // kwok's fake node; without this the scheduler may put pods on a node a test made for something else.
      nodeSelector: nodeSelector ?? { 'kubernetes.io/hostname': 'kwok-node-0' },
      containers: [{ name: 'serve', image, ports: [{ containerPort: 8080 }] }],
    },
  };
}

/** A Rollout (blue/green with an active and a preview Service, or canary) on its first revision. */
export async function createRollout(s: RolloutSpec): Promise<void> {
  const service = (name: string) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: s.ns },
    spec: { selector: { app: 'model-serving' }, ports: [{ port: 80, targetPort: 8080 }] },
  });
  const strategy =
    s.strategy === 'blueGreen'
      ? {
          blueGreen: {
            activeService: `${s.name}-active`,
            previewService: `${s.name}-preview`,
            autoPromotionEnabled: false,
            ...(s.previewReplicaCount ? { previewReplicaCount: s.previewReplicaCount } : {}),
          },
        }
      : { canary: { steps: s.canarySteps ?? [{ setWeight: 50 }, { pause: {} }] } };
  if (s.strategy === 'blueGreen') {
    await admin('POST', `/api/v1/namespaces/${s.ns}/services`, service(`${s.name}-active`));
    await admin('POST', `/api/v1/namespaces/${s.ns}/services`, service(`${s.name}-preview`));
  }
  await admin('POST', `/apis/argoproj.io/v1alpha1/namespaces/${s.ns}/rollouts`, {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: s.name, namespace: s.ns },
    spec: {
      replicas: s.replicas ?? 1,
      revisionHistoryLimit: 3,
      ...(s.progressDeadlineSeconds ? { progressDeadlineSeconds: s.progressDeadlineSeconds } : {}),
      selector: { matchLabels: { app: 'model-serving' } },
      template: template(s.image, s.nodeSelector),
      strategy,
    },
  });
}

/** The GitOps bump: a new image (and optionally where its pods may run) in the pod template. */
export async function setImage(
  ns: string,
  name: string,
  image: string,
  nodeSelector?: Record<string, string>,
): Promise<Rollout> {
  return admin<Rollout>(
    'PATCH',
    `/apis/argoproj.io/v1alpha1/namespaces/${ns}/rollouts/${name}`,
    { spec: { template: template(image, nodeSelector) } },
    'application/merge-patch+json',
  );
}

/** Waits (by watching, as the action does) until the controller reports a state. */
export async function until(
  ns: string,
  name: string,
  what: string,
  pred: (s: RolloutState) => boolean,
  timeoutMs = 60_000,
): Promise<RolloutState> {
  const api = rolloutApi(name, ns);
  const r = await waitForRollout(api, { what, timeoutMs, decide: (s) => (pred(s) ? { done: true } : undefined) });
  return r.state;
}

export const healthy = (s: RolloutState) =>
  s.observed && s.phase === 'Healthy' && !!s.stableRS && s.stableRS === s.currentPodHash;

export async function getRollout(ns: string, name: string): Promise<RolloutState> {
  return readState(await admin<Rollout>('GET', `/apis/argoproj.io/v1alpha1/namespaces/${ns}/rollouts/${name}`));
}

export async function serviceSelectorHash(ns: string, service: string): Promise<string | undefined> {
  const svc = await admin<{ spec?: { selector?: Record<string, string> } }>(
    'GET',
    `/api/v1/namespaces/${ns}/services/${service}`,
  );
  return svc.spec?.selector?.['rollouts-pod-template-hash'];
}

/**
 * A service account whose Role grants `rules`, and a kubeconfig with its token (TokenRequest API): the
 * credentials a workflow would get.
 */
export async function serviceAccountKubeconfig(ns: string, sa: string, rules: object[]): Promise<string> {
  await admin('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: sa },
  });
  await admin('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: sa },
    rules,
  });
  await admin('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: sa },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: sa },
    subjects: [{ kind: 'ServiceAccount', name: sa, namespace: ns }],
  });
  const tr = await admin<{ status: { token: string } }>(
    'POST',
    `/api/v1/namespaces/${ns}/serviceaccounts/${sa}/token`,
    {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 3600 },
    },
  );
  return kubeconfigYaml({
    server: cluster.server,
    caData: cluster.caData,
    user: sa,
    token: tr.status.token,
    namespace: ns,
  });
}

/** A fake node of limited capacity (kwok manages it like the first one). */
export async function smallNode(name: string, pods: number): Promise<() => Promise<void>> {
  await admin('POST', '/api/v1/nodes', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { type: 'kwok', 'kubernetes.io/hostname': name },
      annotations: { 'kwok.x-k8s.io/node': 'fake' },
    },
    spec: {},
    status: {
      allocatable: { cpu: '32', memory: '64Gi', pods: String(pods) },
      capacity: { cpu: '32', memory: '64Gi', pods: String(pods) },
    },
  });
  return async () => {
    await admin('DELETE', `/api/v1/nodes/${name}`);
  };
}

/** A local server standing for a Service (never the cluster IP): answers /health and /version. */
export async function fakeService(
  version: string,
  healthStatus = 200,
): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    hits++;
    if (req.url === '/version')
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ version }));
    else if (req.url === '/health') res.writeHead(healthStatus).end(healthStatus === 200 ? 'ok' : 'failing');
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits: () => hits,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}
