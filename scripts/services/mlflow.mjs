// Installs (once, cached) and starts real MLflow tracking servers on 127.0.0.1 for tests, the
// demo and benchmarks. Plain ESM JavaScript so the demo and benchmarks run without a TS toolchain.
//
//   ensureMlflowVenv()              -> path of a python with mlflow, installed on first use
//   startMlflowServer({ auth })     -> { url, stop(), logFile, ... } once /health answers
//   seedMlflow(python, url, out)    -> runs seed_mlflow.py with MLflow's own client
//
// The venv lives under the user's cache directory so a reused machine skips the install. It is
// built in a temporary directory and renamed into place only when complete, so an interrupted
// install is redone rather than half-used.
import { spawn, execFile, execFileSync } from 'node:child_process';
import { freePort } from './ports.mjs';
export { freePort };
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MLFLOW_VERSION = '3.17.2';
const here = fileURLToPath(new URL('.', import.meta.url));

export function cacheRoot() {
  return (
    process.env.MLFLOW_ACTIONS_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'mlflow-actions')
  );
}

/** A python executable with `mlflow==MLFLOW_VERSION` installed. */
export function ensureMlflowVenv({ log = (m) => console.error(m) } = {}) {
  const dir = join(cacheRoot(), `venv-mlflow-${MLFLOW_VERSION}`);
  const python = join(dir, 'bin', 'python');
  if (existsSync(join(dir, '.complete'))) return python;
  mkdirSync(cacheRoot(), { recursive: true });
  const lock = join(cacheRoot(), `venv-mlflow-${MLFLOW_VERSION}.lock`);
  waitForLock(lock);
  try {
    if (existsSync(join(dir, '.complete'))) return python;
    rmSync(dir, { recursive: true, force: true });
    log(`installing mlflow==${MLFLOW_VERSION} into ${dir} (first run on this machine; a few minutes)`);
    const started = Date.now();
    // A venv's scripts embed its path, so it is built in place; `.complete` marks it usable.
    execFileSync(findPython(), ['-m', 'venv', dir], { stdio: 'inherit' });
    execFileSync(
      python,
      [
        '-m',
        'pip',
        'install',
        '--progress-bar',
        'off',
        '--disable-pip-version-check',
        `mlflow[auth]==${MLFLOW_VERSION}`,
      ],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    execFileSync(python, ['-c', 'import mlflow, mlflow.server.auth'], { stdio: 'inherit' });
    writeFileSync(join(dir, '.complete'), `${MLFLOW_VERSION}\n`);
    log(`mlflow installed in ${Math.round((Date.now() - started) / 1000)} s`);
    return python;
  } catch (e) {
    throw new Error(`could not install mlflow==${MLFLOW_VERSION} with pip into ${dir}: ${e.message}`, { cause: e });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function findPython() {
  for (const p of ['python3', 'python']) {
    try {
      execFileSync(p, ['--version'], { stdio: 'ignore' });
      return p;
    } catch {
      // try the next name
    }
  }
  throw new Error('no python3 on PATH: install Python 3.10+ to run the MLflow test server');
}

/** mkdir is atomic: the first process to create the lock directory installs, the others wait. */
function waitForLock(lock) {
  const deadline = Date.now() + 20 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}; remove it if no install is running`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
    }
  }
}

// A fresh admin password per server: MLflow refuses its old default, and a test cannot pass by
// knowing a constant.
export const ADMIN = { username: 'admin', password: `admin-${randomBytes(9).toString('base64url')}` };

/**
 * Starts `mlflow server` with a sqlite store in a fresh directory.
 * auth: 'none' | 'basic' (the basic-auth app, with bearer tokens accepted too: see
 * mlflow_test_auth.py). Resolves once /health answers; rejects with the log's tail if the
 * server exits or does not come up. `env` adds variables to the server's environment.
 */
export async function startMlflowServer({
  python = ensureMlflowVenv(),
  auth = 'none',
  dir,
  bearerToken,
  workers = 1,
  env: extraEnv = {},
  startTimeoutSeconds = 180,
} = {}) {
  dir ??= mkdtempSync(join(tmpdir(), `mlflow-${auth}-`));
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = join(dir, 'server.log');
  const env = {
    ...process.env,
    PYTHONUNBUFFERED: '1',
    MLFLOW_TRACKING_URI: '',
    // The server needs no telemetry and this machine has no internet.
    MLFLOW_DISABLE_TELEMETRY: 'true',
    DO_NOT_TRACK: 'true',
    // e.g. MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS for a test that has MLflow deliver webhooks to 127.0.0.1
    ...extraEnv,
  };
  const args = [
    '-m',
    'mlflow',
    'server',
    '--backend-store-uri',
    `sqlite:///${join(dir, 'mlflow.db')}`,
    '--artifacts-destination',
    join(dir, 'mlartifacts'),
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--workers',
    String(workers),
    // uvicorn kills a worker that has not answered its supervisor's ping within 5 s; on a loaded
    // machine MLflow's import alone takes longer, and the workers are restarted forever.
    ...(workers > 1 ? ['--uvicorn-opts', '--timeout-worker-healthcheck 120'] : []),
  ];
  if (auth === 'basic') {
    const config = join(dir, 'auth.ini');
    writeFileSync(
      config,
      [
        '[mlflow]',
        'default_permission = READ',
        `database_uri = sqlite:///${join(dir, 'auth.db')}`,
        `admin_username = ${ADMIN.username}`,
        `admin_password = ${ADMIN.password}`,
        'authorization_function = mlflow_test_auth:authenticate',
        '',
      ].join('\n'),
    );
    args.push('--app-name', 'basic-auth');
    Object.assign(env, {
      MLFLOW_AUTH_CONFIG_PATH: config,
      MLFLOW_FLASK_SERVER_SECRET_KEY: 'test-secret-key-not-for-production',
      MLFLOW_TEST_BEARER_TOKEN: bearerToken ?? 'test-bearer-token-7f3a9c',
      MLFLOW_TEST_BEARER_USER: ADMIN.username,
      PYTHONPATH: [here, process.env.PYTHONPATH].filter(Boolean).join(':'),
    });
  }
  const out = openSync(logFile, 'a');
  const child = spawn(python, args, { cwd: dir, env, stdio: ['ignore', out, out], detached: true });
  closeSync(out);
  // Callers stop the server explicitly; an unref'd child lets a script end without waiting on it.
  child.unref();
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  const tail = () => readFileSync(logFile, 'utf8').split('\n').slice(-25).join('\n');
  const deadline = Date.now() + startTimeoutSeconds * 1000;
  for (;;) {
    if (exited)
      throw new Error(
        `mlflow server (${auth}) exited with ${exited.code ?? exited.signal} before answering; its log:\n${tail()}`,
      );
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      stopGroup(child);
      throw new Error(
        `mlflow server (${auth}) did not answer /health within ${startTimeoutSeconds} s; its log:\n${tail()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    url,
    port,
    dir,
    logFile,
    auth,
    admin: auth === 'basic' ? ADMIN : undefined,
    bearerToken: auth === 'basic' ? env.MLFLOW_TEST_BEARER_TOKEN : undefined,
    pid: child.pid,
    stop: () => stopGroup(child),
  };
}

/** The server forks workers: stop the whole process group. */
function stopGroup(child) {
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

/** Seeds a server with MLflow's own Python client; resolves to the manifest (ids, names, versions). */
export async function seedMlflow(python, server, outFile, extraArgs = []) {
  const env = { ...process.env, MLFLOW_DISABLE_TELEMETRY: 'true', DO_NOT_TRACK: 'true' };
  if (server.admin)
    Object.assign(env, {
      MLFLOW_TRACKING_USERNAME: server.admin.username,
      MLFLOW_TRACKING_PASSWORD: server.admin.password,
    });
  const args = [join(here, 'seed_mlflow.py'), '--tracking-uri', server.url, '--out', outFile, ...extraArgs];
  if (server.admin) args.push('--auth-users');
  await new Promise((resolve, reject) => {
    execFile(python, args, { env, maxBuffer: 64 << 20 }, (err, _stdout, stderr) => {
      if (err)
        reject(
          new Error(
            `seeding MLflow at ${server.url} failed: ${String(stderr || err.message)
              .split('\n')
              .slice(-15)
              .join('\n')}`,
          ),
        );
      else resolve();
    });
  });
  return JSON.parse(readFileSync(outFile, 'utf8'));
}
