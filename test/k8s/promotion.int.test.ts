import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { kubeconfigYaml } from '../../scripts/services/k8s/cluster.mjs';
import {
  waitForRollout,
  awaitingPromotion,
  runPromotion,
  type CheckStage,
  type RolloutState,
  type RunChecks,
} from '../../packages/rollouts/src/index.js';
import {
  cluster,
  createRollout,
  fakeService,
  getRollout,
  healthy,
  newNamespace,
  rolloutApi,
  serviceAccountKubeconfig,
  serviceSelectorHash,
  setImage,
  smallNode,
  until,
} from './fixtures.js';

// The promotion flow of packages/rollouts against the real API server and the real Argo Rollouts controller
// (pods simulated by kwok). Checks here are plain GETs of a local server standing for the Service.
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(strategy: 'blueGreen' | 'canary', extra: Partial<Parameters<typeof createRollout>[0]> = {}) {
  const { ns, remove } = await newNamespace();
  cleanups.push(remove);
  await createRollout({ name: 'serving', ns, image: 'registry.example/serving:v1', strategy, ...extra });
  const first = await until(ns, 'serving', 'the first revision to be Healthy', healthy);
  return { ns, first };
}

function httpChecks(urls: Partial<Record<CheckStage['kind'], string>>, seen: CheckStage[] = []): RunChecks {
  return async (stage) => {
    seen.push(stage);
    const url = urls[stage.kind];
    if (!url) return { passed: true, summary: 'no checks' };
    const res = await fetch(`${url}/health`);
    return { passed: res.ok, summary: `GET /health answered ${res.status}` };
  };
}

describe('blue/green promotion against the real Rollouts controller', () => {
  it('waits for BlueGreenPause with the preview on the new pods, checks it, promotes, and sees the active Service switch', async () => {
    const { ns, first } = await setup('blueGreen');
    await setImage(ns, 'serving', 'registry.example/serving:v2');
    const preview = await fakeService('v2');
    cleanups.push(preview.close);
    const states: RolloutState[] = [];
    const stages: CheckStage[] = [];
    const result = await runPromotion({
      api: rolloutApi('serving', ns),
      timeoutMs: 90_000,
      autoRollback: true,
      runChecks: httpChecks({ preview: preview.url, active: preview.url }, stages),
      onState: (s) => states.push(s),
    });
    expect(result.result).toBe('promoted');
    expect(stages.map((s) => s.kind)).toEqual(['preview', 'active']);
    expect(preview.hits()).toBe(2);
    // Before the promotion the controller paused with the preview on the new hash and the active on the old.
    const paused = states.find((s) => s.pauseReasons.includes('BlueGreenPause'))!;
    expect(paused.previewSelector).toBe(paused.currentPodHash);
    expect(paused.activeSelector).toBe(first.currentPodHash);
    expect(paused.currentPodHash).not.toBe(first.currentPodHash);
    // After: the real Services select the new pods.
    expect(result.final.activeSelector).toBe(paused.currentPodHash);
    expect(await serviceSelectorHash(ns, 'serving-active')).toBe(paused.currentPodHash);
    expect(result.final.revision).toBe('2');
  });

  it('aborts when the preview never becomes available (timeout naming what it awaited and the last status)', async () => {
    const { ns, first } = await setup('blueGreen');
    // No node carries this label: the new pods stay Pending, the preview never becomes available.
    await setImage(ns, 'serving', 'registry.example/serving:v2', { 'no-such-node': 'true' });
    const result = await runPromotion({ api: rolloutApi('serving', ns), timeoutMs: 6_000, autoRollback: true });
    expect(result.result).toBe('aborted');
    expect(result.reason).toMatch(
      new RegExp(
        '^timed out after 6 s waiting for the Rollout to pause at BlueGreenPause with the preview Service on the new pods; ' +
          'last status: phase Progressing',
      ),
    );
    const after = await until(ns, 'serving', 'the abort', (s) => s.abort && s.phase === 'Degraded');
    expect(after.activeSelector).toBe(first.currentPodHash);
  });

  it('aborts when the preview checks fail, leaving the active Service on the old pods', async () => {
    const { ns, first } = await setup('blueGreen');
    await setImage(ns, 'serving', 'registry.example/serving:v2');
    const preview = await fakeService('v2', 500);
    cleanups.push(preview.close);
    const result = await runPromotion({
      api: rolloutApi('serving', ns),
      timeoutMs: 60_000,
      autoRollback: true,
      runChecks: httpChecks({ preview: preview.url }),
    });
    expect(result).toMatchObject({ result: 'aborted', reason: 'preview checks failed: GET /health answered 500' });
    const after = await until(ns, 'serving', 'the abort', (s) => s.abort && s.phase === 'Degraded');
    expect(after.failureReason).toBe('RolloutAborted');
    expect(await serviceSelectorHash(ns, 'serving-active')).toBe(first.currentPodHash);
  });

  it('aborts when the new revision degrades after the promotion (its full scale-up never becomes available)', async () => {
    const node = `small-${Date.now().toString(36)}`;
    cleanups.push(await smallNode(node, 1));
    const { ns, first } = await setup('blueGreen', { replicas: 2, previewReplicaCount: 1, progressDeadlineSeconds: 8 });
    // The preview (1 pod) fits on the small node; the second pod after promotion does not.
    await setImage(ns, 'serving', 'registry.example/serving:v2', { 'kubernetes.io/hostname': node });
    const result = await runPromotion({ api: rolloutApi('serving', ns), timeoutMs: 120_000, autoRollback: true });
    expect(result.result).toBe('aborted');
    expect(result.reason).toMatch(/^the Rollout failed: ProgressDeadlineExceeded/);
    const after = await until(ns, 'serving', 'the abort', (s) => s.abort);
    expect(after.activeSelector).toBe(first.currentPodHash);
  });

  it('waits for the controller to observe the new generation before trusting the status', async () => {
    const { ns } = await setup('blueGreen');
    // The controller is paused (SIGSTOP) while the spec changes: the status still says Healthy, for the old spec.
    const controller = cluster.pids['rollouts-controller']!;
    process.kill(controller, 'SIGSTOP');
    let resumed = false;
    const resume = () => {
      if (!resumed) process.kill(controller, 'SIGCONT');
      resumed = true;
    };
    cleanups.push(async () => resume());
    const bumped = await setImage(ns, 'serving', 'registry.example/serving:v2');
    const states: RolloutState[] = [];
    const promotion = runPromotion({
      api: rolloutApi('serving', ns),
      timeoutMs: 90_000,
      autoRollback: true,
      onState: (s) => {
        states.push(s);
        if (states.length === 1) setTimeout(resume, 500);
      },
    });
    const result = await promotion;
    expect(states[0]).toMatchObject({ observed: false, phase: 'Healthy', generation: bumped.metadata?.generation });
    expect(result.result).toBe('promoted');
    expect(result.final.revision).toBe('2');
  });
});

