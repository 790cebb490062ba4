import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'yaml';
import type { GitServer } from '../setup/git-http.js';
import { admin } from './fixtures.js';

/**
 * What stands around the workflows in the lifecycle test, where no real one can run here:
 * - an Argo CD: it polls branches of the GitOps repository on the real git server, applies each new commit's
 *   Rollout image to the real control plane (as Argo CD's sync would: the pod template changes, the real
 *   Rollouts controller does the rest), and answers GET /api/v1/applications/NAME as Argo CD's API does;
 * - Services: local servers standing for a Rollout's preview or active Service (cluster IPs do not route
 *   here). Each request asks the real API which ReplicaSet the Service selects and answers as the image of
 *   that ReplicaSet's pods would, from a table by digest.
 */

export interface App {
  name: string;
  /** The GitOps branch Argo CD deploys this application from. */
  branch: string;
  /** The Rollout manifest in the GitOps repository. */
  file: string;
  namespace: string;
  rollout: string;
}

interface RolloutManifest {
  spec?: { template?: { spec?: { containers?: { image?: string }[] } } };
}

export interface FakeArgoCd {
  url: string;
  token: string;
  /** Revisions applied, per application, oldest first. */
  synced(app: string): string[];
  close(): Promise<void>;
}

export async function startArgoCd(git: GitServer, repo: string, apps: App[], token: string): Promise<FakeArgoCd> {
  const applied = new Map<string, string[]>(apps.map((a) => [a.name, []]));
  let stopped = false;
  let failure: string | undefined;

  async function syncOnce(app: App): Promise<void> {
    const head = (await git.git(repo, ['rev-parse', `refs/heads/${app.branch}`])).trim();
    const revisions = applied.get(app.name)!;
    if (revisions.at(-1) === head) return;
    const manifest = parse(await git.git(repo, ['show', `${head}:${app.file}`])) as RolloutManifest;
    const containers = manifest.spec?.template?.spec?.containers ?? [];
    const path = `/apis/argoproj.io/v1alpha1/namespaces/${app.namespace}/rollouts/${app.rollout}`;
    const live = await admin<{ spec: { template: { spec: { containers: { name: string; image: string }[] } } } }>(
      'GET',
      path,
    );
    const wanted = live.spec.template.spec.containers.map((c, i) => ({ ...c, image: containers[i]?.image ?? c.image }));
    if (JSON.stringify(wanted) !== JSON.stringify(live.spec.template.spec.containers))
      await admin(
        'PATCH',
        path,
        { spec: { template: { spec: { containers: wanted } } } },
        'application/merge-patch+json',
      );
    revisions.push(head);
  }

  const loop = (async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- close() sets it while this loop awaits
    while (!stopped) {
      try {
        for (const app of apps) await syncOnce(app);
      } catch (e) {
        failure = e instanceof Error ? e.message : String(e);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  })();

  async function application(app: App) {
    const path = `/apis/argoproj.io/v1alpha1/namespaces/${app.namespace}/rollouts/${app.rollout}`;
    const rollout = await admin<{ status?: { phase?: string } }>('GET', path);
    // Argo CD's health of a Rollout: Paused is Suspended, the rest by phase.
    const phase = rollout.status?.phase ?? 'Progressing';
    const health = phase === 'Paused' ? 'Suspended' : phase;
    const revision = applied.get(app.name)!.at(-1);
    return {
      metadata: { name: app.name, namespace: 'argocd' },
      status: {
        sync: { status: revision ? 'Synced' : 'OutOfSync', revision: revision ?? '' },
        health: { status: health },
        operationState: { phase: 'Succeeded', syncResult: { revision: revision ?? '' } },
      },
    };
  }

  const server: Server = createServer((req, res) => {
    const send = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.headers.authorization !== `Bearer ${token}`)
      return send(401, { error: 'invalid session: token is not valid', code: 16, message: 'invalid session' });
    const m = /^\/api\/v1\/applications\/([\w.-]+)$/.exec(req.url?.split('?')[0] ?? '');
    const app = apps.find((a) => a.name === m?.[1]);
    if (!app || req.method !== 'GET')
      return send(404, { error: 'applications.argoproj.io not found', code: 5, message: 'not found' });
    if (failure) return send(500, { error: failure, code: 13, message: failure });
    application(app).then(
      (body) => send(200, body),
      (e: unknown) => send(500, { error: String(e), code: 13, message: String(e) }),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token,
    synced: (name) => [...(applied.get(name) ?? [])],
    close: async () => {
      stopped = true;
      await loop;
      server.closeAllConnections();
      await new Promise<void>((r) => {
        server.close(() => {
          r();
        });
      });
    },
  };
}

/** How the image of one digest answers: the model version it serves, and whether it is healthy. */
export interface ImageBehaviour {
  version: string;
  healthy: boolean;
}

export interface ServiceStandIn {
  url: string;
  close(): Promise<void>;
}

interface ReplicaSetList {
  items: { spec: { template: { spec: { containers: { image: string }[] } } } }[];
}

/** Answers /health and /version as the pods the real Service `service` selects would. */
export async function serviceStandIn(
  namespace: string,
  service: string,
  images: (digest: string) => ImageBehaviour | undefined,
): Promise<ServiceStandIn> {
  async function behaviour(): Promise<ImageBehaviour | undefined> {
    const svc = await admin<{ spec?: { selector?: Record<string, string> } }>(
      'GET',
      `/api/v1/namespaces/${namespace}/services/${service}`,
    );
    const hash = svc.spec?.selector?.['rollouts-pod-template-hash'];
    if (!hash) return undefined;
    const sets = await admin<ReplicaSetList>(
      'GET',
      `/apis/apps/v1/namespaces/${namespace}/replicasets?labelSelector=${encodeURIComponent(`rollouts-pod-template-hash=${hash}`)}`,
    );
    const image = sets.items[0]?.spec.template.spec.containers[0]?.image ?? '';
    return images(image.slice(image.indexOf('@') + 1));
  }
  const server: Server = createServer((req, res) => {
    behaviour().then(
      (b) => {
        if (!b) return res.writeHead(503).end('no pods selected');
        if (req.url === '/health')
          return res.writeHead(b.healthy ? 200 : 503).end(b.healthy ? 'ok' : 'model failed to load');
        if (req.url === '/version')
          return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ version: b.version }));
        res.writeHead(404).end();
      },
      (e: unknown) => res.writeHead(500).end(String(e)),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => {
          r();
        });
      }),
  };
}
