import { readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { plainHttpCredentialsProblem } from '@mlflow-actions/action-kit/url-safety';
import { InputReader, type Env } from '@mlflow-actions/action-kit/inputs';
import {
  artifactVersionProblem,
  bucketNameProblem,
  defaultArtifactVersion,
  normalizePrefix,
  parseCacheRuleLines,
} from '@mlflow-actions/s3-publish/validate';

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

/** Credentials come from the SDK's default chain: mask what the environment holds. */
export function secretsOf(env: Env): (string | undefined)[] {
  return [env.AWS_SECRET_ACCESS_KEY, env.AWS_SESSION_TOKEN];
}

/**
 * Every input checked before the AWS SDK is even loaded, all problems reported at once (in
 * action.yml's order), each naming its input. The checks are the package's own (`@mlflow-actions/s3-publish/validate`
 * imports nothing), so the entry and `publish()` cannot disagree about what is valid.
 */
export function parseInputs(env: Env, now = new Date()): Inputs {
  const r = new InputReader(env);
  const sourceRaw = r.required('source-dir', 'the directory to publish (e.g. the build-viewer output-dir)');
  const sourceDir = resolve(sourceRaw || '.');
  if (sourceRaw) checkSourceDir(r, sourceRaw, sourceDir);

  const bucket = r.required('bucket', 'the bucket name (not an s3:// URI)');
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
    if (!name && !version)
      r.problem(`input 'artifact-version' is required, or 'model-name' and 'model-version' to derive it`);
    else if (!name)
      r.problem(
        `input 'model-name' is required with 'model-version' to derive the artifact-version (or set 'artifact-version')`,
      );
    else if (!version)
      r.problem(
        `input 'model-version' is required with 'model-name' to derive the artifact-version (or set 'artifact-version')`,
      );
    else artifactVersion = defaultArtifactVersion(name, version, now);
  }

  const endpoint = checkEndpoint(r, r.optional('endpoint'));
  // The JS SDK reads AWS_REGION but not AWS_DEFAULT_REGION, which the CLI and many setups use.
  const regionFrom =
    r.optional('region') !== undefined ? 'input' : nonEmpty(env.AWS_REGION) ? 'AWS_REGION' : 'AWS_DEFAULT_REGION';
  const region = r.optional('region') ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION);
  // Other stores name regions as they like (Cloudflare R2: "auto"); AWS's follow one pattern.
  const regionOk = endpoint !== undefined ? /^[A-Za-z0-9_-]+$/ : /^[a-z]{2}(-[a-z0-9]+)+$/;
  if (region !== undefined && !regionOk.test(region)) {
    const via = regionFrom === 'input' ? '' : ` (from ${regionFrom})`;
    r.problem(`input 'region'${via} must be an AWS region such as eu-west-1, got '${region}'`);
  }
  // S3-compatible stores (MinIO, Ceph) mostly serve buckets under the path only; AWS prefers
  // virtual-hosted names. So the default follows whether an endpoint is given.
  const forcePathStyle = r.boolean('force-path-style', endpoint !== undefined);

  const concurrency = r.integer('concurrency', 16, { min: 1, max: 64 });

  // Cache-Control values contain commas ("public, max-age=300"), so rules are one per line only.
  const cacheControl = r
    .raw('cache-control')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  for (const p of parseCacheRuleLines(cacheControl).problems)
    r.problem(`input '${p.replace(/^cache-control /, "cache-control' ")}`);

  const exclude = splitGlobs(r.raw('exclude')).map((g) => g.replace(/^\.\//, ''));
  for (const g of exclude) {
    if (g.startsWith('/') || /^[A-Za-z]:[\\/]/.test(g))
      r.problem(`input 'exclude': '${g}' is absolute; globs are matched against paths relative to source-dir`);
  }

  const overwrite = r.boolean('overwrite', false);
  const del = r.boolean('delete', false);
  if (overwrite && del)
    r.problem(
      `inputs 'overwrite' and 'delete' conflict: delete already replaces the version's files in place; set only one`,
    );
  const dryRun = r.boolean('dry-run', false);

  const inputs: Inputs = {
    sourceDir,
    bucket,
    prefix,
    artifactVersion,
    region,
    endpoint,
    forcePathStyle,
    concurrency,
    cacheControl,
    exclude,
    overwrite,
    delete: del,
    dryRun,
  };
  r.done();
  return inputs;
}

/** Present, a directory, not empty: the usual mistake is a build step that wrote elsewhere. */
function checkSourceDir(r: InputReader, raw: string, dir: string): void {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    r.problem(`input 'source-dir': '${raw}' does not exist (did the build step write it somewhere else?)`);
    return;
  }
  if (!isDir) r.problem(`input 'source-dir': '${raw}' is a file, not a directory`);
  else if (readdirSync(dir).length === 0)
    r.problem(`input 'source-dir': '${raw}' is empty; build the site before publishing`);
}

function checkEndpoint(r: InputReader, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    r.problem(`input 'endpoint' must be an http(s) URL such as https://minio.example.com, got '${raw}'`);
    return raw;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    r.problem(`input 'endpoint' must be an http(s) URL, got '${raw}'`);
  // Keys in a URL would end up in logs and error messages; the SDK takes them from the environment.
  else if (url.username || url.password)
    r.problem(`input 'endpoint' must not contain credentials; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead`);
  else if (url.pathname !== '/' || url.search)
    r.problem(`input 'endpoint' must be the store's base URL without a path, got '${raw}' (put the path in prefix)`);
  else {
    // The same check as publish()'s, here so it is reported with the other input problems.
    const insecure = plainHttpCredentialsProblem(url, 'AWS credentials (a session token, signed requests)', 'endpoint');
    if (insecure) r.problem(insecure);
  }
  return raw.replace(/\/+$/, '');
}

/**
 * A list of globs, one per line or separated by commas, except commas inside braces, which
 * belong to the glob (`*.{png,jpg}`).
 */
export function splitGlobs(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '{') depth++;
    else if (ch === '}') depth = Math.max(0, depth - 1);
    if (ch === '\n' || ch === '\r' || (ch === ',' && depth === 0)) {
      out.push(current);
      current = '';
      depth = 0;
    } else {
      current += ch;
    }
  }
  out.push(current);
  return out.map((g) => g.trim()).filter(Boolean);
}

function nonEmpty(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}
