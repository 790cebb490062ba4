import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { aliasesOf, setAlias } from '../../packages/mlflow-client/src/index.js';
import { runActionBundle } from '../helpers/run-action.js';
import { modelWithVersions, testClient } from '../helpers/mlflow-models.js';
import {
  adminKubeconfig,
  cluster,
  createRollout,
  getRollout,
  healthy,
  newNamespace,
  serviceSelectorHash,
  setImage,
  startModelServer,
  until,
} from './fixtures.js';

// The committed bundle (dist/blue-green-promote) against the real control plane, the real Rollouts
// controller and the real MLflow server; preview and active URLs are local servers standing for the Services.
const { plain } = inject('mlflow');
const mlflow = testClient(plain.url);
afterAll(() => mlflow.close());
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function release() {
  const { ns, remove } = await newNamespace('act');
  cleanups.push(remove);
  await createRollout({ name: 'serving', ns, image: 'registry.example/serving:v1', strategy: 'blueGreen' });
  const first = await until(ns, 'serving', 'the first revision to be Healthy', healthy);
  const model = await modelWithVersions(mlflow, plain.seed.prod_model.run_ids[0]!, 2, 'bg-action');
  await setAlias(mlflow, model.name, 'production', model.versions[0]!);
  await setImage(ns, 'serving', 'registry.example/serving:v2');
  return { ns, first, model, v2: model.versions[1]! };
}

const inputs = (ns: string, model: { name: string }, version: string, urls: { preview: string; active: string }) => ({
  rollout: 'serving',
  namespace: ns,
  kubeconfig: adminKubeconfig(),
  'preview-url': urls.preview,
  'active-url': urls.active,
  'expected-version': version,
  'timeout-seconds': '90',
  'tracking-uri': plain.url,
  'model-name': model.name,
  'model-version': version,
  'promote-alias': 'production',
  'previous-alias': 'previous-production',
});

const ADMIN_TOKEN = 'reload-token-7f3a9c';
// The checks a team writes for its model server: a prediction, then a reload behind the admin token.
const CHECKS = `
- name: predict
  path: /predict
  json: { inputs: [[6.1, 2.8], [1.0, 0.5]] }
  expect-json: { predictions: [1, 0] }
- name: reload
  path: /admin/reload
  method: POST
  headers: { X-Admin-Token: "\${ADMIN_TOKEN}" }
  expect-json: { status: reloaded }
`;

const reloads = (log: string) => log.split('\n').filter((l) => l.includes('model-server: reloaded')).length;

