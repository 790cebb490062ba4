import http from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { Ajv, type ValidateFunction } from 'ajv';

/**
 * A fake of GitHub's REST API for one operation, repos/create-dispatch-event, built from GitHub's
 * own OpenAPI description (@octokit/openapi): the route comes from the operation's path, the
 * request body is checked against the operation's JSON Schema (422 with GitHub's validation_failed
 * shape when it does not match), and the answers are the documented ones (204, 404 as
 * basic-error). A base path stands for GitHub Enterprise Server's `/api/v3`.
 */
const require = createRequire(import.meta.url);
interface Operation {
  operationId: string;
  requestBody: { content: { 'application/json': { schema: object } } };
  responses: Record<string, unknown>;
}
const spec = JSON.parse(readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
};

function findOperation(id: string): { path: string; method: string; op: Operation } {
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) if (op.operationId === id) return { path, method, op };
  }
  throw new Error(`GitHub's OpenAPI description has no operation ${id}`);
}

export const DISPATCH = findOperation('repos/create-dispatch-event');

export interface Attempt {
  method: string;
  path: string;
  authorization: string | undefined;
  accept: string | undefined;
  apiVersion: string | undefined;
  status: number;
  body: unknown;
}

export interface Dispatch {
  owner: string;
  repo: string;
  event_type: string;
  client_payload: Record<string, unknown>;
}

export interface FakeGitHub {
  apiUrl: string;
  /** Every request, in arrival order, with the status it got. */
  attempts: Attempt[];
  /** The dispatches GitHub would have started workflows for (answered 204). */
  dispatches: Dispatch[];
  /** Answers the next requests with these statuses (and headers) before behaving again. */
  failNext(...answers: { status: number; headers?: Record<string, string> }[]): void;
  close(): Promise<void>;
}

export async function startFakeGitHub(opts: { token: string; owner: string; repo: string; basePath?: string }) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate: ValidateFunction = ajv.compile(DISPATCH.op.requestBody.content['application/json'].schema);
  const base = opts.basePath ?? '';
  // `/repos/{owner}/{repo}/dispatches` -> a regular expression with the two parameters captured.
  const route = new RegExp(`^${base}${DISPATCH.path.replace(/\{[a-z_]+\}/g, '([^/]+)')}$`);
  const attempts: Attempt[] = [];
  const dispatches: Dispatch[] = [];
  const scripted: { status: number; headers?: Record<string, string> }[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      const path = new URL(req.url ?? '/', 'http://github').pathname;
      const send = (status: number, data?: unknown, headers: Record<string, string> = {}) => {
        attempts.push({
          method: req.method ?? '',
          path,
          authorization: req.headers.authorization,
          accept: req.headers.accept,
          apiVersion: req.headers['x-github-api-version'] as string | undefined,
          status,
          body,
        });
        res.writeHead(status, { ...(data === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
        res.end(data === undefined ? undefined : JSON.stringify(data));
      };
      const fault = scripted.shift();
      if (fault) {
        send(fault.status, { message: 'Server Error' }, fault.headers);
        return;
      }
      const m = route.exec(path);
      if (!m || req.method?.toLowerCase() !== DISPATCH.method) {
        send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
        return;
      }
      if (req.headers.authorization !== `Bearer ${opts.token}` && req.headers.authorization !== `token ${opts.token}`) {
        send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
        return;
      }
      const [owner, repo] = [decodeURIComponent(m[1]!), decodeURIComponent(m[2]!)];
      // GitHub answers 404, not 403, for a repository the token cannot see.
      if (owner !== opts.owner || repo !== opts.repo) {
        send(404, { message: 'Not Found' });
        return;
      }
      if (!String(req.headers['content-type']).startsWith('application/json') || !validate(body)) {
        send(422, {
          message: 'Validation Failed',
          errors: (validate.errors ?? []).map((e) => `${e.instancePath || 'body'} ${e.message}`),
          documentation_url: 'https://docs.github.com/rest/repos/repos#create-a-repository-dispatch-event',
        });
        return;
      }
      const b = body as { event_type: string; client_payload?: Record<string, unknown> };
      // The schema leaves the 64 KB limit to prose; GitHub enforces it.
      if (Buffer.byteLength(JSON.stringify(b.client_payload ?? {})) >= 64 * 1024) {
        send(422, { message: 'Validation Failed', errors: ['client_payload is over 64 KB'] });
        return;
      }
      dispatches.push({ owner, repo, event_type: b.event_type, client_payload: b.client_payload ?? {} });
      send(204);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeGitHub = {
    apiUrl: `http://127.0.0.1:${port}${base}`,
    attempts,
    dispatches,
    failNext: (...answers) => scripted.push(...answers),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return fake;
}
