// bench/blue-green-promote: the delay from the Rollouts controller writing the status the action waits for
// (paused at BlueGreenPause, preview on the new pods) to the action acting on it (its promote patch), over 20
// transitions, against the real control plane and controller (scripts/services/k8s). Both times come from the
// API server's audit log (microseconds, one clock): the controller's last write to the Rollout before the
// action's patch, and the action's patch. The action is the committed bundle, started and watching before the
// pause can happen (the new pods are held until a node for them appears). Beside it, a poller that GETs the
// Rollout once a second, as status loops do, timed on the same clock.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { kubeconfigYaml, startCluster } from '../../scripts/services/k8s/cluster.mjs';
import { writeSection } from '../lib/results.mjs';

const root = resolve(import.meta.dirname, '../..');
const TRANSITIONS = Number(process.env.BENCH_TRANSITIONS ?? 20);
const POLL_MS = 1000;

const k8s = await startCluster({ auditRollouts: true });
const work = mkdtempSync(join(tmpdir(), 'bench-bg-'));
const api = async (method, path, body, type = 'application/json') => {
  const res = await k8s.request(method, path, body === undefined ? undefined : JSON.stringify(body), type);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text.slice(0, 300)}`);
  return res.text ? JSON.parse(res.text) : {};
};
const kubeconfig = kubeconfigYaml({ server: k8s.server, caData: k8s.caData, user: 'admin', token: k8s.token });
const template = (image, node) => ({
  metadata: { labels: { app: 'serving' } },
  spec: { nodeSelector: { 'kubernetes.io/hostname': node }, containers: [{ name: 'serve', image }] },
});
const state = (r) => ({
  paused:
    r.status?.observedGeneration === String(r.metadata?.generation) &&
    r.status?.phase === 'Paused' &&
    (r.status?.pauseConditions ?? []).some((c) => c.reason === 'BlueGreenPause') &&
    r.status?.blueGreen?.previewSelector === r.status?.currentPodHash,
  healthy: r.status?.phase === 'Healthy' && r.status?.stableRS === r.status?.currentPodHash,
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(path, pred, what) {
  for (let i = 0; i < 600; i++) {
    if (pred(await api('GET', path))) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const watchDelays = [];
const pollDelays = [];
// Stopped by a signal: the control plane goes too.
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => k8s.stop().then(() => process.exit(130)));

/** A Rollout on its first revision, then the bump; its new pods wait for a node that does not exist yet. */
async function bumped(i) {
  const ns = `bench-${i}`;
  await api('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  for (const svc of ['active', 'preview']) {
    await api('POST', `/api/v1/namespaces/${ns}/services`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: svc },
      spec: { selector: { app: 'serving' }, ports: [{ port: 80 }] },
    });
  }
  const path = `/apis/argoproj.io/v1alpha1/namespaces/${ns}/rollouts/serving`;
  await api('POST', `/apis/argoproj.io/v1alpha1/namespaces/${ns}/rollouts`, {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'serving' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'serving' } },
      template: template('serving:v1', 'kwok-node-0'),
      strategy: { blueGreen: { activeService: 'active', previewService: 'preview', autoPromotionEnabled: false } },
    },
  });
  await until(path, (r) => state(r).healthy, 'the first revision');
  await api(
    'PATCH',
    path,
    { spec: { template: template('serving:v2', `bench-node-${i}`) } },
    'application/merge-patch+json',
  );
  return { ns, path, node: `bench-node-${i}` };
}

const addNode = (node) =>
  api('POST', '/api/v1/nodes', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node,
      labels: { type: 'kwok', 'kubernetes.io/hostname': node },
      annotations: { 'kwok.x-k8s.io/node': 'fake' },
    },
  });

/**
 * From the audit log of one namespace: the time of the controller's last write before `before` (the action's
 * promote patch, or the time a poller saw the pause). Writes by the bench (the bump) and the action are
 * told apart from the controller's by their user agent.
 */
function controllerWriteBefore(ns, { pick, beforeMicros }) {
  const events = readFileSync(k8s.auditLogPath, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((e) => e.objectRef?.namespace === ns && e.stage === 'ResponseComplete');
  const bench = events.find((e) => e.verb === 'patch' && e.requestObject?.spec?.template)?.userAgent;
  const oursIndex = pick ? events.findIndex(pick) : -1;
  if (pick && oursIndex < 0) throw new Error(`no promote patch in the audit log for ${ns}`);
  const ours = pick ? events[oursIndex] : undefined;
  const limit = ours ? micros(ours.requestReceivedTimestamp) : beforeMicros;
  const writes = events.filter(
    (e) => e.userAgent !== bench && e.userAgent !== ours?.userAgent && micros(e.stageTimestamp) <= limit,
  );
  if (!writes.length) throw new Error(`no controller write in the audit log for ${ns}`);
  return { pausedAt: micros(writes.at(-1).stageTimestamp), oursAt: ours ? limit : undefined };
}
const isPromotePatch = (e) =>
  e.verb === 'patch' && e.requestObject?.status && e.requestObject.status.pauseConditions === null;

try {
  for (let i = 0; i < TRANSITIONS; i++) {
    const { ns, node } = await bumped(i);
    const out = join(work, `out-${i}`);
    writeFileSync(out, '');
    const action = spawn(process.execPath, [join(root, 'dist/blue-green-promote/index.js')], {
      env: {
        PATH: process.env.PATH,
        HOME: work,
        GITHUB_OUTPUT: out,
        GITHUB_STEP_SUMMARY: join(work, `summary-${i}`),
        INPUT_ROLLOUT: 'serving',
        INPUT_NAMESPACE: ns,
        INPUT_KUBECONFIG: kubeconfig,
        'INPUT_TIMEOUT-SECONDS': '120',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    action.stdout.on('data', (d) => (log += d));
    action.stderr.on('data', (d) => (log += d));
    const exited = new Promise((r) => action.on('exit', r));
    // The action is watching well before the pause can happen.
    await sleep(2000);
    await addNode(node);
    const code = await exited;
    if (code !== 0) throw new Error(`the action failed in transition ${i}:\n${log}`);
    const { pausedAt, oursAt } = controllerWriteBefore(ns, { pick: isPromotePatch });
    watchDelays.push((oursAt - pausedAt) / 1000);
    console.log(`watch ${i + 1}/${TRANSITIONS}: ${((oursAt - pausedAt) / 1000).toFixed(1)} ms`);
    await api('DELETE', `/api/v1/namespaces/${ns}`);
    await api('DELETE', `/api/v1/nodes/${node}`);
  }
  // The same transitions seen by a loop that GETs the Rollout every POLL_MS, as status loops do.
  for (let i = 0; i < TRANSITIONS; i++) {
    const { ns, path, node } = await bumped(TRANSITIONS + i);
    let seenAt;
    const poller = (async () => {
      await sleep(Math.random() * POLL_MS);
      for (;;) {
        if (state(await api('GET', path)).paused) return (seenAt = Date.now() * 1000);
        await sleep(POLL_MS);
      }
    })();
    await sleep(2000);
    await addNode(node);
    await poller;
    const { pausedAt } = controllerWriteBefore(ns, { beforeMicros: seenAt });
    pollDelays.push((seenAt - pausedAt) / 1000);
    console.log(`poll ${i + 1}/${TRANSITIONS}: ${((seenAt - pausedAt) / 1000).toFixed(0)} ms`);
    await api('DELETE', `/api/v1/namespaces/${ns}`);
    await api('DELETE', `/api/v1/nodes/${node}`);
  }
} finally {
  await k8s.stop();
  rmSync(work, { recursive: true, force: true });
}

function micros(iso) {
  // RFC 3339 with microseconds: Date keeps milliseconds, the rest is added back.
  const frac = /\.(\d+)Z$/.exec(iso)?.[1] ?? '0';
  return Math.floor(Date.parse(iso) / 1000) * 1_000_000 + Number(frac.padEnd(6, '0').slice(0, 6));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x) => x.toFixed(1);
writeSection(
  'blue-green-promote',
  `## blue-green-promote

Delay from the Rollouts controller writing the status the action waits for (BlueGreenPause, preview on the new
pods) to the action's promote patch, both timed by the API server's audit log; ${TRANSITIONS} transitions on
the real control plane and controller (kwok pods), the committed bundle watching. Goal: at most 100 ms.

| | median | worst |
| --- | --- | --- |
| blue-green-promote (watch) | ${fmt(median(watchDelays))} ms | ${fmt(Math.max(...watchDelays))} ms |
${[
  `| a loop that GETs the Rollout every ${POLL_MS / 1000} s (detection only) | ${fmt(median(pollDelays))} ms |`,
  `${fmt(Math.max(...pollDelays))} ms |`,
].join(' ')}

Measured ${new Date().toISOString().slice(0, 10)} on ${process.platform} ${process.arch}, Node ${process.version}.
`,
);