/** A local endpoint that reports `version` and runs `onRequest` (e.g. reading the Rollout) before it answers. */
async function rolloutReportingService(version: string, onRequest: () => Promise<void>) {
  const server = createServer((req, res) => {
    void onRequest().then(
      () => {
        if (req.url === '/version')
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ version }));
        else if (req.url === '/health') res.writeHead(200).end('ok');
        else res.writeHead(404).end();
      },
      (e: unknown) => res.writeHead(500).end(String(e)),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

describe('blue-green-promote (the bundle) against the real control plane and MLflow', () => {
  it('promotes after the preview checks, verifies the active URL, then moves production and previous-production', async () => {
    const { ns, first, model, v2 } = await release();
    const preview = await startModelServer({ version: v2, adminToken: ADMIN_TOKEN });
    const active = await startModelServer({ version: v2, adminToken: ADMIN_TOKEN });
    cleanups.push(preview.close, active.close);
    const run = await runActionBundle(
      'blue-green-promote',
      { ...inputs(ns, model, v2, { preview: preview.url, active: active.url }), checks: CHECKS },
      { env: { ADMIN_TOKEN } },
    );
    expect(run.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.outputs).toEqual({
      result: 'promoted',
      'active-revision': '2',
      'previous-revision': '1',
      'active-version': v2,
    });
    expect(run.masked).toContain(cluster.token);
    const after = await getRollout(ns, 'serving');
    expect(after.activeSelector).toBe(after.currentPodHash);
    expect(after.currentPodHash).not.toBe(first.currentPodHash);
    expect(await serviceSelectorHash(ns, 'serving-active')).toBe(after.currentPodHash);
    expect(await aliasesOf(mlflow, model.name)).toEqual({ production: v2, 'previous-production': model.versions[0] });
    // Each server got the whole list once: the reload (token from the step's env) reached both.
    expect(reloads(preview.log())).toBe(1);
    expect(reloads(active.log())).toBe(1);
    expect(run.summary).toContain('BlueGreenPause');
    expect(run.summary).toMatch(/\| `production` \| `\d+` \| `\d+` \|/);
    for (const [stage, url] of [
      ['preview', preview.url],
      ['active', active.url],
    ] as const) {
      for (const check of ['predict', 'reload', `version is ${v2}`]) {
        expect(run.summary).toContain(`| ${stage} \`${url}\` | ${check} | pass | 200 in `);
      }
    }
    // Masked first, then never printed again.
    for (const secret of [cluster.token, ADMIN_TOKEN]) {
      expect(run.masked).toContain(secret);
      expect(run.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::'))).not.toContainEqual(
        expect.stringContaining(secret),
      );
    }
  });

  it('a failing preview check aborts the Rollout, leaves the aliases untouched and fails in one line', async () => {
    const { ns, first, model, v2 } = await release();
    // The preview pods were built with another admin token: the reload check is refused.
    const preview = await startModelServer({ version: v2, adminToken: 'another-token' });
    cleanups.push(preview.close);
    const run = await runActionBundle(
      'blue-green-promote',
      { ...inputs(ns, model, v2, { preview: preview.url, active: preview.url }), checks: CHECKS },
      { env: { ADMIN_TOKEN } },
    );
    expect(run.code).not.toBe(0);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain(`preview checks failed: 1/3 failed at ${preview.url}: reload: 403 in `);
    expect(run.errors[0]).toContain('status 403, expected 2xx');
    expect(run.errors[0]).toContain(
      'the Rollout was aborted and the MLflow aliases were not moved: revert the GitOps change',
    );
    expect(run.outputs.result).toBe('aborted');
    expect(run.outputs['active-revision']).toBe('1');
    const after = await until(ns, 'serving', 'the abort', (s) => s.abort && s.phase === 'Degraded');
    expect(after.activeSelector).toBe(first.currentPodHash);
    expect(await aliasesOf(mlflow, model.name)).toEqual({ production: model.versions[0] });
    expect(run.summary).toContain('aliases untouched');
    expect(run.summary).toContain(`| preview \`${preview.url}\` | predict | pass |`);
    expect(run.summary).toContain(`| preview \`${preview.url}\` | reload | **fail** | 403 in `);
    // The checks after the failing one still ran (all results are reported), and nothing reached the active stage.
    expect(run.summary).toContain(`| preview \`${preview.url}\` | version is ${v2} | pass |`);
    expect(run.summary).not.toMatch(/\| active `http/);
  });

  it('action abort: an update in progress is aborted; a Rollout on its stable pods is left alone, not marked Degraded', async () => {
    const { ns, remove } = await newNamespace('act');
    cleanups.push(remove);
    await createRollout({ name: 'serving', ns, image: 'registry.example/serving:v1', strategy: 'blueGreen' });
    const first = await until(ns, 'serving', 'the first revision to be Healthy', healthy);
    const abortIt = () =>
      runActionBundle('blue-green-promote', {
        action: 'abort',
        rollout: 'serving',
        namespace: ns,
        kubeconfig: adminKubeconfig(),
        'timeout-seconds': '60',
      });
    // As a workflow's clean-up does when Argo CD never synced the bump: nothing is in progress.
    const idle = await abortIt();
    expect(idle.errors).toEqual([]);
    expect(idle.outputs.result).toBe('nothing-to-abort');
    expect(idle.stdout).toContain('nothing to abort: the Rollout runs its stable pods');
    const untouched = await getRollout(ns, 'serving');
    expect(untouched).toMatchObject({ abort: false, phase: 'Healthy', activeSelector: first.currentPodHash });

    await setImage(ns, 'serving', 'registry.example/serving:v2');
    await until(ns, 'serving', 'the new revision paused for promotion', (st) => st.phase === 'Paused');
    const busy = await abortIt();
    expect(busy.errors).toEqual([]);
    expect(busy.outputs.result).toBe('aborted');
    expect(busy.outputs['active-revision']).toBe('1');
    const after = await getRollout(ns, 'serving');
    expect(after).toMatchObject({ abort: true, phase: 'Degraded', activeSelector: first.currentPodHash });
  });

  it('a wrong version on the preview aborts with what it reported', async () => {
    const { ns, model, v2 } = await release();
    const preview = await startModelServer({ version: 'some-other-version' });
    cleanups.push(preview.close);
    const run = await runActionBundle(
      'blue-green-promote',
      inputs(ns, model, v2, { preview: preview.url, active: preview.url }),
    );
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain(`preview checks failed: 1/2 failed at ${preview.url}: version is ${v2}: 200 in `);
    expect(run.errors[0]).toContain(`/version reports version "some-other-version", expected version "${v2}"`);
    expect(run.outputs.result).toBe('aborted');
    expect(await aliasesOf(mlflow, model.name)).toEqual({ production: model.versions[0] });
  });

  it('a canary Rollout is checked at each pause step, while paused there, then promoted and the aliases moved', async () => {
    const { ns, remove } = await newNamespace('act');
    cleanups.push(remove);
    await createRollout({
      name: 'serving',
      ns,
      image: 'registry.example/serving:v1',
      strategy: 'canary',
      replicas: 2,
      canarySteps: [{ setWeight: 50 }, { pause: {} }, { setWeight: 100 }, { pause: {} }],
    });
    await until(ns, 'serving', 'the first revision to be Healthy', healthy);
    const model = await modelWithVersions(mlflow, plain.seed.prod_model.run_ids[0]!, 2, 'bg-canary');
    await setAlias(mlflow, model.name, 'production', model.versions[0]!);
    const v2 = model.versions[1]!;
    await setImage(ns, 'serving', 'registry.example/serving:v2');
    // The canary endpoint notes where the Rollout stands each time it is checked.
    const seen: string[] = [];
    const canary = await rolloutReportingService(v2, async () => {
      const s = await getRollout(ns, 'serving');
      seen.push(`step ${s.currentStepIndex} ${s.pauseReasons.join(',') || 'not paused'}`);
    });
    const active = await startModelServer({ version: v2 });
    cleanups.push(canary.close, active.close);
    const run = await runActionBundle(
      'blue-green-promote',
      inputs(ns, model, v2, { preview: canary.url, active: active.url }),
    );
    expect(run.errors).toEqual([]);
    expect(run.outputs.result).toBe('promoted');
    // GET /health and GET /version at step 1 and at step 3, each while paused there.
    expect(seen).toEqual([
      'step 1 CanaryPauseStep',
      'step 1 CanaryPauseStep',
      'step 3 CanaryPauseStep',
      'step 3 CanaryPauseStep',
    ]);
    const after = await getRollout(ns, 'serving');
    expect(after).toMatchObject({ phase: 'Healthy', currentStepIndex: 4 });
    expect(await aliasesOf(mlflow, model.name)).toEqual({ production: v2, 'previous-production': model.versions[0] });
    for (const stage of ['canary step 1', 'canary step 3'])
      expect(run.summary).toContain(`| ${stage} \`${canary.url}\` | version is ${v2} | pass |`);
    expect(run.summary).toContain(`| active \`${active.url}\` | GET /health | pass |`);
  });

  it('status succeeds while the release waits for promotion, and reports it', async () => {
    const { ns } = await release();
    await until(ns, 'serving', 'BlueGreenPause', (s) => s.observed && s.pauseReasons.includes('BlueGreenPause'));
    const run = await runActionBundle('blue-green-promote', {
      action: 'status',
      rollout: 'serving',
      namespace: ns,
      kubeconfig: adminKubeconfig(),
    });
    expect(run.errors).toEqual([]);
    expect(run.outputs.result).toBe('paused');
    expect(run.stdout).toContain('phase Paused (BlueGreenPause), revision 2');
  });

  it('reports every bad input at once, in one line each, before any call', async () => {
    const run = await runActionBundle('blue-green-promote', {
      rollout: 'Not_A_Name',
      'auto-rollback': 'yes',
      'promote-alias': 'production',
      'argocd-app': 'serving',
      checks: '- path: /predict\n- path: predict',
      'preview-url': 'http://127.0.0.1:9',
      kubeconfig: adminKubeconfig(),
    });
    expect(run.code).not.toBe(0);
    const text = run.errors.join('\n');
    for (const expected of [
      "input 'rollout' must be a Kubernetes object name",
      "input 'auto-rollback' must be true or false, got 'yes'",
      "input 'model-name' is required to move MLflow aliases",
      "input 'argocd-server' is required with 'argocd-app'",
      `input 'checks': item 2 (line 2): "path" is required and must start with "/"`,
    ]) {
      expect(text).toContain(expected);
    }
    expect(run.stderr).not.toMatch(/\n\s+at /);
    // A header that names a variable the step does not have would send an empty credential.
    const unset = await runActionBundle('blue-green-promote', {
      rollout: 'serving',
      checks: '- path: /admin/reload\n  method: POST\n  headers: { x-admin-token: "${UNSET_ADMIN_TOKEN}" }',
      'preview-url': 'http://127.0.0.1:9',
      kubeconfig: adminKubeconfig(),
    });
    expect(unset.errors).toEqual([
      "blue-green-promote: input 'checks' names ${UNSET_ADMIN_TOKEN} in a header, " +
        "but UNSET_ADMIN_TOKEN is not set: give it in the step's env",
    ]);
    // A credential in a check header goes over https, or over plain http to this machine only.
    const plain = await runActionBundle(
      'blue-green-promote',
      {
        rollout: 'serving',
        checks: '- path: /admin/reload\n  method: POST\n  headers: { x-admin-token: "${ADMIN_TOKEN}" }',
        'preview-url': 'http://serving-preview.models.svc:8080',
        'active-url': 'https://serving.example.com',
        kubeconfig: adminKubeconfig(),
      },
      { env: { ADMIN_TOKEN: 'admin-token-value' } },
    );
    expect(plain.errors).toEqual([
      "blue-green-promote: input 'preview-url' is plain http to serving-preview.models.svc:8080, where check " +
        'headers would travel unencrypted: use https (plain http is allowed only to a loopback address)',
    ]);
  });

  it('an unreadable kubeconfig and a missing Rollout are one line each', async () => {
    const missing = await runActionBundle('blue-green-promote', {
      rollout: 'serving',
      kubeconfig: '/no/such/kubeconfig',
    });
    expect(missing.errors.join('\n')).toContain("cannot read kubeconfig file '/no/such/kubeconfig' (ENOENT)");
    const { ns, remove } = await newNamespace('act');
    cleanups.push(remove);
    const none = await runActionBundle('blue-green-promote', {
      rollout: 'nope',
      namespace: ns,
      kubeconfig: adminKubeconfig(),
    });
    expect(none.errors).toHaveLength(1);
    expect(none.errors[0]).toContain(`no Rollout 'nope' in namespace '${ns}'`);
  });

  it('rollback-registry moves production back to the version previous-production holds', async () => {
    const model = await modelWithVersions(mlflow, plain.seed.prod_model.run_ids[0]!, 2, 'bg-rollback');
    await setAlias(mlflow, model.name, 'production', model.versions[1]!);
    await setAlias(mlflow, model.name, 'previous-production', model.versions[0]!);
    const run = await runActionBundle('blue-green-promote', {
      action: 'rollback-registry',
      'tracking-uri': plain.url,
      'model-name': model.name,
      'promote-alias': 'production',
      'previous-alias': 'previous-production',
    });
    expect(run.errors).toEqual([]);
    expect(run.outputs).toMatchObject({ result: 'rolled-back', 'active-version': model.versions[0] });
    expect((await aliasesOf(mlflow, model.name)).production).toBe(model.versions[0]);
  });
});
