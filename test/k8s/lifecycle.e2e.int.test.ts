import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { aliasesOf, setAlias } from '../../packages/mlflow-client/src/index.js';
import { modelWithVersions, testClient } from '../helpers/mlflow-models.js';
import { runWorkflowJob, type JobResult, type WorkflowContext } from '../helpers/workflow-runner.js';
import { startGitServer, type GitServer } from '../setup/git-http.js';
import {
  adminKubeconfig,
  createRollout,
  getRollout,
  healthy,
  newNamespace,
  serviceSelectorHash,
  until,
} from './fixtures.js';
import {
  serviceStandIn,
  startArgoCd,
  type FakeArgoCd,
  type ImageBehaviour,
  type ServiceStandIn,
} from './lifecycle-world.js';

// Acceptance 4 of issue 14: the steps of workflows-examples/staging.yml and main.yml, executed as the runner
// would (test/helpers/workflow-runner.ts: the committed bundles, INPUT_*, bash run: steps, if: failure()),
// against the real MLflow server (with auth: the token is the workflow's secret), the real git server holding
// the GitOps repository, and the real control plane with the real Argo Rollouts controller. Argo CD (which
// applies each GitOps commit to the cluster and answers its API) and the Services' URLs are stand-ins
// (test/k8s/lifecycle-world.ts).
const { auth } = inject('mlflow');
const mlflow = testClient(auth.url, auth.admin);
const IMAGE = 'registry.example/acme/model-server';
const FILE = 'apps/model-server/rollout.yaml';
const digestOf = (version: string) => `sha256:${createHash('sha256').update(`model-server ${version}`).digest('hex')}`;
const refOf = (version: string) => `${IMAGE}:model-${version}@${digestOf(version)}`;

const manifest = (image: string) => `# The model server, deployed blue/green by Argo Rollouts.
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: serving
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: serve
          image: ${image} # bumped by the workflows
`;

let git: GitServer;
let argocd: FakeArgoCd;
const standIns: ServiceStandIn[] = [];
const cleanups: (() => Promise<void>)[] = [];
let model: { name: string; versions: string[] };
let staging: string;
let production: string;
let ctx: WorkflowContext;
/** How each image behaves, per environment: version 3 fails only in production, version 4 already in staging. */
const behaviour: Record<'staging' | 'production', Map<string, ImageBehaviour>> = {
  staging: new Map(),
  production: new Map(),
};

beforeAll(async () => {
  model = await modelWithVersions(mlflow, auth.seed.prod_model.run_ids[0]!, 4, 'lifecycle');
  for (const v of model.versions) {
    // What model-image.yml records on a version after pushing its image.
    for (const [key, value] of [
      ['image.repository', IMAGE],
      ['image.tag', `model-${v}`],
      ['image.digest', digestOf(v)],
    ])
      await mlflow.post('model-versions/set-tag', { name: model.name, version: v, key, value });
    behaviour.staging.set(digestOf(v), { version: v, healthy: v !== model.versions[3] });
    behaviour.production.set(digestOf(v), { version: v, healthy: v !== model.versions[2] });
  }
  const [v1] = model.versions as [string];
  await setAlias(mlflow, model.name, 'production', v1);

  git = await startGitServer();
  cleanups.push(() => git.close());
  await git.createRepo('gitops', { [FILE]: manifest(refOf(v1)) }, 'main');
  await git.git('gitops', ['branch', 'staging', 'main']);

  for (const env of ['staging', 'production'] as const) {
    const { ns, remove } = await newNamespace(`lc-${env.slice(0, 4)}`);
    cleanups.push(remove);
    await createRollout({ name: 'serving', ns, image: refOf(v1), strategy: 'blueGreen' });
    await until(ns, 'serving', `the ${env} Rollout's first revision to be Healthy`, healthy);
    if (env === 'staging') staging = ns;
    else production = ns;
  }
  argocd = await startArgoCd(
    git,
    'gitops',
    [
      { name: 'model-server-staging', branch: 'staging', file: FILE, namespace: staging, rollout: 'serving' },
      { name: 'model-server-production', branch: 'main', file: FILE, namespace: production, rollout: 'serving' },
    ],
    'argocd-token-for-the-lifecycle-test',
  );
  cleanups.push(() => argocd.close());
  const stand = async (ns: string, service: string, env: 'staging' | 'production') => {
    const s = await serviceStandIn(ns, service, (digest) => behaviour[env].get(digest));
    standIns.push(s);
    return s.url;
  };
  ctx = {
    vars: {
      MLFLOW_TRACKING_URI: auth.url,
      MODEL_NAME: model.name,
      MODEL_SERVER_IMAGE: IMAGE,
      GITOPS_REPOSITORY: git.repoUrl('gitops'),
      GITOPS_FILES: FILE,
      ARGOCD_SERVER: argocd.url,
      ARGOCD_APP_STAGING: 'model-server-staging',
      ARGOCD_APP_PRODUCTION: 'model-server-production',
      STAGING_ROLLOUT: 'serving',
      STAGING_NAMESPACE: staging,
      STAGING_PREVIEW_URL: await stand(staging, 'serving-preview', 'staging'),
      STAGING_ACTIVE_URL: await stand(staging, 'serving-active', 'staging'),
      PRODUCTION_ROLLOUT: 'serving',
      PRODUCTION_NAMESPACE: production,
      PRODUCTION_PREVIEW_URL: await stand(production, 'serving-preview', 'production'),
      PRODUCTION_ACTIVE_URL: await stand(production, 'serving-active', 'production'),
    },
    secrets: {
      MLFLOW_TRACKING_TOKEN: auth.bearerToken,
      GITOPS_TOKEN: git.token,
      STAGING_KUBECONFIG: adminKubeconfig(staging),
      PRODUCTION_KUBECONFIG: adminKubeconfig(production),
      ARGOCD_TOKEN: argocd.token,
    },
    // The job's own token: never sent to the git server (it is not GITHUB_SERVER_URL's host).
    github: { token: 'ghs_jobtokenofthelifecycletest', repository: 'acme/model-server', actor: 'ci' },
    stepTimeoutMs: 240_000,
  };
});

