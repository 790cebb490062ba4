import { resolve } from 'node:path';
import { InputReader, type Env } from '@mlflow-actions/action-kit/inputs';
import { artifactNameProblem } from '@mlflow-actions/artifact-handover/name';
import {
  headerVariables,
  parseChecks,
  parseExpectJson,
  pickLoadRequest,
  type HttpCheck,
  type LoadThresholds,
  variablesNamedIn,
} from '@mlflow-actions/http-checks';
import { volumeArg } from '@mlflow-actions/service-runner';

export interface Inputs {
  target: { kind: 'container'; image: string; port: number } | { kind: 'process'; command: string; port?: number };
  env: string[];
  volumes: string[];
  addHosts: string[];
  network: string | undefined;
  healthPath: string;
  healthExpectJson: Record<string, unknown> | undefined;
  readyTimeoutMs: number;
  checks: HttpCheck[];
  expectedVersion: string | undefined;
  testCommand: string | undefined;
  load:
    | { durationSeconds: number; connections: number; rate?: number; request: HttpCheck; thresholds: LoadThresholds }
    | undefined;
  reportFile: string;
  keepOnFailure: boolean;
  artifactName: string | undefined;
  workspace: string;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The values of the variables `env` names and of those `${NAME}` in the checks' headers: masked
 * before anything is parsed (found with a plain scan, so a malformed checks list hides none).
 */
export function secretsOf(env: Env): (string | undefined)[] {
  const r = new InputReader(env);
  const entries = r.list('env');
  const names = new Set(entries.filter((n) => ENV_NAME.test(n)));
  for (const name of variablesNamedIn(r.raw('checks'))) names.add(name);
  // `NAME=value` is refused below, but its value may be a secret pasted in by mistake: mask it too.
  const pasted = entries.filter((e) => e.includes('=')).map((e) => e.slice(e.indexOf('=') + 1));
  return [...[...names].map((n) => env[n]), ...pasted];
}

export function parseInputs(env: Env): Inputs {
  const r = new InputReader(env);
  // An empty GITHUB_WORKSPACE is as good as none.
  const workspace = env.GITHUB_WORKSPACE?.trim() ? env.GITHUB_WORKSPACE : process.cwd();
  const which = r.exactlyOne(['image', 'command'] as const);
  const portRaw = r.optional('port');
  const port = portRaw === undefined ? undefined : r.integer('port', 0, { min: 1, max: 65535 });
  let target: Inputs['target'] = { kind: 'process', command: '' };
  if (which?.name === 'image') {
    if (port === undefined)
      r.problem("input 'port' is required with 'image': the port the service listens on inside it");
    target = { kind: 'container', image: which.value, port: port ?? 0 };
  } else if (which) {
    target = { kind: 'process', command: which.value, ...(port !== undefined ? { port } : {}) };
  }

  const envNames = r.list('env');
  for (const n of envNames) {
    if (!ENV_NAME.test(n)) {
      r.problem(
        `input 'env' takes variable names only, got '${n.split('=')[0]}…'; set the value in the step's env: and list its name`,
      );
    } else if (env[n] === undefined) {
      r.problem(`input 'env': ${n} is not set in the step's environment; set it in the step's env:`);
    }
  }
  const volumes = r.list('volumes');
  if (target.kind === 'container') {
    for (const v of volumes) {
      try {
        volumeArg(v, workspace);
      } catch (e) {
        r.problem(`input 'volumes': ${(e as Error).message.replace(/^volumes: /, '')}`);
      }
    }
  }
  const addHosts = r.list('add-host');
  for (const h of addHosts) {
    if (!/^[A-Za-z0-9.-]+:\S+$/.test(h))
      r.problem(`input 'add-host' entries are name:ip (e.g. mlflow:host-gateway), got '${h}'`);
  }
  const network = r.optional('network');
  if (target.kind === 'process') {
    for (const name of ['env', 'volumes', 'add-host', 'network'] as const) {
      if (r.optional(name)) r.problem(`input '${name}' applies to 'image' only; a 'command' runs on the runner itself`);
    }
  }

  const healthPath = r.raw('health-path') || '/health';
  if (!healthPath.startsWith('/')) r.problem(`input 'health-path' must start with '/', got '${healthPath}'`);
  const healthExpectJson = r.collect(() => parseExpectJson(r.raw('health-expect-json'), "input 'health-expect-json'"));
  const readyTimeoutMs = r.integer('ready-timeout-seconds', 60, { min: 1, max: 3600 }) * 1000;
  const checks = r.collect(() => parseChecks(r.raw('checks'), "input 'checks'")) ?? [];
  // An unset variable would send an empty header and fail the check for a reason nobody sees.
  for (const name of headerVariables(checks)) {
    if (!env[name])
      r.problem(`input 'checks' names \${${name}} in a header, but ${name} is not set: give it in the step's env`);
  }
  const expectedVersion = r.optional('expected-version');
  const testCommand = r.optional('test-command');

  const load = readLoad(r, checks, healthPath);
  const reportFile = resolve(workspace, r.raw('report-file') || 'ephemeral-test-report.json');
  const keepOnFailure = r.boolean('keep-on-failure', false);
  const artifactName = r.optional('artifact-name');
  const nameProblem = artifactName ? artifactNameProblem(artifactName) : undefined;
  if (nameProblem) r.problem(`input 'artifact-name' ${nameProblem}`);
  r.done();
  return {
    target,
    env: target.kind === 'container' ? envNames : [],
    volumes: target.kind === 'container' ? volumes : [],
    addHosts,
    network,
    healthPath,
    healthExpectJson,
    readyTimeoutMs,
    checks,
    expectedVersion,
    testCommand,
    load,
    reportFile,
    keepOnFailure,
    artifactName,
    workspace,
  };
}

function readLoad(r: InputReader, checks: HttpCheck[], healthPath: string): Inputs['load'] {
  const durationSeconds = r.integer('load-duration-seconds', 0, { min: 0, max: 3600 });
  const connections = r.integer('load-connections', 10, { min: 1, max: 1000 });
  const optionalNumber = (name: string, opts: { min: number; max?: number }) =>
    r.optional(name) === undefined ? undefined : r.number(name, 0, opts);
  const rate = optionalNumber('load-rate', { min: 1 });
  const thresholds: LoadThresholds = {};
  const maxP95Ms = optionalNumber('max-p95-ms', { min: 0 });
  const maxP99Ms = optionalNumber('max-p99-ms', { min: 0 });
  const minRps = optionalNumber('min-rps', { min: 0 });
  const maxErrorRate = optionalNumber('max-error-rate', { min: 0, max: 1 });
  if (maxP95Ms !== undefined) thresholds.maxP95Ms = maxP95Ms;
  if (maxP99Ms !== undefined) thresholds.maxP99Ms = maxP99Ms;
  if (minRps !== undefined) thresholds.minRps = minRps;
  if (maxErrorRate !== undefined) thresholds.maxErrorRate = maxErrorRate;
  const picked = pickLoadRequest(checks, r.optional('load-request'), healthPath);
  if ('problem' in picked) r.problem(`input 'load-request' ${picked.problem}`);
  if (durationSeconds === 0) {
    const set = ['load-rate', 'load-request', 'max-p95-ms', 'max-p99-ms', 'min-rps'].filter((n) => r.optional(n));
    if (set.length) {
      r.problem(
        `input${set.length > 1 ? 's' : ''} ${set.map((n) => `'${n}'`).join(', ')} need a load test: set 'load-duration-seconds'`,
      );
    }
    return undefined;
  }
  if (!('request' in picked)) return undefined;
  return { durationSeconds, connections, ...(rate !== undefined ? { rate } : {}), request: picked.request, thresholds };
}
