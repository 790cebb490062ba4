import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sameRevision, waitForArgoCdSync } from '../../packages/argocd/src/index.js';

// The fake answers only what Argo CD's published API description allows: every body it sends is validated
// against the swagger definitions of v1alpha1Application / runtimeError (test/fixtures/argocd).
const swagger = JSON.parse(
  readFileSync(new URL('../fixtures/argocd/swagger-application.json', import.meta.url), 'utf8'),
) as { definitions: Record<string, unknown> };
const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
const validateApp = ajv.compile({ definitions: swagger.definitions, $ref: '#/definitions/v1alpha1Application' });
const validateError = ajv.compile({ definitions: swagger.definitions, $ref: '#/definitions/runtimeError' });

const OLD = 'a'.repeat(40);
const NEW = '3f5c2e1d9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d';
const TOKEN = 'argocd-token-for-the-contract-test';

interface Reply {
  status: number;
  body: unknown;
}
let script: Reply[] = [];
let seen: { path: string; auth: string | undefined; query: string }[] = [];
let server: Server;
let base: string;

function app(sync: string, revision: string, health: string, phase?: string, message?: string): Reply {
  const body = {
    metadata: { name: 'model-serving', namespace: 'argocd', resourceVersion: String(seen.length + 1) },
    spec: {
      project: 'default',
      source: { repoURL: 'https://git.example.com/acme/gitops.git', path: 'prod', targetRevision: 'main' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'serving' },
    },
    status: {
      sync: { status: sync, revision, comparedTo: { source: { repoURL: 'https://git.example.com/acme/gitops.git' } } },
      health: { status: health, ...(message ? { message } : {}) },
      ...(phase
        ? {
            operationState: {
              phase,
              message: message ?? '',
              startedAt: '2026-12-01T20:00:00Z',
              operation: { sync: { revision } },
            },
          }
        : {}),
      reconciledAt: '2026-12-01T20:00:00Z',
    },
  };
  return { status: 200, body };
}

function handler(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  seen.push({ path: url.pathname, auth: req.headers.authorization, query: url.search });
  const reply = script.length > 1 ? script.shift()! : script[0]!;
  const ok = reply.status === 200 ? validateApp(reply.body) : validateError(reply.body);
  if (!ok) {
    res
      .writeHead(599)
      .end(
        `the fake's reply does not match Argo CD's API: ` +
          ajv.errorsText(reply.status === 200 ? validateApp.errors : validateError.errors),
      );
    return;
  }
  res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
}

beforeAll(async () => {
  server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const wait = (over: Partial<Parameters<typeof waitForArgoCdSync>[0]> = {}) =>
  waitForArgoCdSync({
    server: base,
    app: 'model-serving',
    token: TOKEN,
    expectedRevision: NEW,
    timeoutMs: 3000,
    pollIntervalMs: 20,
    ...over,
  });

describe('Argo CD sync wait against responses shaped by its published API', () => {
  it('waits through OutOfSync and a running sync until Synced at the expected revision (Suspended is fine)', async () => {
    seen = [];
    script = [
      app('OutOfSync', OLD, 'Healthy'),
      app('OutOfSync', NEW, 'Progressing', 'Running'),
      app('Synced', NEW, 'Progressing', 'Running'),
      app('Synced', NEW, 'Suspended', 'Succeeded'),
    ];
    const synced = await wait();
    expect(synced).toEqual({ revision: NEW, health: 'Suspended', polls: 4 });
    expect(seen.every((s) => s.path === '/api/v1/applications/model-serving' && s.auth === `Bearer ${TOKEN}`)).toBe(
      true,
    );
  });

  it('is not fooled by Synced at the previous revision: times out naming what it awaited and the last status', async () => {
    script = [app('Synced', OLD, 'Healthy', 'Succeeded')];
    await expect(wait({ timeoutMs: 300 })).rejects.toThrow(
      `waiting for Argo CD application 'model-serving' to be Synced at revision ${NEW}; last status: sync Synced at ` +
        `${OLD.slice(0, 12)}, health Healthy, operation Succeeded`,
    );
  });

  it('accepts an abbreviated SHA, and any revision when none is expected', async () => {
    script = [app('Synced', NEW, 'Healthy', 'Succeeded')];
    expect((await wait({ expectedRevision: NEW.slice(0, 7) })).revision).toBe(NEW);
    script = [app('Synced', OLD, 'Healthy')];
    expect((await wait({ expectedRevision: undefined })).revision).toBe(OLD);
    expect(sameRevision(NEW, 'abc')).toBe(false);
  });

  it('fails at once when the expected revision is Degraded, with Argo CD message', async () => {
    script = [app('Synced', NEW, 'Degraded', 'Succeeded', 'Rollout is aborted')];
    await expect(wait()).rejects.toThrow(
      `Argo CD reports application 'model-serving' Degraded at ${NEW.slice(0, 12)}: Rollout is aborted`,
    );
  });

  it('fails at once when the sync operation failed', async () => {
    script = [app('OutOfSync', NEW, 'Missing', 'Failed', 'one or more objects failed to apply')];
    await expect(wait()).rejects.toThrow(
      "Argo CD's sync of application 'model-serving' failed: one or more objects failed to apply",
    );
  });

  it("reports a denied or unknown application in one line (Argo CD answers 403 'permission denied' for both)", async () => {
    script = [{ status: 403, body: { error: 'permission denied', code: 7, message: 'permission denied' } }];
    await expect(wait()).rejects.toThrow(
      `Argo CD at ${base} has no application 'model-serving' that this token may read (403: permission denied): check ` +
        `inputs 'argocd-app' and 'argocd-token'`,
    );
    script = [
      { status: 401, body: { error: 'invalid session', code: 16, message: 'invalid session: token is expired' } },
    ];
    await expect(wait()).rejects.toThrow("input 'argocd-token' was rejected");
  });

  it('passes appNamespace, and refuses to send the token over plain http to another host', async () => {
    seen = [];
    script = [app('Synced', NEW, 'Healthy')];
    await wait({ appNamespace: 'team-a' });
    expect(seen[0]!.query).toBe('?appNamespace=team-a');
    await expect(wait({ server: 'http://argocd.example.com' })).rejects.toThrow('the token is sent only over https');
  });

  it('the fake itself refuses a body Argo CD would never send', async () => {
    script = [{ status: 200, body: { status: { sync: { status: 42 } } } }];
    await expect(wait()).rejects.toThrow('answered 599');
  });
});
