import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputReader, type Env } from '@mlflow-actions/action-kit/inputs';
import { artifactVersionProblem, bucketNameProblem, defaultArtifactVersion, normalizePrefix } from '@mlflow-actions/s3-publish/validate';

export interface Inputs {
  sourceDir: string;
  bucket: string;
  prefix: string;
  artifactVersion: string;
  region: string | undefined;
  endpoint: string | undefined;
  forcePathStyle: boolean;
  concurrency: number;
  cacheControl: string[];
  exclude: string[];
  overwrite: boolean;
  delete: boolean;
  dryRun: boolean;
}

/** Every input checked before the AWS SDK is even loaded; all problems reported at once. */
export function parseInputs(env: Env, now = new Date()): Inputs {
  const r = new InputReader(env);
  const sourceRaw = r.required('source-dir', 'the directory to publish');
  const sourceDir = resolve(sourceRaw || '.');
  if (sourceRaw && (!existsSync(sourceDir) || !statSync(sourceDir).isDirectory())) {
    r.problem(`input 'source-dir' '${sourceRaw}' does not exist or is not a directory (did the build step write it?)`);
  }
  const bucket = r.required('bucket', 'the bucket name');
  const bucketProblem = bucket ? bucketNameProblem(bucket) : undefined;
  if (bucketProblem) r.problem(`input 'bucket': ${bucketProblem}`);
  const { prefix, problem: prefixProblem } = normalizePrefix(r.raw('prefix'));
  if (prefixProblem) r.problem(`input 'prefix': ${prefixProblem}`);
  let artifactVersion = r.raw('artifact-version');
  if (artifactVersion) {
    const p = artifactVersionProblem(artifactVersion);
    if (p) r.problem(`input 'artifact-version': ${p}`);
  } else {
    const name = r.optional('model-name');
    const version = r.optional('model-version');
    if (!name || !version) r.problem(`input 'artifact-version' is required, or 'model-name' and 'model-version' to derive it`);
    else artifactVersion = defaultArtifactVersion(name, version, now);
  }
  const endpoint = r.optional('endpoint');
  if (endpoint && !/^https?:\/\/[^/\s]+/.test(endpoint)) r.problem(`input 'endpoint' must be an http(s) URL, got '${endpoint}'`);
  const overwrite = r.boolean('overwrite', false);
  const del = r.boolean('delete', false);
  if (overwrite && del) r.problem(`inputs 'overwrite' and 'delete' conflict: delete already replaces a mutable version; set only one`);
  const inputs: Inputs = {
    sourceDir,
    bucket,
    prefix,
    artifactVersion,
    region: r.optional('region'),
    endpoint,
    forcePathStyle: r.boolean('force-path-style', false),
    concurrency: r.integer('concurrency', 8, { min: 1, max: 64 }),
    cacheControl: r.raw('cache-control').split(/\r?\n/).map((l) => l.trim()).filter(Boolean),
    exclude: r.list('exclude'),
    overwrite,
    delete: del,
    dryRun: r.boolean('dry-run', false),
  };
  r.done();
  return inputs;
}
