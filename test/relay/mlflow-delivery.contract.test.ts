import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureMlflowVenv, startMlflowServer, type MlflowServer } from '../../scripts/services/mlflow.mjs';
import { startFakeGitHub, type FakeGitHub } from './fake-github.js';
import { startRelay, type RelayProcess } from './relay-process.js';

/**
 * MLflow's own delivery: a real MLflow 3 server (SQL store) with webhooks registered through
 * MLflow's Python client `create_webhook(..., secret=...)`; registering versions and setting an alias
 * makes MLflow sign and post the events to the relay, which must reach the fake GitHub (built from
 * GitHub's OpenAPI description) as one repository_dispatch each.
 */
const SECRET = `whsec-${randomBytes(18).toString('base64url')}`;
const TOKEN = `github_pat_${randomBytes(24).toString('hex')}`;
const here = import.meta.dirname;
const CREATED = 'mlflow.model_version.created';
const ALIASED = 'mlflow.model_version_alias.created';

let dir: string;
let python: string;
let mlflow: MlflowServer | undefined;
let github: FakeGitHub;
let relay: RelayProcess;

function registry(args: string[]): Promise<Record<string, unknown>> {
  const env = { ...process.env, MLFLOW_DISABLE_TELEMETRY: 'true', DO_NOT_TRACK: 'true' };
  return new Promise((resolve, reject) =>
    execFile(
      python,
      [join(here, 'mlflow_registry.py'), ...args, '--tracking-uri', mlflow!.url],
      { env },
      (e, out, err) => {
        if (e) {
          reject(new Error(`mlflow_registry.py ${args[0]} failed: ${err || e.message}`));
          return;
        }
        // MLflow's client prints its own lines ("View run ..."); the script's answer is the last one.
        const last = out.trim().split('\n').at(-1) ?? '';
        try {
          resolve(JSON.parse(last) as Record<string, unknown>);
        } catch {
          reject(new Error(`mlflow_registry.py ${args[0]} printed no JSON: ${out}`));
        }
      },
    ),
  );
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'relay-mlflow-'));
  python = ensureMlflowVenv();
  github = await startFakeGitHub({ token: TOKEN, owner: 'acme', repo: 'model-deploy', basePath: '/api/v3' });
  relay = await startRelay({ secret: SECRET, token: TOKEN, repo: 'acme/model-deploy', apiUrl: github.apiUrl });
  mlflow = await startMlflowServer({
    python,
    dir: join(dir, 'mlflow'),
    env: {
      // MLflow refuses webhook URLs that are not https or that resolve to a private address
      // (mlflow/utils/validation.py, mlflow/webhooks/ssrf.py); the relay here is on plain 127.0.0.1.
      MLFLOW_WEBHOOK_ALLOWED_SCHEMES: 'http,https',
      MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS: 'true',
      // Webhook secrets are stored encrypted with this Fernet key (a random one per process otherwise).
      MLFLOW_WEBHOOK_SECRET_ENCRYPTION_KEY: randomBytes(32).toString('base64url') + '=',
    },
  });
  const events = 'model_version.created,model_version_alias.created';
  await registry([
    'webhook',
    '--name',
    'github-relay',
    '--url',
    relay.webhookUrl,
    '--secret',
    SECRET,
    '--events',
    events,
  ]);
  // A second webhook at the same relay with another secret: each event is also delivered wrongly signed.
  await registry([
    'webhook',
    '--name',
    'wrong-secret',
    '--url',
    relay.webhookUrl,
    '--secret',
    'not-it',
    '--events',
    events,
  ]);
});

afterAll(async () => {
  mlflow?.stop();
  await relay?.stop();
  await github?.close();
  // The server's process group got SIGTERM; its directory goes once every process of it is gone.
  if (mlflow) await groupGone(mlflow.pid);
  rmSync(dir, { recursive: true, force: true });
  expect(relay.output()).not.toContain(SECRET);
  expect(relay.output()).not.toContain(TOKEN);
});

async function groupGone(pgid: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) {
      process.kill(-pgid, 'SIGKILL');
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

const dispatchesOf = (model: string) => github.dispatches.filter((d) => d.client_payload.model_name === model);

describe("MLflow's own webhook delivery", () => {
  it('relays model_version.created and model_version_alias.created once each; refuses the wrong secret', async () => {
    const made = await registry(['versions', '--model', 'relay-demo', '--count', '1', '--alias', 'staging']);
    const s = await relay.waitFor(
      (x) => x.pending === 0 && dispatchesOf('relay-demo').length >= 2 && x.rejected >= 2,
      'both events relayed and both wrongly signed deliveries refused',
    );
    expect(s.rejected).toBe(2);
    const ofType = (t: string) => dispatchesOf('relay-demo').filter((d) => d.event_type === t);
    const byType = { [CREATED]: ofType(CREATED), [ALIASED]: ofType(ALIASED) };
    expect(byType[CREATED]).toHaveLength(1);
    expect(byType[ALIASED]).toHaveLength(1);
    const created = byType[CREATED][0]!;
    expect(created).toMatchObject({
      owner: 'acme',
      repo: 'model-deploy',
      client_payload: {
        event: 'model_version.created',
        model_name: 'relay-demo',
        model_version: '1',
        data: {
          name: 'relay-demo',
          version: '1',
          run_id: made.run_id,
          tags: { build: '0' },
          description: 'version 1 of the relay test',
        },
      },
    });
    expect(created.client_payload.delivery_id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect((created.client_payload.data as { source: string }).source).toMatch(/\/model$/);
    expect(created.client_payload.mlflow_timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(byType[ALIASED][0]!.client_payload).toMatchObject({
      event: 'model_version_alias.created',
      model_name: 'relay-demo',
      model_version: '1',
      alias: 'staging',
    });
    expect(relay.output()).toMatch(/refused a delivery from 127\.0\.0\.1: signature does not match/);
    expect(new Set(github.attempts.map((a) => a.path))).toEqual(
      new Set(['/api/v3/repos/acme/model-deploy/dispatches']),
    );
  });

  it('relays 100 versions registered in a burst exactly once each', async () => {
    const before = await relay.stats();
    const made = await registry(['versions', '--model', 'relay-burst', '--count', '100']);
    expect(made.versions).toHaveLength(100);
    await relay.waitFor(
      (x) => x.pending === 0 && x.relayed >= before.relayed + 100 && x.rejected >= before.rejected + 100,
      '100 deliveries relayed and 100 wrongly signed refused',
    );
    const versions = dispatchesOf('relay-burst').map((d) => Number(d.client_payload.model_version));
    expect(versions.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(new Set(dispatchesOf('relay-burst').map((d) => d.client_payload.delivery_id)).size).toBe(100);
    const after = await relay.stats();
    expect(after.relayed - before.relayed).toBe(100);
    expect(after.rejected - before.rejected).toBe(100);
  });
});