afterAll(async () => {
  for (const s of standIns.splice(0)) await s.close();
  for (const c of cleanups.splice(0).reverse()) await c();
  mlflow.close();
});

/** The failure, if any, in one readable block: each step, its outcome and its error lines. */
const story = (job: JobResult) =>
  job.steps
    .map((s) => {
      const line = `${s.outcome.padEnd(7)} ${s.name}${s.errors.length ? `: ${s.errors.join(' | ')}` : ''}`;
      if (s.outcome !== 'failure') return line;
      const tail = `${s.stdout}\n${s.stderr}`.trim().split('\n').slice(-15);
      return [line, `        exit ${s.code}`, ...tail.map((l) => `        | ${l}`)].join('\n');
    })
    .join('\n');

async function deployToStaging(version: string): Promise<JobResult> {
  // As model-image.yml calls it (workflow_call with the version it built).
  return runWorkflowJob('staging.yml', 'deploy', { ...ctx, inputs: { 'model-version': version } });
}

describe('the model lifecycle: staging.yml and main.yml, step by step', () => {
  it('staging: bumps the staging branch by digest, promotes the staging Rollout behind its checks, moves staging-approved', async () => {
    const v2 = model.versions[1]!;
    const job = await deployToStaging(v2);
    expect(job.result, story(job)).toBe('success');
    expect(job.outputs).toEqual({ digest: digestOf(v2) });
    expect(job.step('bump').outputs).toMatchObject({ changed: 'true', 'new-ref': refOf(v2) });
    // Only the image's text changed, comments kept; main untouched.
    expect(await git.readFile('gitops', 'staging', FILE)).toBe(manifest(refOf(v2)));
    expect(await git.readFile('gitops', 'main', FILE)).toBe(manifest(refOf(model.versions[0]!)));
    expect(argocd.synced('model-server-staging')).toContain(job.step('bump').outputs['commit-sha']);
    expect(job.step('synced').outputs.result).toMatch(/^(paused|progressing|healthy)$/);
    expect(job.step('release').outputs.result).toBe('promoted');
    const rollout = await getRollout(staging, 'serving');
    expect(await serviceSelectorHash(staging, 'serving-active')).toBe(rollout.currentPodHash);
    expect(await aliasesOf(mlflow, model.name)).toEqual({ production: model.versions[0], 'staging-approved': v2 });
    // The revert steps were skipped: nothing failed.
    expect(job.steps.filter((s) => s.outcome === 'skipped').map((s) => s.id ?? s.name)).toEqual([
      'previous',
      'Revert the staging bump',
    ]);
  });

  it('main: promotes the exact reference staging runs, blue/green, and moves production and previous-production', async () => {
    const [v1, v2] = model.versions as [string, string];
    const before = await getRollout(production, 'serving');
    const job = await runWorkflowJob('main.yml', 'promote', ctx);
    expect(job.result, story(job)).toBe('success');
    expect(job.step('promote').outputs).toMatchObject({
      changed: 'true',
      'new-ref': refOf(v2),
      'previous-ref': refOf(v1),
    });
    // Byte for byte what staging runs.
    expect(await git.readFile('gitops', 'main', FILE)).toBe(await git.readFile('gitops', 'staging', FILE));
    expect(job.step('release').outputs).toMatchObject({ result: 'promoted', 'active-version': v2 });
    const after = await getRollout(production, 'serving');
    expect(after.currentPodHash).not.toBe(before.currentPodHash);
    expect(await serviceSelectorHash(production, 'serving-active')).toBe(after.currentPodHash);
    expect(await aliasesOf(mlflow, model.name)).toEqual({
      production: v2,
      'previous-production': v1,
      'staging-approved': v2,
    });
    expect(job.steps.filter((s) => s.outcome === 'skipped').map((s) => s.id ?? s.name)).toEqual([
      'Abort the Rollout',
      'previous',
      'Revert the bump on main',
    ]);
  });

  it('main: a promotion whose preview fails ends with the Rollout aborted, the bump on main reverted, the aliases unchanged', async () => {
    const [v1, v2, v3] = model.versions as [string, string, string];
    const staged = await deployToStaging(v3);
    expect(staged.result, story(staged)).toBe('success');
    const aliasesBefore = await aliasesOf(mlflow, model.name);
    expect(aliasesBefore).toEqual({ production: v2, 'previous-production': v1, 'staging-approved': v3 });
    const servingBefore = await serviceSelectorHash(production, 'serving-active');
    const logBefore = await git.log('gitops', 'main');

    const job = await runWorkflowJob('main.yml', 'promote', ctx);
    expect(job.result).toBe('failure');
    // The promotion bump was pushed, then the release failed on the preview, aborted, and the bump was reverted.
    expect(job.step('promote').outputs).toMatchObject({ changed: 'true', 'new-ref': refOf(v3) });
    expect(job.step('release').outcome).toBe('failure');
    expect(job.step('release').outputs.result).toBe('aborted');
    expect(job.step('release').errors).toHaveLength(1);
    expect(job.step('release').errors[0]).toContain(
      `preview checks failed: 1/2 failed at ${ctx.vars!.PRODUCTION_PREVIEW_URL}: GET /health: 503`,
    );
    expect(job.step('release').errors[0]).toContain('the Rollout was aborted and the MLflow aliases were not moved');
    expect(job.step('Abort the Rollout').outcome).toBe('skipped');
    expect(job.step('Revert the bump on main').outcome, story(job)).toBe('success');
    expect(job.step('Revert the bump on main').outputs).toMatchObject({ changed: 'true', 'new-ref': refOf(v2) });

    const aborted = await until(production, 'serving', 'the abort', (s) => s.abort && s.phase === 'Degraded');
    expect(await serviceSelectorHash(production, 'serving-active')).toBe(servingBefore);
    expect(aborted.activeSelector).toBe(servingBefore);
    expect(await git.readFile('gitops', 'main', FILE)).toBe(manifest(refOf(v2)));
    const log = await git.log('gitops', 'main');
    expect(log.slice(0, 2).map((c) => c.subject)).toEqual([
      `Revert production to ${refOf(v2)}: promotion of model version ${v3} failed`,
      expect.stringContaining(refOf(v3)),
    ]);
    expect(log.slice(2).map((c) => c.sha)).toEqual(logBefore.map((c) => c.sha));
    expect(await aliasesOf(mlflow, model.name)).toEqual(aliasesBefore);
    // Argo CD syncs the revert: the Rollout's pod template is again the one of the pods that serve.
    await until(
      production,
      'serving',
      'the revert to be synced',
      (s) => s.observed && s.currentPodHash === servingBefore && s.activeSelector === servingBefore,
    );
  });

  it('staging: a version whose preview fails is aborted there, the staging bump reverted, staging-approved unchanged', async () => {
    const [, , v3, v4] = model.versions as [string, string, string, string];
    const aliasesBefore = await aliasesOf(mlflow, model.name);
    const servingBefore = await serviceSelectorHash(staging, 'serving-active');
    const job = await deployToStaging(v4);
    expect(job.result).toBe('failure');
    expect(job.step('bump').outputs).toMatchObject({
      changed: 'true',
      'new-ref': refOf(v4),
      'previous-ref': refOf(v3),
    });
    expect(job.step('release').outputs.result).toBe('aborted');
    expect(job.step('release').errors[0]).toContain(
      `preview checks failed: 1/2 failed at ${ctx.vars!.STAGING_PREVIEW_URL}: GET /health: 503`,
    );
    expect(job.step('approve').outcome).toBe('skipped');
    expect(job.step('Revert the staging bump').outcome, story(job)).toBe('success');
    expect(await git.readFile('gitops', 'staging', FILE)).toBe(manifest(refOf(v3)));
    expect((await git.log('gitops', 'staging'))[0]!.subject).toBe(
      `Revert staging to ${refOf(v3)}: release of model version ${v4} failed`,
    );
    expect(await serviceSelectorHash(staging, 'serving-active')).toBe(servingBefore);
    expect(await aliasesOf(mlflow, model.name)).toEqual(aliasesBefore);
    // main.yml now refuses nothing new: staging runs v3 again, which is what staging-approved names.
    expect(aliasesBefore['staging-approved']).toBe(v3);
  });
});
