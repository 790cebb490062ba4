import { accessSync, constants, statSync, existsSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { InputReader, type Env } from '@mlflow-actions/action-kit/inputs';
import { artifactNameProblem } from '@mlflow-actions/artifact-handover/name';
import { s3SourceFromEnv } from '@mlflow-actions/mlflow-client/config';
import {
  mlflowSecrets,
  readMlflowConnection,
  type MlflowConnection,
} from '@mlflow-actions/mlflow-client/connection-inputs';
import { downloadDirProblem } from '@mlflow-actions/mlflow-client/artifacts/dest';
import type { MetricHistoryRequest } from '@mlflow-actions/mlflow-client';
import type { VersionRef } from '@mlflow-actions/mlflow-client';

export interface Inputs {
  connection: MlflowConnection;
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
    ...mlflowSecrets(new InputReader(env), env),
    // Read by the AWS SDK when download-dir fetches an s3:// source straight from the store.
    env.AWS_SECRET_ACCESS_KEY,
    env.AWS_SESSION_TOKEN,
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
  const connection = readMlflowConnection(r, env, { required: true, requestTimeoutInput: 'timeout-seconds' });

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

  const download = readDownload(r, env, outputFile);
  const artifactName = r.optional('artifact-name');
  const nameProblem = artifactName === undefined ? undefined : artifactNameProblem(artifactName);
  if (nameProblem) r.problem(`input 'artifact-name' ${nameProblem}`);

  r.done();
  return {
    connection: connection!,
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