/** A TCP proxy to the API server that cuts every connection `lifeMs` after it opened. */
async function cuttingProxy(
  lifeMs: number,
): Promise<{ server: string; connections: () => number; close: () => Promise<void> }> {
  const target = new URL(cluster.server);
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    connections++;
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
    setTimeout(() => (client.destroy(), upstream.destroy()), lifeMs).unref();
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  return {
    server: `https://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`,
    connections: () => connections,
    close: () => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), proxy.close(() => r()))),
  };
}

describe('watching through a connection that keeps dropping', () => {
  it('reconnects (reading the Rollout again each time) and still sees the pause', async () => {
    const { ns } = await setup('blueGreen');
    const proxy = await cuttingProxy(300);
    cleanups.push(proxy.close);
    const kubeconfig = kubeconfigYaml({
      server: proxy.server,
      caData: cluster.caData,
      user: 'admin',
      token: cluster.token,
    });
    // Held back by a node that appears later, so the wait spans many dropped connections.
    const node = `late-${Date.now().toString(36)}`;
    await setImage(ns, 'serving', 'registry.example/serving:v2', { 'kubernetes.io/hostname': node });
    const waiting = waitForRollout(rolloutApi('serving', ns, kubeconfig), {
      what: 'BlueGreenPause',
      timeoutMs: 60_000,
      decide: (s) => (awaitingPromotion(s) ? { done: true } : undefined),
    });
    await new Promise((r) => setTimeout(r, 2000));
    cleanups.push(await smallNode(node, 10));
    const seen = await waiting;
    expect(seen.state.pauseReasons).toEqual(['BlueGreenPause']);
    expect(proxy.connections()).toBeGreaterThan(3);
  });
});

