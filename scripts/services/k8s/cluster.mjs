// Starts a real Kubernetes control plane with the real Argo Rollouts controller on loopback ports, for tests,
// benchmarks and debugging. Pods are simulated by kwok (no kubelet, no container runs), so the API server, the
// controllers and the Rollouts state machine are the real ones.
//
//   import { startCluster } from './scripts/services/k8s/cluster.mjs';
//   const k8s = await startCluster();   // { server, token, caData, kubeconfigPath, kubeconfig, stop() }
//   ...
//   await k8s.stop();
//
// The binaries come from build.sh (built once from the Go module proxy, cached). Every process is recorded by
// PID and stopped by it; the working directory (etcd data, keys, logs) is removed on stop.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../ports.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** Runs build.sh (a no-op once cached), relaying its progress lines; resolves to the cache directory. */
export function ensureClusterBinaries({ log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(here, 'build.sh')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      for (const line of String(d).split('\n')) if (line.trim()) log(line);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const dir = stdout.trim().split('\n').pop();
      if (code === 0 && dir) resolve(dir);
      else
        reject(
          new Error(
            `building the Kubernetes test binaries failed (exit ${code}):\n${stderr.split('\n').slice(-30).join('\n')}`,
          ),
        );
    });
  });
}

/**
 * @param {{ binDir?: string, log?: (m: string) => void, timeoutMs?: number }} [options]
 */
