import { accessSync, constants, statSync, existsSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { credentialsInUrl, InputReader, readInput, type Env } from '@mlflow-actions/action-kit/inputs';
import { artifactNameProblem } from '@mlflow-actions/artifact-handover/name';
import { resolveAuth, retryPolicyFromEnv, s3SourceFromEnv } from '@mlflow-actions/mlflow-client/config';
import { downloadDirProblem } from '@mlflow-actions/mlflow-client/artifacts/dest';
import type { Auth } from '@mlflow-actions/mlflow-client';
import type { RetryPolicy, TlsOptions } from '@mlflow-actions/action-kit/http';
import type { MetricHistoryRequest } from '@mlflow-actions/mlflow-client';
import type { VersionRef } from '@mlflow-actions/mlflow-client';
import { InputError } from '@mlflow-actions/action-kit/errors';

export interface Inputs {
  trackingUri: string;
  auth: Auth;
  secrets: string[];
  tls: TlsOptions;
  retry: RetryPolicy;
  modelName: string;
  ref: VersionRef;
  outputFile: string;
  metricHistory: MetricHistoryRequest;
  /** `download-dir`: where the model's files go (absolute), and how S3 sources are reached. */
  download: { dir: string; s3: { endpoint?: string; region?: string } } | undefined;
  /** `artifact-name`: upload the metadata file as a workflow artifact of this name. */
  artifactName: string | undefined;
}

/** MLflow's credentials, from the inputs, MLflow's own variables and the tracking URI's userinfo. */
export function secretsOf(env: Env): (string | undefined)[] {
  return [
    readInput('password', env),
    readInput('token', env),
    env.MLFLOW_TRACKING_PASSWORD,
    env.MLFLOW_TRACKING_TOKEN,
    // Read by the AWS SDK when download-dir fetches an s3:// source straight from the store.
    env.AWS_SECRET_ACCESS_KEY,
    env.AWS_SESSION_TOKEN,
    ...credentialsInUrl(readInput('tracking-uri', env) || env.MLFLOW_TRACKING_URI),
  ];
}

const STAGES = ['None', 'Staging', 'Production', 'Archived'];

/**
 * Reads and checks every input before any network call or write, and reports all problems at
 * once. Deliberately light: it must not load the MLflow client or JSON Schema code, so that a
 * bad input is answered as fast as Node starts.
 */
export function parseInputs(env: Env): Inputs {
  const r = new InputReader(env);
  const trackingRaw = r.optional('tracking-uri') ?? env.MLFLOW_TRACKING_URI?.trim() ?? '';
  let trackingUri = '';
  let auth: Auth = { kind: 'none' };
  let secrets: string[] = [];
  const username = r.optional('username') ?? nonEmpty(env.MLFLOW_TRACKING_USERNAME);
  const password = r.optional('password') ?? nonEmpty(env.MLFLOW_TRACKING_PASSWORD);
  const token = r.optional('token') ?? nonEmpty(env.MLFLOW_TRACKING_TOKEN);
  if (trackingRaw === '') {
    r.problem(
      `input 'tracking-uri' is required: set it, or the MLFLOW_TRACKING_URI environment variable, to the tracking server's http(s) URL`,
    );
  } else if (!/^https?:\/\//i.test(trackingRaw)) {
    r.problem(
      `input 'tracking-uri' must be the http(s) URL of an MLflow tracking server, got '${redactUri(
        trackingRaw,
      )}' (file: stores and 'databricks' are not served over MLflow's REST API)`,
    );
  } else {
    try {
      ({ uri: trackingUri, auth, secrets } = resolveAuth(trackingRaw, { username, password, token }));
    } catch {
      r.problem(`input 'tracking-uri' is not a valid URL: '${redactUri(trackingRaw)}'`);
    }
  }
  if (username && !password && !/:[^/@]*@/.test(trackingRaw)) {
    r.problem(`input 'username' is set without 'password' (or MLFLOW_TRACKING_PASSWORD): basic auth needs both`);
  }

  const modelName = r.required('model-name', 'the registered model name, as shown in the MLflow UI');
  let ref: VersionRef = { kind: 'version', version: '' };
  const which = r.exactlyOne(['model-version', 'model-alias', 'model-stage'] as const);
  if (which?.name === 'model-version') {
    const v = which.value.replace(/^v(?=\d)/i, '');
    if (!/^[1-9]\d*$/.test(v))
      r.problem(
        `input 'model-version' must be a positive integer such as 3, got '${
          which.value
        }' (for an alias such as 'champion' use model-alias)`,
      );
    ref = { kind: 'version', version: v };
  } else if (which?.name === 'model-alias') {
    const a = which.value;
    if (!/^[\w-]+$/.test(a) || a.length > 255)
      r.problem(`input 'model-alias' may hold only letters, digits, '_' and '-', got '${a}'`);
    else if (/^(latest|v\d+)$/i.test(a))
      r.problem(`input 'model-alias' '${a}' is reserved by MLflow: for a version number use model-version`);
    ref = { kind: 'alias', alias: a };
  } else if (which?.name === 'model-stage') {
    const s = STAGES.find((x) => x.toLowerCase() === which.value.toLowerCase());
    if (!s) r.problem(`input 'model-stage' must be one of ${STAGES.join(', ')}, got '${which.value}'`);
    ref = { kind: 'stage', stage: s ?? which.value };
  }

  const outputFile = resolve(r.raw('output-file') || 'model_metadata.json');
  checkWritable(r, outputFile);

  const mh = r.raw('metric-history') || 'none';
  const metricHistory: MetricHistoryRequest =
    mh === 'none'
      ? { kind: 'none' }
      : mh === 'all'
        ? { kind: 'all' }
        : { kind: 'keys', keys: [...new Set(r.list('metric-history'))] };

  const maxRetries =
    r.optional('max-retries') !== undefined ? r.integer('max-retries', 7, { min: 0, max: 50 }) : undefined;
  const timeoutSeconds =
    r.optional('timeout-seconds') !== undefined ? r.number('timeout-seconds', 120, { min: 1 }) : undefined;
  let retry: RetryPolicy = {
    maxRetries: 7,
    backoffFactor: 2,
    backoffJitter: 1,
    maxBackoffSeconds: 120,
    timeoutMs: 120_000,
  };
  try {
    retry = retryPolicyFromEnv(env, { maxRetries, timeoutSeconds });
  } catch (e) {
    if (e instanceof InputError) r.problem(e.message);
    else throw e;
  }

  const tls: TlsOptions = {};
  const insecure = nonEmpty(env.MLFLOW_TRACKING_INSECURE_TLS);
  if (insecure !== undefined) {
    if (!/^(true|false)$/i.test(insecure))
      r.problem(`MLFLOW_TRACKING_INSECURE_TLS must be true or false, got '${insecure}'`);
    tls.insecure = /^true$/i.test(insecure);
  }
  for (const [name, key] of [
    ['MLFLOW_TRACKING_SERVER_CERT_PATH', 'caCertPath'],
    ['MLFLOW_TRACKING_CLIENT_CERT_PATH', 'clientCertPath'],
  ] as const) {
    const p = nonEmpty(env[name]);
    if (p === undefined) continue;
    if (!existsSync(p)) r.problem(`${name} points at '${p}', which does not exist`);
    tls[key] = p;
  }
  if (tls.insecure && tls.caCertPath) {
    r.problem(
      'MLFLOW_TRACKING_INSECURE_TLS and MLFLOW_TRACKING_SERVER_CERT_PATH are mutually exclusive (as in MLflow): set only one',
    );
  }

  const download = readDownload(r, env, outputFile);
  const artifactName = r.optional('artifact-name');
  const nameProblem = artifactName === undefined ? undefined : artifactNameProblem(artifactName);
  if (nameProblem) r.problem(`input 'artifact-name' ${nameProblem}`);

  r.done();
  return {
    trackingUri,
    auth,
    secrets,
    tls,
    retry,
    modelName,
    ref,
    outputFile,
    metricHistory,
    download,
    artifactName,
  };
}

/** `download-dir`: checked now with the downloader's own check, so a busy directory fails before any call. */
function readDownload(r: InputReader, env: Env, outputFile: string): Inputs['download'] {
  const raw = r.optional('download-dir');
  if (raw === undefined) return undefined;
  const dir = resolve(raw);
  const problem = downloadDirProblem(dir);
  if (problem) r.problem(`input 'download-dir' ('${dir}') ${problem}`);
  const inside = relative(dir, outputFile);
  if (inside !== '..' && !inside.startsWith(`..${sep}`) && !isAbsolute(inside)) {
    // The download is renamed into place whole, so nothing else may be written into that directory.
    r.problem(
      `input 'output-file' ('${outputFile}') is inside 'download-dir': write it beside the model's files, e.g. model_metadata.json`,
    );
  }
  return { dir, s3: s3SourceFromEnv(env) };
}

function nonEmpty(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}

function redactUri(s: string): string {
  return s.replace(/\/\/[^/@]*@/, '//***@');
}

/** The file is written at the very end; check now that it can be, so a bad path fails before any call. */
function checkWritable(r: InputReader, file: string): void {
  const dir = dirname(file);
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    accessSync(dir, constants.W_OK);
  } catch {
    r.problem(
      `input 'output-file' cannot be written: directory '${dir}' does not exist or is not writable; create it first or choose another path`,
    );
    return;
  }
  if (existsSync(file)) {
    try {
      if (statSync(file).isDirectory()) {
        r.problem(`input 'output-file' is a directory ('${file}'): give a file name such as model_metadata.json`);
        return;
      }
      accessSync(file, constants.W_OK);
    } catch {
      r.problem(`input 'output-file' cannot be written: '${file}' exists and is read-only`);
    }
  }
}
