import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { aliasesOf, setAlias } from '../../packages/mlflow-client/src/index.js';
import { runActionBundle } from '../helpers/run-action.js';
import { modelWithVersions, testClient } from '../helpers/mlflow-models.js';
import {
  adminKubeconfig,
  cluster,
  createRollout,
  fakeService,
  getRollout,
  healthy,
  newNamespace,
  serviceSelectorHash,
  setImage,
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

describe('blue-green-promote (the bundle) against the real control plane and MLflow', () => {
  it('promotes after the preview checks, verifies the active URL, then moves production and previous-production', async () => {
    const { ns, first, model, v2 } = await release();
    const preview = await fakeService(v2);
    const active = await fakeService(v2);
    cleanups.push(preview.close, active.close);
    const run = await runActionBundle(
      'blue-green-promote',
      inputs(ns, model, v2, { preview: preview.url, active: active.url }),
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
    expect(preview.hits()).toBeGreaterThanOrEqual(2);
    expect(active.hits()).toBeGreaterThanOrEqual(2);
    expect(run.summary).toContain('BlueGreenPause');
    expect(run.summary).toMatch(/\| `production` \| `\d+` \| `\d+` \|/);
    // Masked first, then never printed again.
    expect(run.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::'))).not.toContainEqual(
      expect.stringContaining(cluster.token),
    );
  });

  it('a failing preview check aborts the Rollout, leaves the aliases untouched and fails in one line', async () => {
    const { ns, first, model, v2 } = await release();
    const preview = await fakeService('some-other-version');
    cleanups.push(preview.close);
    const run = await runActionBundle(
      'blue-green-promote',
      inputs(ns, model, v2, { preview: preview.url, active: preview.url }),
    );
    expect(run.code).not.toBe(0);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain(
      `preview checks failed: GET ${preview.url}/version reported 'some-other-version', expected '${v2}'`,
    );
    expect(run.errors[0]).toContain(
      'the Rollout was aborted and the MLflow aliases were not moved: revert the GitOps change',
    );
    expect(run.outputs.result).toBe('aborted');
    expect(run.outputs['active-revision']).toBe('1');
    const after = await until(ns, 'serving', 'the abort', (s) => s.abort && s.phase === 'Degraded');
    expect(after.activeSelector).toBe(first.currentPodHash);
    expect(await aliasesOf(mlflow, model.name)).toEqual({ production: model.versions[0] });
    expect(run.summary).toContain('aliases untouched');
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
      checks: '- path: /predict',
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
      "input 'checks' is not supported by this version yet",
    ]) {
      expect(text).toContain(expected);
    }
    expect(run.stderr).not.toMatch(/\n\s+at /);
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