export async function startCluster({
  log = (m) => process.stderr.write(`[k8s] ${m}\n`),
  timeoutMs = 180_000,
  auditRollouts = false,
} = {}) {
  const cacheDir = await ensureClusterBinaries({ log });
  const bin = (name) => join(cacheDir, 'bin', name);
  const dir = await mkdtemp(join(tmpdir(), 'k8s-plane-'));
  /** @type {{ name: string, pid: number, child: import('node:child_process').ChildProcess }[]} */
  const procs = [];
  const started = Date.now();
  const deadline = started + timeoutMs;
  const stop = async () => {
    // Reverse order: the controllers go before the API server, the API server before etcd.
    for (const p of [...procs].reverse()) await stopProcess(p);
    procs.length = 0;
    await rm(dir, { recursive: true, force: true });
  };
  const launch = (name, args, env = {}) => {
    const logFile = join(dir, `${name}.log`);
    const out = openSync(logFile, 'a');
    const child = spawn(bin(name), args, { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
    closeSync(out);
    child.unref();
    const p = { name, pid: child.pid, child, logFile, exited: null };
    child.on('exit', (code, signal) => (p.exited = { code, signal }));
    procs.push(p);
    return p;
  };
  try {
    const [etcdPort, etcdPeerPort, apiPort, rolloutsMetrics, rolloutsHealth, kwokPort] = await freePorts(6);
    const token = randomBytes(24).toString('base64url');
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await writeFile(join(dir, 'sa.key'), privateKey.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
    await writeFile(join(dir, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
    // One admin token in system:masters; service accounts with narrower rights are made by the tests.
    await writeFile(join(dir, 'tokens.csv'), `${token},admin,admin-uid,"system:masters"\n`, { mode: 0o600 });

    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    const etcd = launch('etcd', [
      '--data-dir',
      join(dir, 'etcd'),
      '--listen-client-urls',
      etcdUrl,
      '--advertise-client-urls',
      etcdUrl,
      '--listen-peer-urls',
      `http://127.0.0.1:${etcdPeerPort}`,
      '--initial-advertise-peer-urls',
      `http://127.0.0.1:${etcdPeerPort}`,
      '--initial-cluster',
      `default=http://127.0.0.1:${etcdPeerPort}`,
      // A test cluster loses nothing worth an fsync.
      '--unsafe-no-fsync',
      '--log-level',
      'warn',
    ]);
    await waitFor('etcd /health', deadline, [etcd], async () => (await httpGet(`${etcdUrl}/health`)).status === 200);

    const certDir = join(dir, 'pki');
    // Benchmarks read the API server's audit log: microsecond times of every write to a Rollout, by whom.
    const auditLogPath = join(dir, 'audit.log');
    const audit = [];
    if (auditRollouts) {
      await writeFile(join(dir, 'audit-policy.yaml'), AUDIT_POLICY);
      audit.push('--audit-policy-file', join(dir, 'audit-policy.yaml'), '--audit-log-path', auditLogPath);
      audit.push('--audit-log-format', 'json', '--audit-log-mode', 'blocking');
    }
    const api = launch('kube-apiserver', [
      '--etcd-servers',
      etcdUrl,
      '--bind-address',
      '127.0.0.1',
      '--secure-port',
      String(apiPort),
      '--cert-dir',
      certDir,
      '--token-auth-file',
      join(dir, 'tokens.csv'),
      '--authorization-mode',
      'RBAC',
      '--service-account-issuer',
      'https://kubernetes.default.svc',
      '--service-account-key-file',
      join(dir, 'sa.pub'),
      '--service-account-signing-key-file',
      join(dir, 'sa.key'),
      '--service-cluster-ip-range',
      '10.96.0.0/16',
      // Pods are never run, so they need no token volume (that admission plugin would wait for one).
      '--disable-admission-plugins',
      'ServiceAccount',
      '--enable-priority-and-fairness=false',
      ...audit,
      '--v',
      '1',
    ]);
    const server = `https://127.0.0.1:${apiPort}`;
    const caFile = join(certDir, 'apiserver.crt');
    await waitFor('kube-apiserver /readyz', deadline, [etcd, api], async () => {
      if (!existsSync(caFile)) return false;
      return (await kubeRequest({ server, token, ca: readFileSync(caFile) }, 'GET', '/readyz')).status === 200;
    });
    const ca = readFileSync(caFile);
    const kube = (method, path, body, contentType) =>
      kubeRequest({ server, token, ca }, method, path, body, contentType);
    const kubeconfig = kubeconfigYaml({ server, caData: ca.toString('base64'), user: 'admin', token });
    const kubeconfigPath = join(dir, 'admin.kubeconfig');
    await writeFile(kubeconfigPath, kubeconfig, { mode: 0o600 });

    const controllers = [
      launch('kube-controller-manager', [
        '--kubeconfig',
        kubeconfigPath,
        '--secure-port',
        '0',
        '--leader-elect=false',
        '--service-account-private-key-file',
        join(dir, 'sa.key'),
        '--root-ca-file',
        caFile,
        '--controllers',
        '*',
        '--v',
        '1',
      ]),
      launch('kube-scheduler', [
        '--kubeconfig',
        kubeconfigPath,
        '--secure-port',
        '0',
        '--leader-elect=false',
        '--v',
        '1',
      ]),
    ];
    await writeFile(join(dir, 'kwok.yaml'), kwokConfig(cacheDir));
    controllers.push(
      launch('kwok', [
        '--kubeconfig',
        kubeconfigPath,
        '--config',
        join(dir, 'kwok.yaml'),
        '--manage-all-nodes=true',
        '--server-address',
        `127.0.0.1:${kwokPort}`,
      ]),
    );

    // The fake node every test pod lands on (kwok makes it Ready; pods on it become Running and Ready).
    await createOrFail(kube, '/api/v1/nodes', fakeNode('kwok-node-0'));
    await createOrFail(kube, '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'argo-rollouts' },
    });
    for (const file of readdirSync(join(cacheDir, 'crds')).sort()) {
      const yaml = await readFile(join(cacheDir, 'crds', file), 'utf8');
      const name = /^\s{2}name:\s*(\S+)/m.exec(yaml)?.[1];
      if (!name) throw new Error(`no metadata.name in CRD file ${file}`);
      // Server-side apply: the Rollout CRD is too large for the annotation a client-side apply writes.
      const res = await kube(
        'PATCH',
        `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}?fieldManager=k8s-test-plane&force=true`,
        yaml,
        'application/apply-patch+yaml',
      );
      if (res.status >= 300) throw new Error(`applying CRD ${name} failed: ${res.status} ${res.text.slice(0, 500)}`);
    }
    await waitFor('the Rollouts CRDs to be Established', deadline, [api], async () => {
      const res = await kube('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/rollouts.argoproj.io');
      const conds = res.status === 200 ? (JSON.parse(res.text).status?.conditions ?? []) : [];
      return conds.some((c) => c.type === 'Established' && c.status === 'True');
    });

    const rollouts = launch(
      'rollouts-controller',
      [
        '--kubeconfig',
        kubeconfigPath,
        '--leader-elect=false',
        '--metricsPort',
        String(rolloutsMetrics),
        '--healthzPort',
        String(rolloutsHealth),
        '--loglevel',
        'info',
      ],
      { POD_NAMESPACE: 'argo-rollouts' },
    );
    controllers.push(rollouts);
    await waitFor('rollouts-controller /healthz', deadline, [api, ...controllers], async () => {
      return (await httpGet(`http://127.0.0.1:${rolloutsHealth}/healthz`)).status === 200;
    });
    await waitFor('the kwok node to be Ready', deadline, [api, ...controllers], async () => {
      const res = await kube('GET', '/api/v1/nodes/kwok-node-0');
      const conds = res.status === 200 ? (JSON.parse(res.text).status?.conditions ?? []) : [];
      return conds.some((c) => c.type === 'Ready' && c.status === 'True');
    });
    log(`control plane ready at ${server} in ${((Date.now() - started) / 1000).toFixed(1)} s (logs in ${dir})`);
    return {
      server,
      token,
      caData: ca.toString('base64'),
      kubeconfig,
      kubeconfigPath,
      dir,
      binDir: join(cacheDir, 'bin'),
      auditLogPath: auditRollouts ? auditLogPath : undefined,
      pids: Object.fromEntries(procs.map((p) => [p.name, p.pid])),
      request: kube,
      stop,
    };
  } catch (e) {
    const tails = await Promise.all(
      procs.map(
        async (p) =>
          `--- ${p.name} (${p.exited ? `exited ${p.exited.code ?? p.exited.signal}` : 'running'})\n${await logTail(p.logFile)}`,
      ),
    );
    await stop();
    throw new Error(`${e.message}\n${tails.join('\n')}`, { cause: e });
  }
}

const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: Request
  verbs: [patch, update]
  resources:
  - group: argoproj.io
    resources: [rollouts, rollouts/status]
- level: None
`;

/** A kubeconfig with one cluster, one token user and one context. */
export function kubeconfigYaml({ server, caData, user, token, namespace = 'default' }) {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: test-plane',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${caData}`,
    'users:',
    `- name: ${user}`,
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: test-plane',
    '  context:',
    '    cluster: test-plane',
    `    user: ${user}`,
    `    namespace: ${namespace}`,
    'current-context: test-plane',
    '',
  ].join('\n');
}

function fakeNode(name) {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { type: 'kwok', 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' },
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: {},
  };
}

/** kwok's own configuration plus its "fast" stages: nodes Ready at once, pods Running and Ready at once. */
function kwokConfig(cacheDir) {
  const stageDir = join(cacheDir, 'kwok-stages');
  const stages = ['node-initialize.yaml', 'pod-ready.yaml', 'pod-complete.yaml', 'pod-delete.yaml'].map((f) =>
    readFileSync(join(stageDir, f), 'utf8').trim(),
  );
  return `${stages.join('\n---\n')}\n`;
}

async function createOrFail(kube, path, obj) {
  const res = await kube('POST', path, JSON.stringify(obj), 'application/json');
  if (res.status >= 300 && res.status !== 409)
    throw new Error(`POST ${path} failed: ${res.status} ${res.text.slice(0, 500)}`);
}

async function freePorts(n) {
  const ports = new Set();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

async function waitFor(what, deadline, watched, probe) {
  for (;;) {
    const dead = watched.find((p) => p.exited);
    if (dead)
      throw new Error(`${dead.name} exited (${dead.exited.code ?? dead.exited.signal}) while waiting for ${what}`);
    try {
      if (await probe()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stopProcess(p) {
  if (p.exited) return;
  const gone = new Promise((r) => p.child.once('exit', r));
  try {
    process.kill(p.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }, 5000);
  await gone;
  clearTimeout(timer);
}

async function logTail(path, lines = 25) {
  try {
    return (await readFile(path, 'utf8')).split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function httpGet(url) {
  return fetch(url, { signal: AbortSignal.timeout(2000) }).then(async (r) => ({
    status: r.status,
    text: await r.text(),
  }));
}

/** One request to the API server with the admin token (node:https, since fetch cannot take a private CA). */
export function kubeRequest({ server, token, ca }, method, path, body, contentType = 'application/json') {
  return new Promise((resolve, reject) => {
    const url = new URL(path, server);
    const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = contentType;
    const req = request(url, { method, headers, ca, timeout: 10_000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

// Used by build.sh's callers that only want the binaries (e.g. `node cluster.mjs build`).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cmd = process.argv[2] ?? 'build';
  if (cmd === 'build') {
    ensureClusterBinaries().then(
      (d) => console.log(d),
      (e) => {
        console.error(e.message);
        process.exit(1);
      },
    );
  } else if (cmd === 'start') {
    // Debugging aid: start, print the kubeconfig path, stop on Ctrl-C.
    const k8s = await startCluster();
    console.log(`KUBECONFIG=${k8s.kubeconfigPath}`);
    process.on('SIGINT', () => k8s.stop().then(() => process.exit(0)));
    setInterval(() => {}, 1 << 30);
  }
}