describe('refusals against the real API server', () => {
  it('a service account that may only read gets a clear RBAC error naming the verb and resource', async () => {
    const { ns } = await setup('blueGreen');
    await setImage(ns, 'serving', 'registry.example/serving:v2');
    const reader = await serviceAccountKubeconfig(ns, 'reader', [
      { apiGroups: ['argoproj.io'], resources: ['rollouts'], verbs: ['get', 'list', 'watch'] },
    ]);
    const promotion = runPromotion({ api: rolloutApi('serving', ns, reader), timeoutMs: 60_000, autoRollback: true });
    await expect(promotion).rejects.toThrow(
      `RBAC: 'system:serviceaccount:${ns}:reader' may not patch rollouts/status 'serving' in namespace '${ns}' (403 ` +
        `Forbidden): grant verb 'patch' on resource 'rollouts/status' (apiGroup 'argoproj.io')`,
    );
    // Nothing was changed.
    expect((await getRollout(ns, 'serving')).pauseReasons).toEqual(['BlueGreenPause']);
  });

  it('the status subresource refused (patch on rollouts only): the error names rollouts/status', async () => {
    const { ns } = await setup('blueGreen');
    await setImage(ns, 'serving', 'registry.example/serving:v2');
    const noStatus = await serviceAccountKubeconfig(ns, 'no-status', [
      { apiGroups: ['argoproj.io'], resources: ['rollouts'], verbs: ['get', 'list', 'watch', 'patch'] },
    ]);
    await expect(
      runPromotion({ api: rolloutApi('serving', ns, noStatus), timeoutMs: 60_000, autoRollback: false }),
    ).rejects.toThrow(`may not patch rollouts/status 'serving' in namespace '${ns}' (403 Forbidden)`);
  });

  it('names a missing Rollout, a missing namespace, and a watch the account may not make', async () => {
    const { ns } = await setup('blueGreen');
    // A preview that never becomes ready: the flow has to watch, which this account may not.
    await setImage(ns, 'serving', 'registry.example/serving:v2', { 'no-such-node': 'true' });
    await expect(rolloutApi('nope', ns).get()).rejects.toThrow(`no Rollout 'nope' in namespace '${ns}'`);
    await expect(rolloutApi('serving', 'no-such-namespace').get()).rejects.toThrow(
      "namespace 'no-such-namespace' does not exist",
    );
    const getOnly = await serviceAccountKubeconfig(ns, 'get-only', [
      { apiGroups: ['argoproj.io'], resources: ['rollouts'], verbs: ['get'] },
    ]);
    await expect(
      runPromotion({ api: rolloutApi('serving', ns, getOnly), timeoutMs: 20_000, autoRollback: false }),
    ).rejects.toThrow(`may not watch rollouts 'serving' in namespace '${ns}' (403 Forbidden)`);
  });
});

describe('canary promotion against the real Rollouts controller', () => {
  it('advances pause step by pause step, checking at each, until fully promoted', async () => {
    const { ns } = await setup('canary', {
      replicas: 2,
      canarySteps: [{ setWeight: 50 }, { pause: {} }, { setWeight: 100 }, { pause: {} }],
    });
    await setImage(ns, 'serving', 'registry.example/serving:v2');
    const canary = await fakeService('v2');
    cleanups.push(canary.close);
    const stages: CheckStage[] = [];
    const result = await runPromotion({
      api: rolloutApi('serving', ns),
      timeoutMs: 90_000,
      autoRollback: true,
      runChecks: httpChecks({ 'canary-step': canary.url, active: canary.url }, stages),
    });
    expect(result.result).toBe('promoted');
    expect(stages).toEqual([{ kind: 'canary-step', step: 1 }, { kind: 'canary-step', step: 3 }, { kind: 'active' }]);
    expect(result.final).toMatchObject({ phase: 'Healthy', currentStepIndex: 4 });
    expect(result.final.stableRS).toBe(result.final.currentPodHash);
  });

  it('aborts a canary whose step check fails', async () => {
    const { ns, first } = await setup('canary', { replicas: 2 });
    await setImage(ns, 'serving', 'registry.example/serving:v2');
    const canary = await fakeService('v2', 503);
    cleanups.push(canary.close);
    const result = await runPromotion({
      api: rolloutApi('serving', ns),
      timeoutMs: 60_000,
      autoRollback: true,
      runChecks: httpChecks({ 'canary-step': canary.url }),
    });
    expect(result).toMatchObject({
      result: 'aborted',
      reason: 'canary step 1 checks failed: GET /health answered 503',
    });
    const after = await until(ns, 'serving', 'the abort', (s) => s.abort && s.phase === 'Degraded');
    expect(after.stableRS).toBe(first.currentPodHash);
  });
});
